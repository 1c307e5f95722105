import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SYSCALL_NAMES } from '../../spec/syscall-families.js';
import { ARG_SHAPES, X86_64_SYSCALL_NUMBERS, syscallName, syscallNumber } from './syscall-table.js';

const HEADER = '/usr/include/x86_64-linux-gnu/asm/unistd_64.h';

describe('x86-64 syscall table', () => {
  it('matches the installed asm/unistd_64.h for every trappable name', () => {
    const text = readFileSync(HEADER, 'utf8');
    const fromHeader = new Map<string, number>();
    for (const m of text.matchAll(/^#define __NR_(\w+) (\d+)$/gm)) fromHeader.set(m[1]!, Number(m[2]));
    for (const name of SYSCALL_NAMES) {
      expect(fromHeader.get(name), name).toBe(X86_64_SYSCALL_NUMBERS[name]);
    }
  });

  it('covers exactly the names the spec layer can name', () => {
    expect(Object.keys(X86_64_SYSCALL_NUMBERS).sort()).toEqual([...SYSCALL_NAMES].sort());
    expect(Object.keys(ARG_SHAPES).sort()).toEqual([...SYSCALL_NAMES].sort());
  });

  it('maps numbers back to names and leaves untrappable numbers unnamed', () => {
    for (const name of SYSCALL_NAMES) expect(syscallName(syscallNumber(name))).toBe(name);
    expect(syscallName(110)).toBeUndefined(); // getppid
    expect(syscallName(-1)).toBeUndefined();
    expect(syscallName(100000)).toBeUndefined();
  });
});
