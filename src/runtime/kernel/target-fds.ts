// Duplicating a target's fd into the supervisor (pidfd_getfd) on the hot path: the dup shares the
// target's open file description (position, O_APPEND, O_SYNC), so the undo log can read a file's
// pre-image and learn where a write() lands without touching target memory. Seccomp reports
// thread ids; pidfd_open wants the thread group leader, looked up once per thread id.
import { readFileSync } from 'node:fs';
import { libc, type Libc } from './libc.js';

const NR_PIDFD_OPEN = 434;
const NR_PIDFD_GETFD = 438;
/** Thread ids cached at once before the cache starts over. */
const MAX_CACHED = 256;

export class TargetFds {
  private readonly c: Libc = libc();
  /** tid → pidfd of its thread group (a dead group's pidfd just fails, and is reopened). */
  private readonly pidfds = new Map<number, number>();

  /** A dup of `fd` of the thread `tid`'s process (close-on-exec), or -1 when it cannot be taken. */
  take(tid: number, fd: number): number {
    if (fd < 0) return -1;
    let pidfd = this.pidfds.get(tid);
    if (pidfd !== undefined) {
      const got = this.c.syscall3(NR_PIDFD_GETFD, pidfd, fd, 0);
      if (got >= 0) return got;
      // The fd is closed, or the process died and the tid was reused: retry with a fresh pidfd.
      this.c.close(pidfd);
      this.pidfds.delete(tid);
    }
    if (this.pidfds.size >= MAX_CACHED) this.close();
    const tgid = threadGroup(tid);
    if (tgid === undefined) return -1;
    pidfd = this.c.syscall3(NR_PIDFD_OPEN, tgid, 0, 0);
    if (pidfd < 0) return -1;
    this.pidfds.set(tid, pidfd);
    return this.c.syscall3(NR_PIDFD_GETFD, pidfd, fd, 0);
  }

  close(): void {
    for (const fd of this.pidfds.values()) this.c.close(fd);
    this.pidfds.clear();
  }
}

function threadGroup(tid: number): number | undefined {
  try {
    const m = /^Tgid:\s*(\d+)/m.exec(readFileSync(`/proc/${tid}/status`, 'utf8'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}
