// The seccomp user-notification ABI on x86-64: ioctl numbers, struct layouts and flags, as the
// kernel defines them in linux/seccomp.h. Debian 12's headers predate some of them (the sync
// wake-up flag), so everything is spelled out here and checked by the unit test.

const IOC_WRITE = 1;
const IOC_READ = 2;

/** The kernel's _IOC(dir, type, nr, size) encoding. */
export function ioc(dir: number, type: number, nr: number, size: number): number {
  return ((dir << 30) | (size << 16) | (type << 8) | nr) >>> 0;
}

const SECCOMP_IOC_MAGIC = '!'.charCodeAt(0);

/** struct seccomp_data: the syscall as the filter and the notification see it. */
export const SECCOMP_DATA = {
  size: 64,
  nr: 0, // int
  arch: 4, // __u32
  instructionPointer: 8, // __u64
  args: 16, // __u64[6]
} as const;

/** struct seccomp_notif: what NOTIF_RECV fills in. Must be zeroed before each RECV. */
export const SECCOMP_NOTIF = {
  size: 80,
  id: 0, // __u64
  pid: 8, // __u32, in the supervisor's pid namespace
  flags: 12, // __u32
  data: 16, // struct seccomp_data
} as const;

/** struct seccomp_notif_resp: what NOTIF_SEND takes. */
export const SECCOMP_NOTIF_RESP = {
  size: 24,
  id: 0, // __u64
  val: 8, // __s64
  error: 16, // __s32, negative errno
  flags: 20, // __u32
} as const;

export const SECCOMP_IOCTL_NOTIF_RECV = ioc(IOC_READ | IOC_WRITE, SECCOMP_IOC_MAGIC, 0, SECCOMP_NOTIF.size);
export const SECCOMP_IOCTL_NOTIF_SEND = ioc(IOC_READ | IOC_WRITE, SECCOMP_IOC_MAGIC, 1, SECCOMP_NOTIF_RESP.size);
export const SECCOMP_IOCTL_NOTIF_ID_VALID = ioc(IOC_WRITE, SECCOMP_IOC_MAGIC, 2, 8);
/** Kernel >= 6.6. */
export const SECCOMP_IOCTL_NOTIF_SET_FLAGS = ioc(IOC_WRITE, SECCOMP_IOC_MAGIC, 4, 8);

/** Answer "run the syscall as the target asked" instead of faking a result. */
export const SECCOMP_USER_NOTIF_FLAG_CONTINUE = 1;
/**
 * Listener flag: wake the supervisor on the CPU the target runs on. Without it every round trip
 * crosses CPUs and costs about 7x more (see the measurements in the reference notes).
 */
export const SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP = 1;

export const AUDIT_ARCH_X86_64 = 0xc000003e;

/** poll(2) */
export const POLLFD_SIZE = 8;
export const POLLIN = 0x001;
export const POLLERR = 0x008;
export const POLLHUP = 0x010;
export const POLLNVAL = 0x020;

export const EFD_CLOEXEC = 0o2000000;
export const EFD_NONBLOCK = 0o4000;
