import { closeSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ProcLinks } from './proc-links.js';

const dir = mkdtempSync(join(tmpdir(), 'faultbox-links-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('ProcLinks', () => {
  it('resolves an fd to its file, and re-resolves after the fd number is reused', () => {
    const links = new ProcLinks();
    const a = openSync(join(dir, 'a.txt'), 'w');
    expect(links.fdTarget(process.pid, a)).toBe(join(dir, 'a.txt'));
    closeSync(a);
    const b = openSync(join(dir, 'b.txt'), 'w');
    expect(b).toBe(a); // the kernel hands out the lowest free number
    expect(links.fdTarget(process.pid, b)).toBe(join(dir, 'b.txt'));
    closeSync(b);
    expect(links.fdTarget(process.pid, 900)).toBeUndefined(); // not open
    links.close();
  });

  it('names non-file fds the way the kernel does and rejects negative fds', () => {
    const links = new ProcLinks();
    expect(links.fdTarget(process.pid, -1)).toBeUndefined();
    expect(links.fdTarget(process.pid, 0)).toMatch(/^(\/|pipe:|socket:|anon_inode:)/);
    links.close();
  });

  it('gives the cwd and nothing for a pid that does not exist', () => {
    const links = new ProcLinks();
    expect(links.cwd(process.pid)).toBe(process.cwd());
    expect(links.fdTarget(2 ** 22 + 12345, 0)).toBeUndefined();
    links.close();
  });
});
