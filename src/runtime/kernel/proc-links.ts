// What a target's fds and cwd point at, via the /proc/<pid> symlinks: `/var/lib/x`,
// `socket:[123]`, `pipe:[9]`, `anon_inode:[eventfd]`. fd lookups go through a cached
// /proc/<pid>/fd directory fd (readlinkat), which skips most of the path walk of a readlink.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { libc, type Libc } from './libc.js';
import { pinnedBuffer } from './pinned-buffer.js';

const O_DIRECTORY = 0o200000;
const O_PATH = 0o10000000;
const O_CLOEXEC = 0o2000000;
const O_NONBLOCK = 0o4000;
/** Thread ids seen at once before the cache starts over (a thread-heavy target just re-opens). */
const MAX_CACHED = 256;

export class ProcLinks {
  private readonly c: Libc = libc();
  private readonly buf = pinnedBuffer(4096);
  /** tid → open /proc/<tid>/fd. A dead task's dir reads empty, so a reused tid just misses. */
  private readonly fdDirs = new Map<number, number>();
  private readonly fdNames: string[] = [];
  private readonly selfPipes = new Map<string, boolean>();

  fdTarget(pid: number, fd: number): string | undefined {
    if (fd < 0) return undefined;
    const name = fd < 1024 ? (this.fdNames[fd] ??= String(fd)) : String(fd);
    let dir = this.fdDirs.get(pid);
    if (dir !== undefined) {
      const n = this.c.readlinkat(dir, name, this.buf, this.buf.length);
      if (n >= 0) return this.buf.toString('utf8', 0, n);
      // Stale (the task died and the id was reused) or the fd is closed: retry with a fresh dir.
      this.c.close(dir);
      this.fdDirs.delete(pid);
    }
    if (this.fdDirs.size >= MAX_CACHED) this.close();
    dir = this.c.open(`/proc/${pid}/fd`, O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (dir < 0) return undefined;
    this.fdDirs.set(pid, dir);
    const n = this.c.readlinkat(dir, name, this.buf, this.buf.length);
    return n < 0 ? undefined : this.buf.toString('utf8', 0, n);
  }

  /**
   * Whether the task holds both ends of the pipe `target` names (`pipe:[N]`): two of its fds point
   * at it. A pipe whose both ends one process keeps is its own wake-up channel (Go's network
   * poller before Go 1.21, the self-pipe trick), not I/O with anyone else. Listing the fds costs
   * a readdir, so the answer is kept per (task, pipe).
   */
  holdsBothEnds(pid: number, target: string): boolean {
    const key = `${pid} ${target}`;
    const known = this.selfPipes.get(key);
    if (known !== undefined) return known;
    let ends = 0;
    try {
      for (const fd of readdirSync(`/proc/${pid}/fd`)) {
        try {
          if (readlinkSync(`/proc/${pid}/fd/${fd}`) === target && ++ends >= 2) break;
        } catch {
          // closed meanwhile
        }
      }
    } catch {
      return false; // the task is gone
    }
    if (this.selfPipes.size >= MAX_CACHED) this.selfPipes.clear();
    this.selfPipes.set(key, ends >= 2);
    return ends >= 2;
  }

  /**
   * Whether the task's descriptor `fd` is in non-blocking mode, from the `flags:` line of
   * /proc/<pid>/fdinfo/<fd> (octal open flags). A read of a file per call: only for calls whose
   * event is recorded with its target.
   */
  isNonblocking(pid: number, fd: number): boolean {
    if (fd < 0) return false;
    try {
      const flags = /^flags:\s*([0-7]+)/m.exec(readFileSync(`/proc/${pid}/fdinfo/${fd}`, 'latin1'));
      return flags !== null && (parseInt(flags[1]!, 8) & O_NONBLOCK) !== 0;
    } catch {
      return false; // closed meanwhile, or the task is gone
    }
  }

  cwd(pid: number): string | undefined {
    const n = this.c.readlink(`/proc/${pid}/cwd`, this.buf, this.buf.length);
    return n < 0 ? undefined : this.buf.toString('utf8', 0, n);
  }

  /** Closes the cached directory fds. */
  close(): void {
    for (const dir of this.fdDirs.values()) this.c.close(dir);
    this.fdDirs.clear();
    this.selfPipes.clear();
  }
}
