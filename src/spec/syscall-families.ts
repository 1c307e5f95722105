// Syscall families: the keyword a spec writes (`write=deny("EIO")`), the syscalls it expands to,
// what the call's target is (so rules can match paths and peers), and the errnos the family can
// really return, ordered from the most common to the most exotic (the explorer shrinks toward
// the first). The README documents this table; keep the two in step.
import type { ErrnoName } from './errno.js';

/** Syscall names the runtime can trap on x86-64. Numbers live in runtime/kernel. */
export const SYSCALL_NAMES = [
  'read', 'readv', 'pread64', 'preadv', 'preadv2',
  'write', 'writev', 'pwrite64', 'pwritev', 'pwritev2',
  'open', 'openat', 'openat2', 'creat',
  'fsync', 'fdatasync', 'sync_file_range',
  'close',
  'connect', 'accept', 'accept4', 'socket',
  'sendto', 'sendmsg', 'sendmmsg',
  'recvfrom', 'recvmsg', 'recvmmsg',
  'unlink', 'unlinkat', 'rename', 'renameat', 'renameat2',
  'mkdir', 'mkdirat', 'ftruncate', 'fallocate',
] as const;

export type SyscallName = (typeof SYSCALL_NAMES)[number];

/** What the first interesting argument of a call refers to. */
export type TargetKind = 'fd' | 'path' | 'sockaddr' | 'none';

export interface SyscallFamily {
  readonly name: string;
  readonly members: readonly SyscallName[];
  readonly target: TargetKind;
  readonly errnos: readonly ErrnoName[];
}

export const FAMILIES: readonly SyscallFamily[] = [
  { name: 'write', members: ['write', 'writev', 'pwrite64', 'pwritev', 'pwritev2'], target: 'fd',
    errnos: ['EIO', 'ENOSPC', 'EDQUOT', 'EINTR', 'EAGAIN', 'EFBIG', 'EPIPE', 'EROFS'] },
  { name: 'read', members: ['read', 'readv', 'pread64', 'preadv', 'preadv2'], target: 'fd',
    errnos: ['EIO', 'EINTR', 'EAGAIN', 'ECONNRESET'] },
  { name: 'open', members: ['open', 'openat', 'openat2', 'creat'], target: 'path',
    errnos: ['ENOENT', 'EACCES', 'EMFILE', 'ENFILE', 'ENOSPC', 'EROFS', 'EIO', 'EINTR'] },
  { name: 'fsync', members: ['fsync', 'fdatasync', 'sync_file_range'], target: 'fd',
    errnos: ['EIO', 'ENOSPC', 'EDQUOT', 'EROFS'] },
  { name: 'close', members: ['close'], target: 'fd', errnos: ['EIO', 'EINTR'] },
  { name: 'connect', members: ['connect'], target: 'sockaddr',
    errnos: ['ECONNREFUSED', 'ETIMEDOUT', 'ENETUNREACH', 'EHOSTUNREACH', 'ECONNRESET', 'EADDRNOTAVAIL', 'EINTR', 'EAGAIN'] },
  { name: 'accept', members: ['accept', 'accept4'], target: 'fd',
    errnos: ['ECONNABORTED', 'EMFILE', 'ENFILE', 'ENOMEM', 'EINTR'] },
  { name: 'socket', members: ['socket'], target: 'none', errnos: ['EMFILE', 'ENFILE', 'ENOMEM', 'EACCES'] },
  { name: 'sendto', members: ['sendto', 'sendmsg', 'sendmmsg'], target: 'fd',
    errnos: ['ECONNRESET', 'EPIPE', 'EAGAIN', 'EINTR', 'ENOMEM', 'ENETUNREACH'] },
  { name: 'recvfrom', members: ['recvfrom', 'recvmsg', 'recvmmsg'], target: 'fd',
    errnos: ['ECONNRESET', 'EAGAIN', 'EINTR', 'ENOMEM'] },
  { name: 'unlink', members: ['unlink', 'unlinkat'], target: 'path', errnos: ['EIO', 'EACCES', 'EBUSY', 'EROFS', 'ENOENT'] },
  { name: 'rename', members: ['rename', 'renameat', 'renameat2'], target: 'path', errnos: ['EIO', 'ENOSPC', 'EACCES', 'EROFS', 'EBUSY'] },
  { name: 'mkdir', members: ['mkdir', 'mkdirat'], target: 'path', errnos: ['ENOSPC', 'EACCES', 'EEXIST', 'EROFS', 'EIO'] },
  { name: 'ftruncate', members: ['ftruncate', 'fallocate'], target: 'fd', errnos: ['EIO', 'ENOSPC', 'EFBIG', 'EROFS'] },
];

const FAMILY_BY_NAME = new Map(FAMILIES.map((f) => [f.name, f]));
const FAMILY_OF_SYSCALL = new Map<SyscallName, SyscallFamily>(
  FAMILIES.flatMap((f) => f.members.map((m) => [m, f] as const)),
);

export function isSyscallName(name: string): name is SyscallName {
  return (SYSCALL_NAMES as readonly string[]).includes(name);
}

/** The family a syscall belongs to (every trappable syscall has exactly one). */
export function familyOf(syscall: SyscallName): SyscallFamily {
  const f = FAMILY_OF_SYSCALL.get(syscall);
  if (!f) throw new Error(`internal: syscall ${syscall} has no family`);
  return f;
}

/**
 * A rule keyword names a family (`write`) or one syscall (`pwrite64`). Aliases: `openat`
 * means the open family, as users expect. Returns undefined for an unknown keyword.
 */
export function expandKeyword(keyword: string): { family: SyscallFamily; syscalls: readonly SyscallName[] } | undefined {
  const alias = keyword === 'openat' ? 'open' : keyword;
  const fam = FAMILY_BY_NAME.get(alias);
  if (fam) return { family: fam, syscalls: fam.members };
  if (isSyscallName(keyword)) return { family: familyOf(keyword), syscalls: [keyword] };
  return undefined;
}

export const RULE_KEYWORDS: readonly string[] = [...FAMILIES.map((f) => f.name), ...SYSCALL_NAMES.filter((s) => !FAMILY_BY_NAME.has(s))];
