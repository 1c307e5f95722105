// The undo log's two halves on real files in a temp dir: block pre-images restored through the
// kept fd (also after the file's name is gone), and directory changes undone newest first.
import { existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, readdirSync, renameSync, rmSync, unlinkSync, writeFileSync, writeSync, closeSync, ftruncateSync } from 'node:fs';
import { libc } from '../kernel/libc.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BLOCK, FdStat, FilePreimages } from './file-preimages.js';
import { DirJournal, STASH_PREFIX } from './dir-journal.js';

/** The supervisor's dup of a writer's fd (pidfd_getfd gives the same: a shared description). */
const dupSync = (fd: number): number => libc().fcntl(fd, 1030 /* F_DUPFD_CLOEXEC */, 0);

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'faultbox-undo-test-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('FilePreimages', () => {
  it('saves each touched block once and puts contents and size back', () => {
    const path = join(dir, 'data');
    const before = Buffer.alloc(BLOCK * 2 + 100, 'a');
    writeFileSync(path, before);
    const fd = openSync(path, 'r+');
    const log = new FilePreimages();
    const st = new FdStat();
    // What the supervisor does before each write: a dup of the writer's fd, then save().
    const step = (offset: number, length: number, bytes: string) => {
      const dup = dupSync(fd);
      expect(st.load(dup)).toBe(true);
      if (!log.save(dup, st, offset, length)) closeSync(dup);
      writeSync(fd, bytes, offset);
    };
    step(10, 5, 'XXXXX');
    step(20, 5, 'YYYYY'); // same block: no second pre-image
    step(BLOCK * 2 + 90, 30, 'Z'.repeat(30)); // the partial last block, and growth past the end
    expect(log.savedBlocks).toBe(2);
    expect(log.trackedFiles).toBe(1);
    const dup = dupSync(fd);
    st.load(dup);
    // Before a truncation to 7 bytes: what it cuts is saved (block 1 for the first time).
    if (!log.save(dup, st, 7, st.size - 7)) closeSync(dup);
    expect(log.savedBlocks).toBe(3);
    ftruncateSync(fd, 7);
    const report = log.restore();
    expect(report).toEqual({ files: 1, errors: [] });
    expect(readFileSync(path).equals(before)).toBe(true);
    closeSync(fd);
  });

  it('restores a file by inode after its name was unlinked', () => {
    const path = join(dir, 'gone');
    writeFileSync(path, 'old contents');
    const fd = openSync(path, 'r+');
    const log = new FilePreimages();
    const st = new FdStat();
    const dup = dupSync(fd);
    st.load(dup);
    expect(log.save(dup, st, 0, 3)).toBe(true);
    writeSync(fd, 'new', 0);
    const keep = join(dir, 'kept');
    renameSync(path, keep); // as if the name moved on: the fd still reaches the inode
    log.restore();
    expect(readFileSync(keep, 'utf8')).toBe('old contents');
    closeSync(fd);
  });

  it('forgets a file once it is synced', () => {
    const path = join(dir, 'synced');
    writeFileSync(path, 'durable');
    const fd = openSync(path, 'r+');
    const log = new FilePreimages();
    const st = new FdStat();
    const dup = dupSync(fd);
    st.load(dup);
    log.save(dup, st, 0, 7);
    writeSync(fd, 'changed', 0);
    log.drop(st.dev, st.ino);
    expect(log.restore().files).toBe(0);
    expect(readFileSync(path, 'utf8')).toBe('changed');
    closeSync(fd);
  });
});

describe('DirJournal', () => {
  const st = new FdStat();

  it('undoes create, rename over an existing name, unlink and mkdir, newest first', () => {
    writeFileSync(join(dir, 'data.json'), 'old');
    writeFileSync(join(dir, 'doomed'), 'bye');
    const j = new DirJournal();
    const hold = () => j.holdDir(dir, st)!;

    j.creating(hold(), 'data.json.tmp');
    writeFileSync(join(dir, 'data.json.tmp'), 'new');
    j.renaming(hold(), 'data.json.tmp', hold(), 'data.json');
    renameSync(join(dir, 'data.json.tmp'), join(dir, 'data.json'));
    j.unlinking(hold(), 'doomed', false);
    unlinkSync(join(dir, 'doomed'));
    j.mkdir(hold(), 'sub');
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'sub', 'inside'), 'x');
    expect(j.size).toBe(4);

    expect(j.undoAll()).toEqual({ undone: 4, errors: [] });
    expect(readdirSync(dir).sort()).toEqual(['data.json', 'doomed']);
    expect(readFileSync(join(dir, 'data.json'), 'utf8')).toBe('old');
    expect(readFileSync(join(dir, 'doomed'), 'utf8')).toBe('bye');
  });

  it('keeps what an fsync of the directory made durable, and cleans its stash names', () => {
    writeFileSync(join(dir, 'data.json'), 'old');
    const j = new DirJournal();
    const d = j.holdDir(dir, st)!;
    const { dev, ino } = d;
    writeFileSync(join(dir, 'data.json.tmp'), 'new');
    j.renaming(d, 'data.json.tmp', j.holdDir(dir, st)!, 'data.json');
    renameSync(join(dir, 'data.json.tmp'), join(dir, 'data.json'));
    expect(readdirSync(dir).some((n) => n.startsWith(STASH_PREFIX))).toBe(true);
    j.synced(dev, ino);
    expect(j.size).toBe(0);
    expect(j.undoAll().undone).toBe(0);
    expect(readdirSync(dir)).toEqual(['data.json']);
    expect(readFileSync(join(dir, 'data.json'), 'utf8')).toBe('new');
    expect(existsSync(join(dir, 'data.json.tmp'))).toBe(false);
  });
});
