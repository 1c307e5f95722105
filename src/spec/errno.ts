// The errno names a spec may inject, with their Linux numbers and the text strerror gives.
// One table: spec validation, the supervisor's responses and the trace lines all read it.

export const ERRNOS = {
  EPERM: { number: 1, text: 'operation not permitted' },
  ENOENT: { number: 2, text: 'no such file or directory' },
  EINTR: { number: 4, text: 'interrupted system call' },
  EIO: { number: 5, text: 'input/output error' },
  EAGAIN: { number: 11, text: 'resource temporarily unavailable' },
  ENOMEM: { number: 12, text: 'cannot allocate memory' },
  EACCES: { number: 13, text: 'permission denied' },
  EBUSY: { number: 16, text: 'device or resource busy' },
  EEXIST: { number: 17, text: 'file exists' },
  EINVAL: { number: 22, text: 'invalid argument' },
  ENFILE: { number: 23, text: 'too many open files in system' },
  EMFILE: { number: 24, text: 'too many open files' },
  EFBIG: { number: 27, text: 'file too large' },
  ENOSPC: { number: 28, text: 'no space left on device' },
  EROFS: { number: 30, text: 'read-only file system' },
  EPIPE: { number: 32, text: 'broken pipe' },
  EDEADLK: { number: 35, text: 'resource deadlock avoided' },
  ENOLCK: { number: 37, text: 'no locks available' },
  ENOSYS: { number: 38, text: 'function not implemented' },
  ENOTEMPTY: { number: 39, text: 'directory not empty' },
  ELOOP: { number: 40, text: 'too many levels of symbolic links' },
  EADDRINUSE: { number: 98, text: 'address already in use' },
  EADDRNOTAVAIL: { number: 99, text: 'cannot assign requested address' },
  ENETUNREACH: { number: 101, text: 'network is unreachable' },
  ECONNABORTED: { number: 103, text: 'software caused connection abort' },
  ECONNRESET: { number: 104, text: 'connection reset by peer' },
  ETIMEDOUT: { number: 110, text: 'connection timed out' },
  ECONNREFUSED: { number: 111, text: 'connection refused' },
  EHOSTUNREACH: { number: 113, text: 'no route to host' },
  EDQUOT: { number: 122, text: 'disk quota exceeded' },
} as const satisfies Record<string, { number: number; text: string }>;

export type ErrnoName = keyof typeof ERRNOS;

export const ERRNO_NAMES = Object.keys(ERRNOS) as ErrnoName[];

export function isErrnoName(name: string): name is ErrnoName {
  return Object.prototype.hasOwnProperty.call(ERRNOS, name);
}

/**
 * Errnos that report a momentary condition ("interrupted", "try again"): the kernel returns them
 * once in a while, never on every call, and the right reaction is to retry.
 */
export const TRANSIENT_ERRNOS: ReadonlySet<ErrnoName> = new Set<ErrnoName>(['EINTR', 'EAGAIN']);
