// Taking an fd out of another process (pidfd_open + pidfd_getfd, Linux >= 5.6): how a host
// supervisor can pick up a listener a containerised shim holds, across PID namespaces.
import { InfraError } from '../../errors.js';
import { errnoText, libc } from './libc.js';

const NR_PIDFD_OPEN = 434;
const NR_PIDFD_GETFD = 438;
const EPERM = 1;

/** Duplicates `targetFd` of process `pid` into this process (close-on-exec). */
export function takeFdFromProcess(pid: number, targetFd: number): number {
  const c = libc();
  const pidfd = c.syscall3(NR_PIDFD_OPEN, pid, 0, 0);
  if (pidfd < 0) {
    throw new InfraError(`pidfd_open(${pid}) failed: ${errnoText(c.errno())}`, 'needs Linux >= 5.6 and a live process');
  }
  try {
    const fd = c.syscall3(NR_PIDFD_GETFD, pidfd, targetFd, 0);
    if (fd < 0) {
      const e = c.errno();
      throw new InfraError(`pidfd_getfd(pid ${pid}, fd ${targetFd}) failed: ${errnoText(e)}`,
        e === EPERM ? 'taking an fd from another process needs root or CAP_SYS_PTRACE' : undefined);
    }
    return fd;
  } finally {
    c.close(pidfd);
  }
}
