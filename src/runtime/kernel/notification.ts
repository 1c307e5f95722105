// One seccomp notification at a time: NOTIF_RECV into a reused struct, typed accessors for its
// fields, and the NOTIF_SEND answers. Allocates nothing per notification: the structs live in
// pinned memory read through Int32Array views, and the ioctls get their fixed addresses.
import { libc, type Libc } from './libc.js';
import { pinnedBuffer } from './pinned-buffer.js';
import {
  SECCOMP_DATA, SECCOMP_IOCTL_NOTIF_ID_VALID, SECCOMP_IOCTL_NOTIF_RECV, SECCOMP_IOCTL_NOTIF_SEND,
  SECCOMP_IOCTL_NOTIF_SET_FLAGS, SECCOMP_NOTIF, SECCOMP_NOTIF_RESP, SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP,
  SECCOMP_USER_NOTIF_FLAG_CONTINUE,
} from './seccomp-abi.js';

// Int32 indexes into the structs (x86-64 is little-endian: a u64 is [low, high]).
const N_ID = SECCOMP_NOTIF.id / 4;
const N_PID = SECCOMP_NOTIF.pid / 4;
const N_NR = (SECCOMP_NOTIF.data + SECCOMP_DATA.nr) / 4;
const N_ARGS = (SECCOMP_NOTIF.data + SECCOMP_DATA.args) / 4;
const R_ID = SECCOMP_NOTIF_RESP.id / 4;
const R_VAL = SECCOMP_NOTIF_RESP.val / 4;
const R_ERROR = SECCOMP_NOTIF_RESP.error / 4;
const R_FLAGS = SECCOMP_NOTIF_RESP.flags / 4;

export class Notification {
  private readonly c: Libc = libc();
  private readonly notif = pinnedBuffer(SECCOMP_NOTIF.size);
  private readonly resp = pinnedBuffer(SECCOMP_NOTIF_RESP.size);
  private readonly n32 = new Int32Array(this.notif.buffer, this.notif.byteOffset, SECCOMP_NOTIF.size / 4);
  private readonly r32 = new Int32Array(this.resp.buffer, this.resp.byteOffset, SECCOMP_NOTIF_RESP.size / 4);
  private readonly notifAddress = this.c.addressOf(this.notif);
  private readonly respAddress = this.c.addressOf(this.resp);

  /** Receives the next notification; 0 on success, else the errno (ENOENT = the call vanished). */
  recv(listenerFd: number): number {
    this.n32.fill(0); // the kernel rejects a RECV into a non-zeroed struct
    return this.c.ioctlAt(listenerFd, SECCOMP_IOCTL_NOTIF_RECV, this.notifAddress) < 0 ? this.c.errno() : 0;
  }

  get nr(): number {
    return this.n32[N_NR]!;
  }

  get pid(): number {
    return this.n32[N_PID]! >>> 0;
  }

  /** Argument k as a C int (fds, flags). */
  argInt(k: number): number {
    return this.n32[N_ARGS + 2 * k]!;
  }

  /** Argument k as an address or size (fits a double on x86-64 user space). */
  argU64(k: number): number {
    return (this.n32[N_ARGS + 2 * k + 1]! >>> 0) * 0x100000000 + (this.n32[N_ARGS + 2 * k]! >>> 0);
  }

  /** Is the notification still pending? Checked after reading target memory, before trusting it. */
  stillValid(listenerFd: number): boolean {
    // NOTIF_ID_VALID reads a u64 id through the pointer: the id is the struct's first field.
    return this.c.ioctlAt(listenerFd, SECCOMP_IOCTL_NOTIF_ID_VALID, this.notifAddress) === 0;
  }

  /** Let the syscall run. Returns 0 or the errno (ENOENT = the target is gone). */
  continue(listenerFd: number): number {
    const n = this.n32;
    return this.send(listenerFd, n[N_ID]!, n[N_ID + 1]!, 0, SECCOMP_USER_NOTIF_FLAG_CONTINUE);
  }

  /** Fail the syscall with `errno` (positive). */
  fail(listenerFd: number, errno: number): number {
    const n = this.n32;
    return this.send(listenerFd, n[N_ID]!, n[N_ID + 1]!, -errno, 0);
  }

  /** The id, copied out so the call can be answered later (delays). */
  saveId(): Buffer {
    return Buffer.from(this.notif.subarray(SECCOMP_NOTIF.id, SECCOMP_NOTIF.id + 8));
  }

  /** Answers a saved notification with CONTINUE. */
  continueSaved(listenerFd: number, id: Buffer): number {
    return this.send(listenerFd, id.readInt32LE(0), id.readInt32LE(4), 0, SECCOMP_USER_NOTIF_FLAG_CONTINUE);
  }

  private send(listenerFd: number, idLow: number, idHigh: number, error: number, flags: number): number {
    const r = this.r32;
    r[R_ID] = idLow;
    r[R_ID + 1] = idHigh;
    r[R_VAL] = 0;
    r[R_VAL + 1] = 0;
    r[R_ERROR] = error;
    r[R_FLAGS] = flags;
    return this.c.ioctlAt(listenerFd, SECCOMP_IOCTL_NOTIF_SEND, this.respAddress) < 0 ? this.c.errno() : 0;
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
