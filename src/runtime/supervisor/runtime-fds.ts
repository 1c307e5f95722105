// Descriptors that belong to a program's runtime rather than to its I/O: eventfd, timerfd,
// signalfd, epoll, inotify... all show up in /proc/<pid>/fd as `anon_inode:[...]`.
//
// Event loops treat a failed read or write on them as impossible: libuv (Node) aborts the
// process, and so do others. A user who writes `write=deny("EIO")` means disk and network
// writes, not the loop's wake-ups, so rules without a path leave these alone (a path glob such
// as "anon_inode:*" still reaches them on purpose). The explorer's census applies the same
// predicate, so its `nth` counts match the runtime's.

export function isRuntimeFdTarget(target: string | undefined): boolean {
  return target !== undefined && target.startsWith('anon_inode:');
}
