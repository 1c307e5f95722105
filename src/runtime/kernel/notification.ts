// One seccomp notification at a time: NOTIF_RECV into a reused struct, typed accessors for its
// fields, and the NOTIF_SEND answers. Allocates nothing per notification.
import { libc, type Libc } from './libc.js';
import { pinnedBuffer, readU64 } from './pinned-buffer.js';
import {
  SECCOMP_DATA, SECCOMP_IOCTL_NOTIF_ID_VALID, SECCOMP_IOCTL_NOTIF_RECV, SECCOMP_IOCTL_NOTIF_SEND,
  SECCOMP_IOCTL_NOTIF_SET_FLAGS, SECCOMP_NOTIF, SECCOMP_NOTIF_RESP, SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP,
  SECCOMP_USER_NOTIF_FLAG_CONTINUE,
} from './seccomp-abi.js';

const ARGS = SECCOMP_NOTIF.data + SECCOMP_DATA.args;
const NR = SECCOMP_NOTIF.data + SECCOMP_DATA.nr;

export class Notification {
  private readonly c: Libc = libc();
  private readonly notif = pinnedBuffer(SECCOMP_NOTIF.size);
  private readonly resp = pinnedBuffer(SECCOMP_NOTIF_RESP.size);

  /** Receives the next notification; 0 on success, else the errno (ENOENT = the call vanished). */
  recv(listenerFd: number): number {
    this.notif.fill(0); // the kernel rejects a RECV into a non-zeroed struct
    return this.c.ioctl(listenerFd, SECCOMP_IOCTL_NOTIF_RECV, this.notif) < 0 ? this.c.errno() : 0;
  }

  get nr(): number {
    return this.notif.readInt32LE(NR);
  }

  get pid(): number {
    return this.notif.readUInt32LE(SECCOMP_NOTIF.pid);
  }

  /** Argument k as a C int (fds, flags). */
  argInt(k: number): number {
    return this.notif.readInt32LE(ARGS + 8 * k);
  }

  /** Argument k as an address or size (fits a double on x86-64 user space). */
  argU64(k: number): number {
    return readU64(this.notif, ARGS + 8 * k);
  }

  /** Is the notification still pending? Checked after reading target memory, before trusting it. */
  stillValid(listenerFd: number): boolean {
    // NOTIF_ID_VALID reads a u64 id through the pointer: the id is the struct's first field.
    return this.c.ioctl(listenerFd, SECCOMP_IOCTL_NOTIF_ID_VALID, this.notif) === 0;
  }

  /** Let the syscall run. Returns 0 or the errno (ENOENT = the target is gone). */
  continue(listenerFd: number): number {
    return this.answer(listenerFd, 0, SECCOMP_USER_NOTIF_FLAG_CONTINUE);
  }

  /** Fail the syscall with `errno` (positive). */
  fail(listenerFd: number, errno: number): number {
    return this.answer(listenerFd, -errno, 0);
  }

  /** The id, copied out so the call can be answered later (delays). */
  saveId(): Buffer {
    return Buffer.from(this.notif.subarray(SECCOMP_NOTIF.id, SECCOMP_NOTIF.id + 8));
  }

  /** Answers a saved notification with CONTINUE. */
  continueSaved(listenerFd: number, id: Buffer): number {
    id.copy(this.resp, SECCOMP_NOTIF_RESP.id);
    return this.send(listenerFd, 0, SECCOMP_USER_NOTIF_FLAG_CONTINUE);
  }

  private answer(listenerFd: number, error: number, flags: number): number {
    this.notif.copy(this.resp, SECCOMP_NOTIF_RESP.id, SECCOMP_NOTIF.id, SECCOMP_NOTIF.id + 8);
    return this.send(listenerFd, error, flags);
  }

  private send(listenerFd: number, error: number, flags: number): number {
    const r = this.resp;
    r.writeUInt32LE(0, SECCOMP_NOTIF_RESP.val);
    r.writeUInt32LE(0, SECCOMP_NOTIF_RESP.val + 4);
    r.writeInt32LE(error, SECCOMP_NOTIF_RESP.error);
    r.writeUInt32LE(flags, SECCOMP_NOTIF_RESP.flags);
    return this.c.ioctl(listenerFd, SECCOMP_IOCTL_NOTIF_SEND, r) < 0 ? this.c.errno() : 0;
  }
}

/**
 * Asks the kernel to wake the supervisor on the target's CPU (kernel >= 6.6). Returns false when
 * the kernel does not know the flag: supervision still works, about 7x slower per trapped call.
 */
export function enableSyncWakeUp(listenerFd: number): boolean {
  // The flags go by value (the kernel reads the ioctl argument as an unsigned long).
  return libc().ioctlValue(listenerFd, SECCOMP_IOCTL_NOTIF_SET_FLAGS, SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP) === 0;
}
