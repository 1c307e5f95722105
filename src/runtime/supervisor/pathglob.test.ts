import { describe, expect, it } from 'vitest';
import { SpecError } from '../../errors.js';
import { compilePathGlob } from './pathglob.js';

const matches = (glob: string, path: string) => compilePathGlob(glob).test(path);

describe('compilePathGlob', () => {
  it('keeps * inside one segment', () => {
    expect(matches('/data/*.log', '/data/wal.log')).toBe(true);
    expect(matches('/data/*.log', '/data/sub/wal.log')).toBe(false);
    expect(matches('/data/*', '/data/')).toBe(true);
    expect(matches('/data/*', '/data')).toBe(false);
  });

  it('lets ** cross segments', () => {
    expect(matches('/data/**/*.log', '/data/wal.log')).toBe(true);
    expect(matches('/data/**/*.log', '/data/a/b/c.log')).toBe(true);
    expect(matches('/data/**/*.log', '/other/a.log')).toBe(false);
    expect(matches('**/*.db', '/var/lib/app/x.db')).toBe(true);
    expect(matches('/data/x**', '/data/xa/b')).toBe(true);
  });

  it('makes a trailing /** match the directory itself and everything below it', () => {
    expect(matches('/var/lib/pg/**', '/var/lib/pg')).toBe(true);
    expect(matches('/var/lib/pg/**', '/var/lib/pg/base/1')).toBe(true);
    expect(matches('/var/lib/pg/**', '/var/lib/pgx')).toBe(false);
  });

  it('matches ? as one non-separator character', () => {
    expect(matches('/tmp/f?.txt', '/tmp/f1.txt')).toBe(true);
    expect(matches('/tmp/f?.txt', '/tmp/f12.txt')).toBe(false);
    expect(matches('/a?b', '/a/b')).toBe(false);
  });

  it('supports classes, ranges and negation', () => {
    expect(matches('/d/[abc].x', '/d/b.x')).toBe(true);
    expect(matches('/d/[abc].x', '/d/d.x')).toBe(false);
    expect(matches('/d/[a-c].x', '/d/c.x')).toBe(true);
    expect(matches('/d/[!a-c].x', '/d/d.x')).toBe(true);
    expect(matches('/d/[!a-c].x', '/d/a.x')).toBe(false);
    expect(matches('/d[!x]e', '/d/e')).toBe(false);
    expect(matches('/d/[]]', '/d/]')).toBe(true);
  });

  it('treats regex metacharacters and escapes literally', () => {
    expect(matches('/d/a+b(1).log', '/d/a+b(1).log')).toBe(true);
    expect(matches('/d/a.log', '/d/aXlog')).toBe(false);
    expect(matches('/d/\\*', '/d/*')).toBe(true);
    expect(matches('/d/\\*', '/d/x')).toBe(false);
  });

  it('matches everything with an empty glob', () => {
    expect(matches('', '/anything/at/all')).toBe(true);
  });

  it('matches resolved fd targets such as sockets literally', () => {
    expect(matches('socket:*', 'socket:[12345]')).toBe(true);
  });

  it('rejects malformed globs with the offending text', () => {
    expect(() => compilePathGlob('/d/[abc')).toThrow(SpecError);
    expect(() => compilePathGlob('/d/[abc')).toThrow(/\/d\/\[abc/);
    expect(() => compilePathGlob('/d/\\')).toThrow(SpecError);
  });
});
