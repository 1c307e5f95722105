// Which errnos a call can really return, given what it acts on. A family's errno list (the
// families table) is the union over every kind of target; a regular file never answers a write
// with EPIPE, a socket never with ENOSPC, and local file systems never return EINTR or EAGAIN
// for open, read or write of a regular file. The explorer only generates (and the shrinker only
// moves to) errnos that fit the calls a fault hits, so what it reports can happen for real.
//
// On a socket or pipe in non-blocking mode neither transient errno fits: such a call never
// sleeps, so no signal interrupts it (no EINTR), and EAGAIN tells the program to wait until the
// kernel reports the descriptor ready. Faultbox returns it while the descriptor is ready, so no
// readiness edge ever follows, and a program on an edge-triggered poller (Go's netpoller) waits
// forever: a hang the fault alone made, which the kernel cannot produce.
import { TRANSIENT_ERRNOS, type ErrnoName } from './errno.js';
import type { SyscallEvent } from './events.js';

/** What a call's descriptor or path is, as far as the errno it can get is concerned. */
export type TargetClass = 'file' | 'socket' | 'pipe' | 'nonblocking-socket' | 'nonblocking-pipe' | 'other';

type KindClass = 'file' | 'socket' | 'pipe' | 'other';

const FITS: Readonly<Record<string, Partial<Record<KindClass, readonly ErrnoName[]>>>> = {
  write: {
    file: ['EIO', 'ENOSPC', 'EDQUOT', 'EFBIG', 'EROFS'],
    socket: ['EPIPE', 'EAGAIN', 'EINTR'],
    pipe: ['EPIPE', 'EAGAIN', 'EINTR'],
  },
  read: {
    file: ['EIO'],
    socket: ['ECONNRESET', 'EAGAIN', 'EINTR'],
    pipe: ['EAGAIN', 'EINTR'],
  },
  open: {
    file: ['ENOENT', 'EACCES', 'EMFILE', 'ENFILE', 'ENOSPC', 'EROFS', 'EIO'],
  },
};

/** Whether `errno` is something a `family` call on a target of class `cls` can return. */
export function errnoFits(family: string, errno: ErrnoName, cls: TargetClass): boolean {
  if ((cls === 'nonblocking-socket' || cls === 'nonblocking-pipe') && TRANSIENT_ERRNOS.has(errno)) return false;
  const list = FITS[family]?.[kindOf(cls)];
  return list === undefined || list.includes(errno);
}

function kindOf(cls: TargetClass): KindClass {
  return cls === 'nonblocking-socket' ? 'socket' : cls === 'nonblocking-pipe' ? 'pipe' : cls;
}

/** A class in non-blocking mode: sockets and pipes have one; files and others ignore O_NONBLOCK. */
export function nonblockingClass(cls: TargetClass): TargetClass {
  return cls === 'socket' ? 'nonblocking-socket' : cls === 'pipe' ? 'nonblocking-pipe' : cls;
}

/** The class of a call's target as events name it: a path, `socket:[n]`, `pipe:[n]`, a peer address. */
export function targetClassOf(target: string, nonblocking = false): TargetClass {
  const cls: TargetClass =
    target.startsWith('/') ? 'file'
    : target.startsWith('socket:') || target.startsWith('unix:') || /:\d+$/.test(target) ? 'socket'
    : target.startsWith('pipe:') ? 'pipe'
    : 'other';
  return nonblocking ? nonblockingClass(cls) : cls;
}

/** The class of what a recorded call acted on; undefined when the event does not say. */
export function classOfCall(ev: Pick<SyscallEvent, 'path' | 'peer' | 'nonblocking'>): TargetClass | undefined {
  const target = ev.path ?? ev.peer;
  return target === undefined ? undefined : targetClassOf(target, ev.nonblocking === true);
}
