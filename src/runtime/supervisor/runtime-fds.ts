// Descriptors that belong to a program's runtime rather than to its I/O: eventfd, timerfd,
// signalfd, epoll, inotify... all show up in /proc/<pid>/fd as `anon_inode:[...]`, and event
// loops wake themselves through them with plain read(2)/write(2) (readv/writev at most); so do
// self-pipes (below).
//
// Event loops treat a failed read or write on them as impossible: libuv (Node) aborts the
// process, and so do others. A user who writes `write=deny("EIO")` means disk and network
// writes, not the loop's wake-ups, so rules without a path leave these alone (a path glob such
// as "anon_inode:*" still reaches them on purpose). The explorer's census applies the same
// predicate, so its `nth` counts match the runtime's. Only the four calls below are checked:
// telling an fd's kind costs a readlink per call, and pread/pwrite/fsync on these fds fail
// by themselves (ESPIPE, EINVAL), so no runtime uses them there.
import type { SyscallName } from '../../spec/syscall-families.js';

export const RUNTIME_FD_SYSCALLS: ReadonlySet<SyscallName> = new Set<SyscallName>(['read', 'write', 'readv', 'writev']);

export function isRuntimeFdTarget(target: string | undefined): boolean {
  return target !== undefined && (target.startsWith('anon_inode:') || target.endsWith(SELF_PIPE_SUFFIX));
}

// A pipe whose both ends the process itself holds is a runtime's wake-up channel too: Go's
// network poller (before Go 1.21) wakes itself by writing a byte to such a pipe and throws
// "netpollBreak write failed" when that write fails. The supervisor names such a pipe
// `pipe:[N] (self)` in events, so the census sees what the rules see.
export const SELF_PIPE_SUFFIX = ' (self)';

/** The target as events name it: a pipe the process holds both ends of is marked as its own. */
export function selfPipeTarget(target: string): string {
  return `${target}${SELF_PIPE_SUFFIX}`;
}

// The file faultbox opens for a service's stdout and stderr (`<tmp>/faultbox-run-XXXXXX/<service>.log`,
// launch/logs.ts) is the harness's I/O, not the service's: a path-less `write=deny("EIO")` means
// the service's own files and sockets, and a finding about faultbox's log file would name a path
// that exists once. A path glob ("**/faultbox-run-*/api.log") still reaches it.
const HARNESS_LOG = /\/faultbox-run-[^/]+\/[^/]+\.log$/;

export function isHarnessLogTarget(target: string | undefined): boolean {
  return target !== undefined && HARNESS_LOG.test(target);
}

/** Targets path-less rules leave alone: runtime descriptors and the harness's log files. */
export function isSparedTarget(target: string | undefined): boolean {
  return isRuntimeFdTarget(target) || isHarnessLogTarget(target);
}

/** Whether a call is a runtime's own wake-up traffic (or the harness's logging) that path-less rules neither fault nor count. */
export function isRuntimeFdCall(syscall: string, target: string | undefined): boolean {
  return RUNTIME_FD_SYSCALLS.has(syscall as SyscallName) && isSparedTarget(target);
}
