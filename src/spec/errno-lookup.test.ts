import { describe, expect, it } from 'vitest';
import { resolveErrno } from './errno-lookup.js';
import { closest } from './did-you-mean.js';
import { editDistance } from '../starlark/index.js';

describe('resolveErrno', () => {
  it('is case-insensitive', () => {
    expect(resolveErrno('enospc')).toEqual({ ok: true, errno: 'ENOSPC' });
    expect(resolveErrno('EIO')).toEqual({ ok: true, errno: 'EIO' });
  });
  it('accepts EPIPE', () => {
    expect(resolveErrno('EPIPE')).toEqual({ ok: true, errno: 'EPIPE' });
  });
  it('suggests the nearest name for a typo', () => {
    const r = resolveErrno('ENOSCP');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.message).toContain('did you mean ENOSPC?');
      expect(r.message).toContain('accepted:');
    }
  });
  it('gives no suggestion for something unrelated', () => {
    const r = resolveErrno('banana');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).not.toContain('did you mean');
  });
});

describe('did-you-mean', () => {
  it('measures edits', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('write', 'write')).toBe(0);
  });
  it('picks the closest candidate within reach', () => {
    expect(closest('wrte', ['write', 'read', 'connect'])).toBe('write');
    expect(closest('zzzzzz', ['write', 'read'])).toBeUndefined();
  });
});
