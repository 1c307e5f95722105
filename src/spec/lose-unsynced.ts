// The syscalls a service's filter must trap for crash(lose_unsynced=True) to model a power loss:
// every data write, sync and directory change of a regular file (the runtime adds sync, syncfs
// and io_uring_setup, which no rule keyword names).
import type { SyscallName } from './syscall-families.js';

export const UNDO_LOG_SYSCALLS: readonly SyscallName[] = [
  'write', 'writev', 'pwrite64', 'pwritev', 'pwritev2',
  'fsync', 'fdatasync', 'sync_file_range',
  'ftruncate', 'fallocate',
  'open', 'openat', 'creat',
  'rename', 'renameat', 'renameat2',
  'unlink', 'unlinkat',
  'mkdir', 'mkdirat',
];

/** A filter traps what the undo log needs. */
export function trapsUndoLogSyscalls(filter: readonly SyscallName[]): boolean {
  return UNDO_LOG_SYSCALLS.every((s) => filter.includes(s));
}
