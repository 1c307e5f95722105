// The syscalls a service's filter must trap for crash(lose_unsynced=True) to model a power loss:
// every data write, sync and directory change of a regular file (the runtime adds sync, syncfs
// and io_uring_setup, which no rule keyword names).
import type { SyscallName } from './syscall-families.js';
import type { FaultRule } from './model.js';

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

/** A crash rule that models a power loss: its service must keep an undo log. */
export function losesWrites(rule: Pick<FaultRule, 'action'>): boolean {
  return rule.action.kind === 'crash' && rule.action.loseUnsynced;
}

/** What a service's filter must trap for a rule to work: its syscalls, and the undo log's for a power loss. */
export function syscallsNeededBy(rule: Pick<FaultRule, 'action' | 'syscalls'>): readonly SyscallName[] {
  return losesWrites(rule) ? [...rule.syscalls, ...UNDO_LOG_SYSCALLS] : rule.syscalls;
}
