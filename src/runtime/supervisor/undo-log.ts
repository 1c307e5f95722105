// The undo log of one service, kept by the supervisor so a crash can model a power loss
// (crash(lose_unsynced=True)): before a trapped call that changes a file or a directory is let
// through, what it is about to overwrite is saved; a successful-looking sync makes it durable and
// drops the saved state; after the SIGKILL, rollback() puts everything back to its last synced
// state. Arguments come from registers (fd, offset, length) or, for paths and iovec lengths, from
// target memory. What the log cannot see is collected as blind spots, so a case meeting one says so.
import { posix } from 'node:path';
import { libc, type Libc } from '../kernel/libc.js';
import type { Notification } from '../kernel/notification.js';
import { TargetFds } from '../kernel/target-fds.js';
import { TargetMemory } from '../kernel/target-memory.js';
import { readU64 } from '../kernel/pinned-buffer.js';
import { syscallNumber } from '../kernel/syscall-table.js';
import { DirJournal } from './dir-journal.js';
import { FdStat, FilePreimages, S_IFDIR, S_IFREG } from './file-preimages.js';
import { NR_IO_URING_SETUP, NR_MMAP, NR_SYNC, NR_SYNCFS } from './undo-log-syscalls.js';

export interface RollbackReport {
  /** Files whose contents were put back. */
  readonly files: number;
  /** Directory changes undone. */
  readonly dirOps: number;
  /** What the model could not see during the test (a result would not be trustworthy). */
  readonly blindSpots: readonly string[];
  readonly errors: readonly string[];
}

const ENOSYS = 38;
const F_GETFL = 3;
const SEEK_CUR = 1;
const O_APPEND = 0o2000;
const O_DSYNC = 0o10000; // O_SYNC includes this bit
const O_CREAT = 0o100;
const AT_FDCWD = -100;
const AT_REMOVEDIR = 0x200;
const MAP_SHARED = 0x01;
const PROT_WRITE = 0x2;
const FALLOC_FL_COLLAPSE_RANGE = 0x08;
const FALLOC_FL_INSERT_RANGE = 0x20;
const RENAME_EXCHANGE = 0x2;
const IOV_MAX_READ = 64;

const NR = {
  write: syscallNumber('write'), pwrite64: syscallNumber('pwrite64'), writev: syscallNumber('writev'),
  pwritev: syscallNumber('pwritev'), pwritev2: syscallNumber('pwritev2'),
  ftruncate: syscallNumber('ftruncate'), fallocate: syscallNumber('fallocate'),
  fsync: syscallNumber('fsync'), fdatasync: syscallNumber('fdatasync'),
  open: syscallNumber('open'), openat: syscallNumber('openat'), creat: syscallNumber('creat'),
  rename: syscallNumber('rename'), renameat: syscallNumber('renameat'), renameat2: syscallNumber('renameat2'),
  unlink: syscallNumber('unlink'), unlinkat: syscallNumber('unlinkat'),
  mkdir: syscallNumber('mkdir'), mkdirat: syscallNumber('mkdirat'),
};

/** Syscall numbers the log looks at (a dense table: the hot path does one array read). */
export const UNDO_LOG_NR: readonly boolean[] = (() => {
  const t: boolean[] = new Array(512).fill(false);
  for (const nr of [...Object.values(NR), NR_SYNC, NR_SYNCFS, NR_IO_URING_SETUP, NR_MMAP]) t[nr] = true;
  return t;
})();

export class UndoLog {
  private readonly c: Libc = libc();
  private readonly fds = new TargetFds();
  private readonly memory = new TargetMemory();
  private readonly st = new FdStat();
  readonly data = new FilePreimages();
  readonly dirs = new DirJournal();
  private readonly blind = new Set<string>();

  /**
   * Called before a watched call is let through. Returns an errno to fail the call with (only
   * io_uring_setup: ENOSYS, so the program falls back to calls the log sees), else 0.
   */
  before(note: Notification): number {
    const nr = note.nr;
    const pid = note.pid;
    switch (nr) {
      case NR.write:
        this.beforeWrite(pid, note.argInt(0), -1, note.argU64(2));
        return 0;
      case NR.pwrite64:
        this.beforeWrite(pid, note.argInt(0), note.argU64(3), note.argU64(2));
        return 0;
      case NR.writev:
        this.beforeWrite(pid, note.argInt(0), -1, this.iovLength(pid, note.argU64(1), note.argInt(2)));
        return 0;
      case NR.pwritev:
      case NR.pwritev2: {
        const off = note.argU64(3);
        // pwritev2 with offset -1 writes at the current position.
        this.beforeWrite(pid, note.argInt(0), off >= 2 ** 63 ? -1 : off, this.iovLength(pid, note.argU64(1), note.argInt(2)));
        return 0;
      }
      case NR.ftruncate:
        this.beforeTruncate(pid, note.argInt(0), note.argU64(1));
        return 0;
      case NR.fallocate:
        this.beforeFallocate(pid, note.argInt(0), note.argInt(1), note.argU64(2), note.argU64(3));
        return 0;
      case NR.fsync:
      case NR.fdatasync:
        this.synced(pid, note.argInt(0));
        return 0;
      case NR_SYNC:
      case NR_SYNCFS:
        this.data.dropAll();
        this.dirs.syncedAll();
        return 0;
      case NR_IO_URING_SETUP:
        return ENOSYS;
      case NR_MMAP:
        this.beforeMmap(pid, note.argInt(2), note.argInt(3), note.argInt(4));
        return 0;
      case NR.open:
        if (note.argInt(1) & O_CREAT) this.beforeCreate(pid, AT_FDCWD, note.argU64(0), false);
        return 0;
      case NR.creat:
        this.beforeCreate(pid, AT_FDCWD, note.argU64(0), false);
        return 0;
      case NR.openat:
        if (note.argInt(2) & O_CREAT) this.beforeCreate(pid, note.argInt(0), note.argU64(1), false);
        return 0;
      case NR.mkdir:
        this.beforeCreate(pid, AT_FDCWD, note.argU64(0), true);
        return 0;
      case NR.mkdirat:
        this.beforeCreate(pid, note.argInt(0), note.argU64(1), true);
        return 0;
      case NR.unlink:
        this.beforeUnlink(pid, AT_FDCWD, note.argU64(0), false);
        return 0;
      case NR.unlinkat:
        this.beforeUnlink(pid, note.argInt(0), note.argU64(1), (note.argInt(2) & AT_REMOVEDIR) !== 0);
        return 0;
      case NR.rename:
        this.beforeRename(pid, AT_FDCWD, note.argU64(0), AT_FDCWD, note.argU64(1), 0);
        return 0;
      case NR.renameat:
        this.beforeRename(pid, note.argInt(0), note.argU64(1), note.argInt(2), note.argU64(3), 0);
        return 0;
      case NR.renameat2:
        this.beforeRename(pid, note.argInt(0), note.argU64(1), note.argInt(2), note.argU64(3), note.argInt(4));
        return 0;
    }
    return 0;
  }

  /** After the SIGKILL: every file and directory back to its last synced state. */
  rollback(): RollbackReport {
    const dirs = this.dirs.undoAll();
    const data = this.data.restore();
    const report: RollbackReport = { files: data.files, dirOps: dirs.undone, blindSpots: [...this.blind], errors: [...dirs.errors, ...data.errors] };
    this.blind.clear();
    return report;
  }

  close(): void {
    this.data.dropAll();
    this.dirs.syncedAll();
    this.fds.close();
  }

  // ---- data --------------------------------------------------------------------------------

  /** Takes the target's fd; -1 unless it is a regular file (then `this.st` describes it). */
  private regularFile(pid: number, fd: number): number {
    const dup = this.fds.take(pid, fd);
    if (dup < 0) return -1;
    if (!this.st.load(dup) || this.st.mode !== S_IFREG) {
      this.c.close(dup);
      return -1;
    }
    return dup;
  }

  private beforeWrite(pid: number, fd: number, offset: number, length: number): void {
    // stdout and stderr go to the log files faultbox captures: rolling them back would only
    // erase the service's last words.
    if (length <= 0 || fd <= 2) return;
    const dup = this.regularFile(pid, fd);
    if (dup < 0) return;
    const flags = this.c.fcntl(dup, F_GETFL, 0);
    // O_SYNC / O_DSYNC: durable once the call returns, so nothing to lose.
    if (flags & O_DSYNC) return void this.c.close(dup);
    if (offset < 0) offset = flags & O_APPEND ? this.st.size : this.c.lseek(dup, 0, SEEK_CUR);
    if (!this.data.save(dup, this.st, offset, length)) this.c.close(dup);
  }

  private beforeTruncate(pid: number, fd: number, length: number): void {
    const dup = this.regularFile(pid, fd);
    if (dup < 0) return;
    const cut = this.st.size > length ? this.st.size - length : 0;
    if (!this.data.save(dup, this.st, length, cut)) this.c.close(dup);
  }

  private beforeFallocate(pid: number, fd: number, mode: number, offset: number, length: number): void {
    const dup = this.regularFile(pid, fd);
    if (dup < 0) return;
    // Collapsing or inserting a range shifts everything after it.
    const shifts = (mode & (FALLOC_FL_COLLAPSE_RANGE | FALLOC_FL_INSERT_RANGE)) !== 0;
    const len = shifts ? Math.max(0, this.st.size - offset) : length;
    if (!this.data.save(dup, this.st, offset, len)) this.c.close(dup);
  }

  private synced(pid: number, fd: number): void {
    const dup = this.fds.take(pid, fd);
    if (dup < 0) return;
    if (this.st.load(dup)) {
      if (this.st.mode === S_IFDIR) this.dirs.synced(this.st.dev, this.st.ino);
      else this.data.drop(this.st.dev, this.st.ino);
    }
    this.c.close(dup);
  }

  private beforeMmap(pid: number, prot: number, flags: number, fd: number): void {
    if (fd < 0 || !(flags & MAP_SHARED) || !(prot & PROT_WRITE)) return;
    const dup = this.regularFile(pid, fd);
    if (dup < 0) return;
    this.c.close(dup);
    const path = this.c.readlink(`/proc/${pid}/fd/${fd}`, this.memory.bytes, this.memory.bytes.length);
    const name = path > 0 ? this.memory.bytes.toString('utf8', 0, path) : `fd ${fd}`;
    // POSIX shared memory lives in tmpfs: a power loss takes it in any case.
    if (name.startsWith('/dev/shm/')) return;
    this.blind.add(`a shared writable mmap of ${name}: writes through it bypass write(), so the lost-writes model cannot see them`);
  }

  /** Sum of the iovec lengths (read from target memory: a racing thread could change them). */
  private iovLength(pid: number, iov: number, count: number): number {
    const n = Math.min(count, IOV_MAX_READ);
    if (iov === 0 || n <= 0) return 0;
    const got = this.memory.read(pid, iov, n * 16);
    if (got < n * 16) return 0;
    let total = 0;
    for (let i = 0; i < n; i++) total += readU64(this.memory.bytes, i * 16 + 8);
    if (count > IOV_MAX_READ) this.blind.add(`a vectored write with ${count} buffers (more than ${IOV_MAX_READ}): only the first ${IOV_MAX_READ} were saved`);
    return total;
  }

  // ---- directories -------------------------------------------------------------------------

  /** The directory a (dirfd, path) names and the last component, as seen by the target. */
  private split(pid: number, dirfd: number, pathAddr: number): { dir: string; name: string } | undefined {
    const path = this.memory.readCString(pid, pathAddr);
    if (path === undefined || path === '') return undefined;
    const trimmed = path.length > 1 ? path.replace(/\/+$/, '') : path;
    const name = posix.basename(trimmed);
    const parent = posix.dirname(trimmed);
    const base = trimmed.startsWith('/') ? `/proc/${pid}/root` : dirfd === AT_FDCWD ? `/proc/${pid}/cwd` : `/proc/${pid}/fd/${dirfd}`;
    return { dir: parent === '.' && !trimmed.startsWith('/') ? base : `${base}/${trimmed.startsWith('/') ? parent.slice(1) : parent}`, name };
  }

  private beforeCreate(pid: number, dirfd: number, pathAddr: number, isDir: boolean): void {
    const p = this.split(pid, dirfd, pathAddr);
    if (!p) return;
    const d = this.dirs.holdDir(p.dir, this.st);
    if (!d) return;
    if (isDir) this.dirs.mkdir(d, p.name);
    else this.dirs.creating(d, p.name);
  }

  private beforeUnlink(pid: number, dirfd: number, pathAddr: number, isDir: boolean): void {
    const p = this.split(pid, dirfd, pathAddr);
    if (!p) return;
    const d = this.dirs.holdDir(p.dir, this.st);
    if (d) this.dirs.unlinking(d, p.name, isDir);
  }

  private beforeRename(pid: number, fromDirfd: number, fromAddr: number, toDirfd: number, toAddr: number, flags: number): void {
    if (flags & RENAME_EXCHANGE) {
      this.blind.add('renameat2(RENAME_EXCHANGE): swapped names are not journaled');
      return;
    }
    const from = this.split(pid, fromDirfd, fromAddr);
    const to = this.split(pid, toDirfd, toAddr);
    if (!from || !to) return;
    const fd = this.dirs.holdDir(from.dir, this.st);
    if (!fd) return;
    const td = this.dirs.holdDir(to.dir, this.st);
    if (!td) return this.dirs.release(fd);
    this.dirs.renaming(fd, from.name, td, to.name);
  }
}
