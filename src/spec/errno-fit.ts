// Which errnos a call can really return, given what it acts on. A family's errno list (the
// families table) is the union over every kind of target; a regular file never answers a write
// with EPIPE, a socket never with ENOSPC, and local file systems never return EINTR or EAGAIN
// for open, read or write of a regular file. The explorer only generates (and the shrinker only
// moves to) errnos that fit the calls a fault hits, so what it reports can happen for real.
import type { ErrnoName } from './errno.js';

/** What a call's descriptor or path is, as far as the errno it can get is concerned. */
export type TargetClass = 'file' | 'socket' | 'pipe' | 'other';

const FITS: Readonly<Record<string, Partial<Record<TargetClass, readonly ErrnoName[]>>>> = {
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
  const list = FITS[family]?.[cls];
  return list === undefined || list.includes(errno);
}

/** The class of a call's target as events name it: a path, `socket:[n]`, `pipe:[n]`, a peer address. */
export function targetClassOf(target: string): TargetClass {
  if (target.startsWith('/')) return 'file';
  if (target.startsWith('socket:') || target.startsWith('unix:') || /:\d+$/.test(target)) return 'socket';
  if (target.startsWith('pipe:')) return 'pipe';
  return 'other';
}
