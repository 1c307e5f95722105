import { describe, expect, it } from 'vitest';
import { fileGlob, globMatches, peerGlobOf, siteOf } from './site-target.js';

describe('call sites', () => {
  it('normalizes digit runs in the file name only', () => {
    expect(fileGlob('/var/lib/pg/base/16384/2619')).toBe('/var/lib/pg/base/16384/*');
    expect(fileGlob('/data/wal-000123.log')).toBe('/data/wal-*.log');
    expect(fileGlob('/data/seg1of20.dat')).toBe('/data/seg*of*.dat');
    expect(fileGlob('/etc/app.conf')).toBe('/etc/app.conf');
  });

  it('normalizes /proc/<pid>/ and escapes glob metacharacters', () => {
    expect(fileGlob('/proc/4242/stat')).toBe('/proc/*/stat');
    expect(fileGlob('/data/a*b?[c]\\d')).toBe('/data/a\\*b\\?\\[c\\]\\\\d');
  });

  it('describes files in a directory renamed every run (a scratch dir) with that directory\'s glob', () => {
    const dirs = [{ dir: '/tmp/faultbox-run-AbC123/kv-1', glob: '/tmp/faultbox-run-*/kv-*' }];
    expect(fileGlob('/tmp/faultbox-run-AbC123/kv-1/data/seg12.val', dirs)).toBe('/tmp/faultbox-run-*/kv-*/data/seg*.val');
    expect(siteOf({ path: '/tmp/faultbox-run-AbC123/kv-1/journal' }, dirs)).toEqual({
      kind: 'file',
      key: 'file:/tmp/faultbox-run-*/kv-*/journal',
      glob: '/tmp/faultbox-run-*/kv-*/journal',
    });
    // A sibling whose name only starts like the directory is not inside it.
    expect(fileGlob('/tmp/faultbox-run-AbC123/kv-10/x', dirs)).toBe('/tmp/faultbox-run-AbC123/kv-10/x');
    expect(globMatches('/tmp/faultbox-run-*/kv-*/data/seg*.val', '/tmp/faultbox-run-zz9Q01/kv-3/data/seg7.val')).toBe(true);
  });

  it('classifies sockets, pipes and anon inodes without a glob, and peers by a peer glob', () => {
    expect(siteOf({ path: 'socket:[123]' })).toEqual({ kind: 'socket', key: 'socket' });
    expect(siteOf({ path: 'pipe:[9]' })).toEqual({ kind: 'pipe', key: 'pipe' });
    expect(siteOf({ path: 'anon_inode:[eventfd]' })).toEqual({ kind: 'anon', key: 'anon:eventfd' });
    // IP peers by port (a container's address changes between runs, its port says what it is).
    expect(siteOf({ path: '172.30.0.3:5432', peer: '172.30.0.3:5432' })).toEqual({ kind: 'peer', key: 'peer:*:5432', peerGlob: '*:5432' });
    expect(siteOf({ peer: '[::1]:6379' })).toEqual({ kind: 'peer', key: 'peer:*:6379', peerGlob: '*:6379' });
    expect(siteOf({ path: '/run/app.sock', peer: 'unix:/run/app[1].sock' })).toEqual({ kind: 'peer', key: 'peer:unix:/run/app\\[1\\].sock', peerGlob: 'unix:/run/app\\[1\\].sock' });
    expect(globMatches(peerGlobOf('unix:/run/app[1].sock'), 'unix:/run/app[1].sock')).toBe(true);
    expect(siteOf({})).toEqual({ kind: 'none', key: 'none' });
    expect(siteOf({ path: '/data/x1' })).toEqual({ kind: 'file', key: 'file:/data/x*', glob: '/data/x*' });
  });

  it('matches the globs it produces the way the runtime counts paths', () => {
    expect(globMatches('/data/wal-*.log', '/data/wal-000123.log')).toBe(true);
    expect(globMatches('/data/wal-*.log', '/data/wal-x.log')).toBe(true);
    expect(globMatches('/data/*', '/data/sub/file')).toBe(false);
    expect(globMatches('/data/**', '/data/sub/file')).toBe(true);
    expect(globMatches('/data/a\\*b', '/data/a*b')).toBe(true);
    expect(globMatches('/data/a\\*b', '/data/axb')).toBe(false);
    expect(globMatches('/data/f?.log', '/data/f1.log')).toBe(true);
    for (const p of ['/var/lib/pg/base/16384/2619', '/data/a*b?[c]\\d', '/proc/77/stat']) expect(globMatches(fileGlob(p), p)).toBe(true);
  });
});

describe('globMatches counts the way the supervisor matches', () => {
  it('takes character classes, a zero-segment **/ and a trailing /** as the runtime does (the old copy did not)', () => {
    expect(globMatches('/data/[ab].log', '/data/a.log')).toBe(true);
    expect(globMatches('/data/[!ab].log', '/data/a.log')).toBe(false);
    expect(globMatches('/data/**/wal', '/data/wal')).toBe(true);
    expect(globMatches('/data/**', '/data')).toBe(true);
    expect(globMatches('/data/*', '/data/x/y')).toBe(false);
  });
});
