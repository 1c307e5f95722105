// The README documents the syscall-family table; it must be the table the code uses.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FAMILIES } from '../src/spec/syscall-families.js';

describe('README', () => {
  it('documents exactly the syscall families and errnos of src/spec/syscall-families.ts', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const block = readme.split('<!-- families-table:start -->')[1]!.split('<!-- families-table:end -->')[0]!;
    const rows = block.trim().split('\n').slice(2);
    expect(rows).toHaveLength(FAMILIES.length);
    FAMILIES.forEach((f, i) => {
      expect(rows[i]).toBe(`| \`${f.name}\` | ${f.members.join(', ')} | ${f.target} | ${f.errnos.join(', ')} |`);
    });
  });
});
