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

export type FamilyName =
  | 'write' | 'read' | 'open' | 'fsync' | 'close' | 'connect' | 'accept' | 'socket'
  | 'sendto' | 'recvfrom' | 'unlink' | 'rename' | 'mkdir' | 'ftruncate';

export interface SyscallFamily {
  readonly name: FamilyName;
  readonly members: readonly SyscallName[];
  readonly target: TargetKind;
  /** The call may name the peer it talks to (connect; sendto/sendmsg on an unconnected socket), so peer= applies. */
  readonly namesPeer: boolean;
  readonly errnos: readonly ErrnoName[];
}

export const FAMILIES: readonly SyscallFamily[] = [
  { name: 'write', members: ['write', 'writev', 'pwrite64', 'pwritev', 'pwritev2'], namesPeer: false, target: 'fd',
    errnos: ['EIO', 'ENOSPC', 'EDQUOT', 'EINTR', 'EAGAIN', 'EFBIG', 'EPIPE', 'EROFS'] },
  { name: 'read', members: ['read', 'readv', 'pread64', 'preadv', 'preadv2'], namesPeer: false, target: 'fd',
    errnos: ['EIO', 'EINTR', 'EAGAIN', 'ECONNRESET'] },
  { name: 'open', members: ['open', 'openat', 'openat2', 'creat'], namesPeer: false, target: 'path',
    errnos: ['ENOENT', 'EACCES', 'EMFILE', 'ENFILE', 'ENOSPC', 'EROFS', 'EIO', 'EINTR'] },
  { name: 'fsync', members: ['fsync', 'fdatasync', 'sync_file_range'], namesPeer: false, target: 'fd',
    errnos: ['EIO', 'ENOSPC', 'EDQUOT', 'EROFS'] },
  { name: 'close', members: ['close'], namesPeer: false, target: 'fd', errnos: ['EIO', 'EINTR'] },
  { name: 'connect', members: ['connect'], namesPeer: true, target: 'sockaddr',
    errnos: ['ECONNREFUSED', 'ETIMEDOUT', 'ENETUNREACH', 'EHOSTUNREACH', 'ECONNRESET', 'EADDRNOTAVAIL', 'EINTR', 'EAGAIN'] },
  { name: 'accept', members: ['accept', 'accept4'], namesPeer: false, target: 'fd',
    errnos: ['ECONNABORTED', 'EMFILE', 'ENFILE', 'ENOMEM', 'EINTR'] },
  { name: 'socket', members: ['socket'], namesPeer: false, target: 'none', errnos: ['EMFILE', 'ENFILE', 'ENOMEM', 'EACCES'] },
  { name: 'sendto', members: ['sendto', 'sendmsg', 'sendmmsg'], namesPeer: true, target: 'fd',
    errnos: ['ECONNRESET', 'EPIPE', 'EAGAIN', 'EINTR', 'ENOMEM', 'ENETUNREACH'] },
  { name: 'recvfrom', members: ['recvfrom', 'recvmsg', 'recvmmsg'], namesPeer: false, target: 'fd',
    errnos: ['ECONNRESET', 'EAGAIN', 'EINTR', 'ENOMEM'] },
  { name: 'unlink', members: ['unlink', 'unlinkat'], namesPeer: false, target: 'path', errnos: ['EIO', 'EACCES', 'EBUSY', 'EROFS', 'ENOENT'] },
  { name: 'rename', members: ['rename', 'renameat', 'renameat2'], namesPeer: false, target: 'path', errnos: ['EIO', 'ENOSPC', 'EACCES', 'EROFS', 'EBUSY'] },
  { name: 'mkdir', members: ['mkdir', 'mkdirat'], namesPeer: false, target: 'path', errnos: ['ENOSPC', 'EACCES', 'EEXIST', 'EROFS', 'EIO'] },
  { name: 'ftruncate', members: ['ftruncate', 'fallocate'], namesPeer: false, target: 'fd', errnos: ['EIO', 'ENOSPC', 'EFBIG', 'EROFS'] },
];

const FAMILY_BY_NAME = new Map<string, SyscallFamily>(FAMILIES.map((f) => [f.name, f]));

export function isFamilyName(name: string): name is FamilyName {
  return FAMILY_BY_NAME.has(name);
}
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
export function expandKeyword(keyword: string): { family: SyscallFamily; syscalls: readonly SyscallName[]; keyword: RuleKeyword } | undefined {
  const alias = keyword === 'openat' ? 'open' : keyword;
  const fam = FAMILY_BY_NAME.get(alias);
  if (fam) return { family: fam, syscalls: fam.members, keyword: keyword === 'openat' ? keyword : fam.name };
  if (isSyscallName(keyword)) return { family: familyOf(keyword), syscalls: [keyword], keyword };
  return undefined;
}

/** What a rule names: a family (`write`) or one syscall (`pwrite64`; `openat` is the open family). */
export type RuleKeyword = FamilyName | SyscallName;

export function isRuleKeyword(keyword: string): keyword is RuleKeyword {
  return expandKeyword(keyword) !== undefined;
}

export const RULE_KEYWORDS: readonly RuleKeyword[] = [...FAMILIES.map((f) => f.name), ...SYSCALL_NAMES.filter((s) => !FAMILY_BY_NAME.has(s))];
