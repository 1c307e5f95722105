// Reads strings and small structs out of a target's address space with process_vm_readv (one
// syscall, no /proc/<pid>/mem fd to cache). Reads stop at unmapped pages instead of failing.
import { libc, type Libc } from './libc.js';
import { pinnedBuffer, writeU64 } from './pinned-buffer.js';

export const PATH_READ_MAX = 4096;
const PAGE = 4096;

export class TargetMemory {
  private readonly c: Libc = libc();
  /** Holds what the last read copied; valid until the next read. */
  readonly bytes = pinnedBuffer(PATH_READ_MAX);
  private readonly localIov = pinnedBuffer(16);
  private readonly remoteIov = pinnedBuffer(16);
  private readonly bytesAddress: number;

  constructor() {
    this.bytesAddress = this.c.addressOf(this.bytes);
  }

  /**
   * Copies up to `len` bytes from `addr` in `pid` into `bytes[at..]`. Returns how many arrived:
   * fewer than asked when the range runs into an unmapped page, -1 when nothing could be read.
   */
  read(pid: number, addr: number, len: number, at = 0): number {
    writeU64(this.localIov, 0, this.bytesAddress + at);
    writeU64(this.localIov, 8, len);
    writeU64(this.remoteIov, 0, addr);
    writeU64(this.remoteIov, 8, len);
    return this.c.processVmReadv(pid, this.localIov, 1, this.remoteIov, 1, 0);
  }

  /** A NUL-terminated string of at most PATH_READ_MAX bytes, read page by page; undefined if unreadable. */
  readCString(pid: number, addr: number): string | undefined {
    if (addr === 0) return undefined;
    let have = 0;
    while (have < PATH_READ_MAX) {
      const pageLeft = PAGE - ((addr + have) % PAGE);
      const want = Math.min(pageLeft, PATH_READ_MAX - have);
      const got = this.read(pid, addr + have, want, have);
      if (got <= 0) break;
      const nul = this.bytes.indexOf(0, have);
      if (nul >= 0 && nul < have + got) return this.bytes.toString('utf8', 0, nul);
      have += got;
      if (got < want) break;
    }
    // No terminator within reach: not a usable path (or a path longer than PATH_MAX).
    return undefined;
  }
}
