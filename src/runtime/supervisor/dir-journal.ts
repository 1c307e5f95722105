// The directory half of the undo log: names created, renamed, removed and directories made since
// their directory was last fsynced, each undone (newest first) by a crash. Every entry holds an
// O_PATH fd on the directory it changed, opened through the target's own view
// (/proc/<tid>/root, /cwd or /fd/<dirfd>), so it works for containers and survives the target's
// death; a name about to be removed or replaced is first hard-linked to a hidden stash name in the
// same directory, so its inode can come back.
import { existsSync, linkSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { libc, type Libc } from '../kernel/libc.js';
import type { FdStat } from './file-preimages.js';

const O_PATH = 0o10000000;
const O_DIRECTORY = 0o200000;
const O_CLOEXEC = 0o2000000;
export const STASH_PREFIX = '.faultbox-undo-';

/** A directory the journal holds open, and its identity for matching a later fsync. */
interface HeldDir {
  readonly fd: number;
  readonly dev: number;
  readonly ino: number;
}

interface Entry {
  /** The directory whose fsync makes the change durable. */
  readonly dir: HeldDir;
  readonly what: string;
  /** Puts the directory back as it was before the change. */
  undo(): void;
  /** The change became durable: release what undo would have needed. */
  forget(): void;
}

const at = (d: HeldDir, name: string): string => `/proc/self/fd/${d.fd}/${name}`;

export class DirJournal {
  private readonly c: Libc = libc();
  private entries: Entry[] = [];
  private stashes = 0;

  get size(): number {
    return this.entries.length;
  }

  /** Opens the directory `dirPath` names (a /proc/<tid>/... path); undefined when it cannot be. */
  holdDir(dirPath: string, st: FdStat): HeldDir | undefined {
    const fd = this.c.open(dirPath, O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return undefined;
    if (!st.load(fd)) {
      this.c.close(fd);
      return undefined;
    }
    return { fd, dev: st.dev, ino: st.ino };
  }

  release(d: HeldDir): void {
    this.c.close(d.fd);
  }

  /** Before an O_CREAT open: a name that does not exist yet is removed again by a crash. */
  creating(d: HeldDir, name: string): void {
    if (existsSync(at(d, name))) return this.release(d);
    this.push({ dir: d, what: `create ${name}`, undo: () => rmSync(at(d, name), { force: true }), forget: () => this.release(d) });
  }

  mkdir(d: HeldDir, name: string): void {
    if (existsSync(at(d, name))) return this.release(d);
    // Whatever was put inside is unreachable once the entry is lost.
    this.push({ dir: d, what: `mkdir ${name}`, undo: () => rmSync(at(d, name), { recursive: true, force: true }), forget: () => this.release(d) });
  }

  /** Before unlink / rmdir: the name comes back (a file through its stashed hard link). */
  unlinking(d: HeldDir, name: string, isDir: boolean): void {
    if (!existsSync(at(d, name))) return this.release(d);
    if (isDir) {
      this.push({ dir: d, what: `rmdir ${name}`, undo: () => mkdirSync(at(d, name)), forget: () => this.release(d) });
      return;
    }
    const stash = this.stash(d, name);
    if (stash === undefined) return this.release(d);
    this.push({
      dir: d, what: `unlink ${name}`,
      undo: () => renameSync(at(d, stash), at(d, name)),
      forget: () => {
        rmSync(at(d, stash), { force: true });
        this.release(d);
      },
    });
  }

  /** Before rename(from, to): durable once `to`'s directory is fsynced; a replaced `to` comes back. */
  renaming(from: HeldDir, fromName: string, to: HeldDir, toName: string): void {
    if (!existsSync(at(from, fromName))) {
      this.release(from);
      return this.release(to);
    }
    const replaced = existsSync(at(to, toName)) ? this.stash(to, toName) : undefined;
    this.push({
      dir: to, what: `rename ${fromName} → ${toName}`,
      undo: () => {
        renameSync(at(to, toName), at(from, fromName));
        if (replaced !== undefined) renameSync(at(to, replaced), at(to, toName));
      },
      forget: () => {
        if (replaced !== undefined) rmSync(at(to, replaced), { force: true });
        this.release(from);
        this.release(to);
      },
    });
  }

  /** The directory (dev, ino) was fsynced: its changes so far are durable. */
  synced(dev: number, ino: number): void {
    if (this.entries.length === 0) return;
    const kept: Entry[] = [];
    for (const e of this.entries) {
      if (e.dir.dev === dev && e.dir.ino === ino) e.forget();
      else kept.push(e);
    }
    this.entries = kept;
  }

  syncedAll(): void {
    for (const e of this.entries) e.forget();
    this.entries = [];
  }

  /** Undoes every change, newest first; returns how many and what failed. */
  undoAll(): { undone: number; errors: string[] } {
    const errors: string[] = [];
    let undone = 0;
    for (const e of this.entries.reverse()) {
      try {
        e.undo();
        undone++;
      } catch (err) {
        errors.push(`${e.what}: ${(err as Error).message}`);
      }
    }
    for (const e of this.entries) e.forget();
    this.entries = [];
    return { undone, errors };
  }

  private push(e: Entry): void {
    this.entries.push(e);
  }

  private stash(d: HeldDir, name: string): string | undefined {
    const stash = `${STASH_PREFIX}${process.pid}-${++this.stashes}`;
    try {
      linkSync(at(d, name), at(d, stash));
      return stash;
    } catch {
      return undefined; // a directory, or a file system without hard links: not undoable
    }
  }
}

