import { describe, expect, it } from 'vitest';
import { compilePathGlob } from '../supervisor/pathglob.js';
import { scratchDirGlob, scratchDirName } from './scratch-dirs.js';

describe('scratch directory globs', () => {
  it('match the same service scratch dir in another run and after a restart, not other services', () => {
    const glob = scratchDirGlob('/tmp/faultbox-run-AbC123', 'kv');
    expect(glob).toBe('/tmp/faultbox-run-*/kv-*');
    const file = compilePathGlob(`${glob}/data/greeting.val`);
    expect(file.test(`/tmp/faultbox-run-AbC123/${scratchDirName('kv', 1)}/data/greeting.val`)).toBe(true);
    expect(file.test(`/tmp/faultbox-run-zz9Q01/${scratchDirName('kv', 7)}/data/greeting.val`)).toBe(true);
    expect(file.test('/tmp/faultbox-run-zz9Q01/api-1/data/greeting.val')).toBe(false);
    expect(file.test('/var/tmp/faultbox-run-zz9Q01/kv-1/data/greeting.val')).toBe(false);
  });

  it('escapes glob characters of the literal parts', () => {
    expect(scratchDirGlob('/tmp/odd[dir]/faultbox-run-x', 'kv')).toBe('/tmp/odd\\[dir\\]/faultbox-run-*/kv-*');
  });
});
