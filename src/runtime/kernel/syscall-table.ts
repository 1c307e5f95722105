// x86-64 syscall numbers for every syscall a rule can name, and where each call's target sits in
// its arguments (fd, path string, socket address). Numbers from asm/unistd_64.h; the unit test
// re-checks them against the installed header.
import type { SyscallName } from '../../spec/syscall-families.js';
import { SYSCALL_NAMES } from '../../spec/syscall-families.js';

export const X86_64_SYSCALL_NUMBERS: Readonly<Record<SyscallName, number>> = {
  read: 0, readv: 19, pread64: 17, preadv: 295, preadv2: 327,
  write: 1, writev: 20, pwrite64: 18, pwritev: 296, pwritev2: 328,
  open: 2, openat: 257, openat2: 437, creat: 85,
  fsync: 74, fdatasync: 75, sync_file_range: 277,
  close: 3,
  connect: 42, accept: 43, accept4: 288, socket: 41,
  sendto: 44, sendmsg: 46, sendmmsg: 307,
  recvfrom: 45, recvmsg: 47, recvmmsg: 299,
  unlink: 87, unlinkat: 263, rename: 82, renameat: 264, renameat2: 316,
  mkdir: 83, mkdirat: 258, ftruncate: 77, fallocate: 285,
};

/** Largest number in the table plus one: size for arrays indexed by syscall number. */
export const SYSCALL_NR_LIMIT = Math.max(...Object.values(X86_64_SYSCALL_NUMBERS)) + 1;

const NAME_BY_NR: (SyscallName | undefined)[] = new Array(SYSCALL_NR_LIMIT).fill(undefined);
for (const name of SYSCALL_NAMES) NAME_BY_NR[X86_64_SYSCALL_NUMBERS[name]] = name;

export function syscallNumber(name: SyscallName): number {
  return X86_64_SYSCALL_NUMBERS[name];
}

/** The name for a trappable number, undefined for numbers outside the table. */
export function syscallName(nr: number): SyscallName | undefined {
  return nr >= 0 && nr < SYSCALL_NR_LIMIT ? NAME_BY_NR[nr] : undefined;
}

/**
 * Where the call's target is found. `dirfdArg` is the directory a relative path is resolved
 * against (AT_FDCWD = -100 means the current directory). A sockaddr call also has an fd (the
 * socket): sendto with a null address is a send on a connected socket.
 */
export type ArgShape =
  | { readonly kind: 'fd'; readonly fdArg: number }
  | { readonly kind: 'path'; readonly pathArg: number; readonly dirfdArg?: number }
  | { readonly kind: 'sockaddr'; readonly fdArg: number; readonly addrArg: number; readonly lenArg: number }
  /** sendmsg: the address sits in the struct msghdr the argument points to (msg_name, msg_namelen). */
  | { readonly kind: 'msghdr'; readonly fdArg: number; readonly msgArg: number }
  | { readonly kind: 'none' };

const FD0: ArgShape = { kind: 'fd', fdArg: 0 };
const PATH0: ArgShape = { kind: 'path', pathArg: 0 };
const PATH1_AT: ArgShape = { kind: 'path', pathArg: 1, dirfdArg: 0 };

export const ARG_SHAPES: Readonly<Record<SyscallName, ArgShape>> = {
  read: FD0, readv: FD0, pread64: FD0, preadv: FD0, preadv2: FD0,
  write: FD0, writev: FD0, pwrite64: FD0, pwritev: FD0, pwritev2: FD0,
  open: PATH0, creat: PATH0, openat: PATH1_AT, openat2: PATH1_AT,
  fsync: FD0, fdatasync: FD0, sync_file_range: FD0,
  close: FD0,
  connect: { kind: 'sockaddr', fdArg: 0, addrArg: 1, lenArg: 2 },
  accept: FD0, accept4: FD0,
  socket: { kind: 'none' },
  sendto: { kind: 'sockaddr', fdArg: 0, addrArg: 4, lenArg: 5 },
  sendmsg: { kind: 'msghdr', fdArg: 0, msgArg: 1 }, sendmmsg: FD0,
  recvfrom: FD0, recvmsg: FD0, recvmmsg: FD0,
  // For renames the source path is the one matched and recorded.
  unlink: PATH0, unlinkat: PATH1_AT, rename: PATH0, renameat: PATH1_AT, renameat2: PATH1_AT,
  mkdir: PATH0, mkdirat: PATH1_AT,
  ftruncate: FD0, fallocate: FD0,
};

/** struct msghdr offsets (x86-64): where sendmsg's destination address is. */
export const MSGHDR_NAME = 0;
export const MSGHDR_NAMELEN = 8;

/** dirfd value meaning "relative to the current directory". */
export const AT_FDCWD = -100;
