// koffi bindings to the few libc calls the runtime needs. Loaded lazily, once per thread (the
// supervisor's worker loads its own copy). Pointer arguments take Buffers, which koffi passes
// without copying; results are raw (-1 + errno), callers turn them into errors.
import koffi, { type LibraryHandle } from 'koffi';
import { InfraError } from '../../errors.js';

type Fn<A extends unknown[], R = number> = ((...args: A) => R) & {
  async: (...args: [...A, (err: unknown, result: R) => void]) => void;
};
type Ptr = Uint8Array | null;

export interface Libc {
  // Variadic in C (ioctl, syscall, fcntl) but declared with fixed integer/pointer arguments: on
  // x86-64 that is the same calling sequence, and it avoids koffi's slower variadic path.
  readonly ioctl: Fn<[fd: number, request: number, arg: Ptr]>;
  /** ioctl whose argument is a plain integer: a value, or the address of pinned memory (hot path). */
  readonly ioctlValue: Fn<[fd: number, request: number, arg: number]>;
  readonly ioctlAt: Fn<[fd: number, request: number, address: number]>;
  readonly poll: Fn<[fds: Uint8Array, nfds: number, timeoutMs: number]>;
  readonly pollAt: Fn<[fdsAddress: number, nfds: number, timeoutMs: number]>;
  readonly eventfd: Fn<[initval: number, flags: number]>;
  readonly read: Fn<[fd: number, buf: Uint8Array, count: number]>;
  readonly write: Fn<[fd: number, buf: Uint8Array, count: number]>;
  readonly close: Fn<[fd: number]>;
  readonly fcntl: Fn<[fd: number, cmd: number, arg: number]>;
  readonly readlink: Fn<[path: string, buf: Uint8Array, size: number]>;
  readonly readlinkat: Fn<[dirfd: number, path: string, buf: Uint8Array, size: number]>;
  readonly open: Fn<[path: string, flags: number]>;
  readonly processVmReadv: Fn<[pid: number, local: Uint8Array, liovcnt: number, remote: Uint8Array, riovcnt: number, flags: number]>;
  readonly syscall3: Fn<[nr: number, a: number, b: number, c: number]>;
  readonly socket: Fn<[domain: number, type: number, protocol: number]>;
  readonly bind: Fn<[fd: number, addr: Uint8Array, len: number]>;
  readonly listen: Fn<[fd: number, backlog: number]>;
  readonly accept4: Fn<[fd: number, addr: Ptr, len: Ptr, flags: number]>;
  readonly recvmsg: Fn<[fd: number, msg: Uint8Array, flags: number]>;
  readonly send: Fn<[fd: number, buf: Uint8Array, len: number, flags: number]>;
  readonly getsockopt: Fn<[fd: number, level: number, name: number, val: Uint8Array, len: Uint8Array]>;
  readonly setsockopt: Fn<[fd: number, level: number, name: number, val: Uint8Array, len: number]>;
  readonly shutdown: Fn<[fd: number, how: number]>;
  readonly gettid: Fn<[]>;
  // The undo log (crash with lost writes) reads and restores files through fds taken from targets.
  readonly fstat: Fn<[fd: number, buf: Uint8Array]>;
  readonly pread: Fn<[fd: number, buf: Uint8Array, count: number, offset: number]>;
  readonly pwrite: Fn<[fd: number, buf: Uint8Array, count: number, offset: number]>;
  readonly lseek: Fn<[fd: number, offset: number, whence: number]>;
  readonly ftruncate: Fn<[fd: number, length: number]>;
  /** errno left by the last call on this thread. */
  errno(): number;
  /** Address of a Buffer's bytes, for structs that embed pointers (iovec, msghdr). */
  addressOf(buf: Uint8Array): number;
}

let loaded: Libc | undefined;

export function libc(): Libc {
  if (loaded) return loaded;
  let lib: LibraryHandle;
  try {
    lib = koffi.load('libc.so.6');
  } catch (err) {
    throw new InfraError(`cannot load libc.so.6 through koffi: ${(err as Error).message}`,
      'faultbox needs Linux with glibc on x86-64');
  }
  const f = (decl: string) => lib.func(decl) as never;
  loaded = {
    ioctl: f('int ioctl(int fd, unsigned long request, void *arg)'),
    ioctlValue: f('int ioctl(int fd, unsigned long request, unsigned long arg)'),
    // Addresses as plain integers skip koffi's buffer handling (measurably cheaper per call).
    ioctlAt: f('int ioctl(int fd, unsigned long request, long address)'),
    poll: f('int poll(void *fds, unsigned long nfds, int timeout)'),
    pollAt: f('int poll(long fds, unsigned long nfds, int timeout)'),
    eventfd: f('int eventfd(unsigned int initval, int flags)'),
    read: f('long read(int fd, void *buf, unsigned long count)'),
    write: f('long write(int fd, const void *buf, unsigned long count)'),
    close: f('int close(int fd)'),
    fcntl: f('int fcntl(int fd, int cmd, long arg)'),
    readlink: f('long readlink(const char *path, void *buf, unsigned long size)'),
    readlinkat: f('long readlinkat(int dirfd, const char *path, void *buf, unsigned long size)'),
    // open(2) is variadic (mode); without O_CREAT the mode is never read.
    open: f('int open(const char *path, int flags)'),
    processVmReadv: f('long process_vm_readv(int pid, const void *local, unsigned long liovcnt, const void *remote, unsigned long riovcnt, unsigned long flags)'),
    syscall3: f('long syscall(long nr, long a, long b, long c)'),
    socket: f('int socket(int domain, int type, int protocol)'),
    bind: f('int bind(int fd, const void *addr, unsigned int len)'),
    listen: f('int listen(int fd, int backlog)'),
    accept4: f('int accept4(int fd, void *addr, void *len, int flags)'),
    recvmsg: f('long recvmsg(int fd, void *msg, int flags)'),
    send: f('long send(int fd, const void *buf, unsigned long len, int flags)'),
    getsockopt: f('int getsockopt(int fd, int level, int name, void *val, void *len)'),
    setsockopt: f('int setsockopt(int fd, int level, int name, const void *val, unsigned int len)'),
    shutdown: f('int shutdown(int fd, int how)'),
    gettid: f('int gettid(void)'),
    fstat: f('int fstat(int fd, void *buf)'),
    pread: f('long pread(int fd, void *buf, unsigned long count, long offset)'),
    pwrite: f('long pwrite(int fd, const void *buf, unsigned long count, long offset)'),
    lseek: f('long lseek(int fd, long offset, int whence)'),
    ftruncate: f('int ftruncate(int fd, long length)'),
    errno: () => koffi.errno(),
    addressOf: (buf) => Number(koffi.address(buf)),
  };
  return loaded;
}

/** The text strerror would give, for messages. */
export function errnoText(errno: number): string {
  const name = Object.entries(koffi.os.errno).find(([, n]) => n === errno)?.[0];
  return name ? `${name} (errno ${errno})` : `errno ${errno}`;
}
