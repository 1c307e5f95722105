import { describe, expect, it } from 'vitest';
import { matchGlob } from './glob.js';

describe('matchGlob', () => {
  it('matches literally without wildcards', () => {
    expect(matchGlob('postgres', 'postgres')).toBe(true);
    expect(matchGlob('postgres', 'postgres2')).toBe(false);
    expect(matchGlob('a.b', 'axb')).toBe(false);
  });
  it('lets * cross any characters and ? match one', () => {
    expect(matchGlob('deny*', 'deny(no space left on device)')).toBe(true);
    expect(matchGlob('/var/lib/*', '/var/lib/postgresql/data/base/1')).toBe(true);
    expect(matchGlob('pwrite??', 'pwrite64')).toBe(true);
    expect(matchGlob('pwrite?', 'pwrite64')).toBe(false);
    expect(matchGlob('*(ENOSPC)', 'deny(ENOSPC)')).toBe(true);
  });
});
