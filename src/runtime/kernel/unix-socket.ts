// The host end of the shim's unix socket, in koffi because Node's net module cannot receive an
// fd (SCM_RIGHTS). All sockets are non-blocking and close-on-exec; waiting is done with poll()
// on koffi's thread pool so the event loop never blocks.
import { InfraError } from '../../errors.js';
import { errnoText, libc } from './libc.js';
import { pinnedBuffer, readU64, writeU64 } from './pinned-buffer.js';
import { AF_UNIX } from './sockaddr.js';
import { POLLIN, POLLFD_SIZE } from './seccomp-abi.js';

const SOCK_STREAM = 1;
const SOCK_NONBLOCK = 0o4000;
const SOCK_CLOEXEC = 0o2000000;
const SOL_SOCKET = 1;
const SCM_RIGHTS = 1;
const SO_PEERCRED = 17;
const MSG_DONTWAIT = 0x40;
const MSG_NOSIGNAL = 0x4000;
const MSG_CMSG_CLOEXEC = 0x40000000;
const EAGAIN = 11;
const EINTR = 4;
const SUN_PATH_MAX = 108;

/** struct msghdr (56 bytes on x86-64) and struct cmsghdr (16-byte header) offsets. */
const MSGHDR = { size: 56, iov: 16, iovlen: 24, control: 32, controllen: 40 } as const;
const CMSG = { len: 0, level: 8, type: 12, data: 16 } as const;

export function listenUnixSocket(path: string): number {
  const c = libc();
  const pathBytes = Buffer.from(path);
  if (pathBytes.length >= SUN_PATH_MAX) {
    throw new InfraError(`unix socket path is ${pathBytes.length} bytes, the limit is ${SUN_PATH_MAX - 1}: ${path}`,
      'use a shorter temporary directory (TMPDIR)');
  }
  const addr = pinnedBuffer(2 + SUN_PATH_MAX);
  addr.writeUInt16LE(AF_UNIX, 0);
  pathBytes.copy(addr, 2);
  const fd = c.socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) throw new InfraError(`socket(AF_UNIX) failed: ${errnoText(c.errno())}`);
  if (c.bind(fd, addr, 2 + pathBytes.length + 1) < 0 || c.listen(fd, 16) < 0) {
    const e = c.errno();
    c.close(fd);
    throw new InfraError(`cannot listen on unix socket ${path}: ${errnoText(e)}`);
  }
  return fd;
}

/** A connected peer, or undefined when none is waiting. */
export function acceptConnection(listenFd: number): number | undefined {
  const c = libc();
  const fd = c.accept4(listenFd, null, null, SOCK_NONBLOCK | SOCK_CLOEXEC);
  if (fd >= 0) return fd;
  const e = c.errno();
  if (e === EAGAIN || e === EINTR) return undefined;
  throw new InfraError(`accept on the shim socket failed: ${errnoText(e)}`);
}

export type Received =
  | { readonly kind: 'data'; readonly bytes: Buffer; readonly fds: readonly number[] }
  | { readonly kind: 'eof' }
  | { readonly kind: 'again' };

/** One non-blocking recvmsg; passed fds arrive close-on-exec and are owned by the caller. */
export function receiveWithFds(fd: number, maxBytes = 1024): Received {
  const c = libc();
  const data = pinnedBuffer(maxBytes);
  const iov = pinnedBuffer(16);
  const control = pinnedBuffer(64);
  const msg = pinnedBuffer(MSGHDR.size);
  writeU64(iov, 0, c.addressOf(data));
  writeU64(iov, 8, maxBytes);
  writeU64(msg, MSGHDR.iov, c.addressOf(iov));
  writeU64(msg, MSGHDR.iovlen, 1);
  writeU64(msg, MSGHDR.control, c.addressOf(control));
  writeU64(msg, MSGHDR.controllen, control.length);
  const n = c.recvmsg(fd, msg, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
  if (n < 0) {
    const e = c.errno();
    if (e === EAGAIN || e === EINTR) return { kind: 'again' };
    throw new InfraError(`recvmsg on the shim socket failed: ${errnoText(e)}`);
  }
  const fds: number[] = [];
  const controlLen = readU64(msg, MSGHDR.controllen);
  let off = 0;
  while (off + CMSG.data <= controlLen) {
    const len = readU64(control, off + CMSG.len);
    if (len < CMSG.data) break;
    if (control.readInt32LE(off + CMSG.level) === SOL_SOCKET && control.readInt32LE(off + CMSG.type) === SCM_RIGHTS) {
      for (let p = off + CMSG.data; p + 4 <= off + len; p += 4) fds.push(control.readInt32LE(p));
    }
    off += (len + 7) & ~7;
  }
  if (n === 0 && fds.length === 0) return { kind: 'eof' };
  return { kind: 'data', bytes: Buffer.from(data.subarray(0, n)), fds };
}

/** The peer's pid as seen from this process's PID namespace (SO_PEERCRED). */
export function peerPid(fd: number): number | undefined {
  const c = libc();
  const cred = pinnedBuffer(12);
  const len = pinnedBuffer(4);
  len.writeUInt32LE(12, 0);
  if (c.getsockopt(fd, SOL_SOCKET, SO_PEERCRED, cred, len) < 0) return undefined;
  const pid = cred.readInt32LE(0);
  return pid > 0 ? pid : undefined;
}

export function sendBytes(fd: number, bytes: Uint8Array): void {
  const c = libc();
  const n = c.send(fd, bytes, bytes.length, MSG_NOSIGNAL | MSG_DONTWAIT);
  if (n !== bytes.length) {
    throw new InfraError(`cannot write to the shim socket: ${n < 0 ? errnoText(c.errno()) : 'short write'}`);
  }
}

/** Waits (off the event loop) until `fd` is readable or `timeoutMs` passes. */
export function waitReadable(fd: number, timeoutMs: number): Promise<boolean> {
  const c = libc();
  const pfd = pinnedBuffer(POLLFD_SIZE);
  pfd.writeInt32LE(fd, 0);
  pfd.writeInt16LE(POLLIN, 4);
  return new Promise((resolve, reject) => {
    c.poll.async(pfd, 1, Math.max(0, Math.round(timeoutMs)), (err, n) => {
      if (err) reject(err instanceof Error ? err : new Error(String(err)));
      else resolve(n > 0);
    });
  });
}

export function closeFd(fd: number): void {
  libc().close(fd);
}
