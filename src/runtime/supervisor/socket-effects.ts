// What a denied call does to its socket besides returning the errno, so that a fault means what
// the kernel means. Without it, `accept=deny("ECONNABORTED")` leaves the connection in the
// backlog and an event loop retries accept for ever (millions of denials a minute), and an
// errno on a write to a healthy TCP connection leaves the connection working, which no kernel
// does: a client then waits on a socket that never fails.
//
//   accept, accept4  ECONNABORTED: the pending connection is taken off the queue and reset
//                    (the client sees ECONNRESET). EMFILE, ENFILE, ENOMEM, ... leave it queued,
//                    as the kernel does: a server out of descriptors really cannot take it.
//   read/write/send/recv families on a socket, with a connection errno (EPIPE, ECONNRESET, EIO,
//                    ETIMEDOUT, ENETUNREACH, EHOSTUNREACH): the connection is shut down both
//                    ways, so the peer sees it end and later calls on it fail too.
// The supervisor acts on the target's socket through a duplicate taken with pidfd_getfd (one
// socket, two descriptors: shutdown and accept act on the socket itself). Only denied calls pay.
import { readFileSync } from 'node:fs';
import { ERRNOS, type ErrnoName } from '../../spec/errno.js';
import type { FamilyName, SyscallName } from '../../spec/syscall-families.js';
import { familyOf } from '../../spec/syscall-families.js';
import type { Libc } from '../kernel/libc.js';
import { takeFdFromProcess } from '../kernel/pidfd.js';

const SOL_SOCKET = 1;
const SO_LINGER = 13;
const SHUT_RDWR = 2;
const SOCK_NONBLOCK = 0o4000;
const SOCK_CLOEXEC = 0o2000000;
const POLLIN = 1;

const CONNECTION_ERRNOS: ReadonlySet<number> = new Set(
  (['EPIPE', 'ECONNRESET', 'EIO', 'ETIMEDOUT', 'ENETUNREACH', 'EHOSTUNREACH'] as ErrnoName[]).map((e) => ERRNOS[e].number),
);
const DATA_FAMILIES: ReadonlySet<FamilyName> = new Set<FamilyName>(['read', 'write', 'sendto', 'recvfrom']);

export type SocketEffect = 'reset-pending' | 'shut-down' | 'none';

/** The effect a denied call of `syscall` with `errno` has on a socket fd (before knowing the fd's kind). */
export function socketEffectOf(syscall: SyscallName, errno: number): SocketEffect {
  const family = familyOf(syscall).name;
  if (family === 'accept') return errno === ERRNOS.ECONNABORTED.number ? 'reset-pending' : 'none';
  if (DATA_FAMILIES.has(family) && CONNECTION_ERRNOS.has(errno)) return 'shut-down';
  return 'none';
}

/** The thread group (process) a thread id belongs to. */
function processOf(tid: number): number {
  const m = /^Tgid:\s*(\d+)/m.exec(readFileSync(`/proc/${tid}/status`, 'utf8'));
  return m ? Number(m[1]) : tid;
}

export class SocketEffects {
  private readonly linger = Buffer.alloc(8);
  private readonly pollFd = Buffer.alloc(8);

  constructor(private readonly c: Libc) {
    this.linger.writeInt32LE(1, 0); // l_onoff
    this.linger.writeInt32LE(0, 4); // l_linger = 0: close sends RST
  }

  /**
   * Applies the effect of a denial to `fd` of `pid` (whose resolved target is `target`). Never
   * throws: a process that exited or an fd already closed leaves nothing to do.
   */
  apply(effect: SocketEffect, pid: number, fd: number, target: string | undefined): void {
    if (effect === 'none' || target === undefined || !target.startsWith('socket:')) return;
    let dup: number;
    try {
      // A notification names the calling thread; pidfd_open wants its process (the fd table is shared).
      dup = takeFdFromProcess(processOf(pid), fd);
    } catch {
      return;
    }
    try {
      if (effect === 'shut-down') this.c.shutdown(dup, SHUT_RDWR);
      else this.resetPending(dup);
    } finally {
      this.c.close(dup);
    }
  }

  /** Takes one pending connection off a listener and resets it; nothing when none is pending. */
  private resetPending(listener: number): void {
    // The listener may be blocking: only accept what poll says is there.
    this.pollFd.writeInt32LE(listener, 0);
    this.pollFd.writeInt16LE(POLLIN, 4);
    this.pollFd.writeInt16LE(0, 6);
    if (this.c.poll(this.pollFd, 1, 0) !== 1 || (this.pollFd.readInt16LE(6) & POLLIN) === 0) return;
    const conn = this.c.accept4(listener, null, null, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (conn < 0) return;
    this.c.setsockopt(conn, SOL_SOCKET, SO_LINGER, this.linger, this.linger.length);
    this.c.close(conn);
  }
}
