// The data half of the undo log: for every regular file written since its last fsync, the
// pre-image of each 4 KiB block the first time it is touched, plus the file's size then. Reads go
// through an fd taken from the target (pidfd_getfd), kept open until the file is synced, so a
// file renamed or unlinked meanwhile is still restored by inode.
import { libc, type Libc } from '../kernel/libc.js';
import { pinnedBuffer, readU64 } from '../kernel/pinned-buffer.js';

export const BLOCK = 4096;
const STAT_SIZE = 144;
const ST_DEV = 0;
const ST_INO = 8;
const ST_MODE = 24;
const ST_SIZE = 48;
const S_IFMT = 0o170000;
export const S_IFREG = 0o100000;
export const S_IFDIR = 0o040000;

interface TrackedFile {
  /** Our dup of the target's fd: the inode stays reachable whatever happens to its names. */
  readonly fd: number;
  /** Size when first touched since the last sync: a crash truncates back to it. */
  readonly size: number;
  /** Block index → its bytes before the first write since the last sync. */
  readonly blocks: Map<number, Buffer>;
}

/** What fstat said about the fd just looked at (kept in fields: the hot path allocates nothing). */
export class FdStat {
  private readonly c: Libc = libc();
  private readonly buf = pinnedBuffer(STAT_SIZE);
  dev = 0;
  ino = 0;
  mode = 0;
  size = 0;

  /** False when fstat failed. */
  load(fd: number): boolean {
    if (this.c.fstat(fd, this.buf) !== 0) return false;
    const b = this.buf;
    this.dev = readU64(b, ST_DEV);
    this.ino = readU64(b, ST_INO);
    this.mode = b.readUInt32LE(ST_MODE) & S_IFMT;
    this.size = readU64(b, ST_SIZE);
    return true;
  }
}

export class FilePreimages {
  private readonly c: Libc = libc();
  /** dev → ino → tracked file (nested maps: no key strings built per call). */
  private readonly files = new Map<number, Map<number, TrackedFile>>();
  private count = 0;
  /** Blocks saved since the log started (for the benchmark and the report). */
  savedBlocks = 0;

  get trackedFiles(): number {
    return this.count;
  }

  /**
   * Saves what [offset, offset+length) holds now, block by block, for blocks not saved since the
   * file's last sync. `fd` is our dup (described by `st`); returns true when the log kept it
   * (the caller must not close it then).
   */
  save(fd: number, st: FdStat, offset: number, length: number): boolean {
    let kept = false;
    let f = this.files.get(st.dev)?.get(st.ino);
    if (f === undefined) {
      f = { fd, size: st.size, blocks: new Map() };
      let byIno = this.files.get(st.dev);
      if (byIno === undefined) this.files.set(st.dev, (byIno = new Map()));
      byIno.set(st.ino, f);
      this.count++;
      kept = true;
    }
    if (length <= 0) return kept;
    // Bytes past the size at first touch come back by truncation; no pre-image needed.
    const end = Math.min(offset + length, f.size);
    for (let b = Math.floor(offset / BLOCK); b * BLOCK < end; b++) {
      if (f.blocks.has(b)) continue;
      const want = Math.min(BLOCK, f.size - b * BLOCK);
      const bytes = Buffer.allocUnsafe(want);
      const got = this.c.pread(f.fd, bytes, want, b * BLOCK);
      f.blocks.set(b, got === want ? bytes : bytes.subarray(0, Math.max(0, got)));
      this.savedBlocks++;
    }
    return kept;
  }

  /** The file was synced: its current contents are durable. */
  drop(dev: number, ino: number): void {
    const byIno = this.files.get(dev);
    const f = byIno?.get(ino);
    if (f === undefined) return;
    this.c.close(f.fd);
    byIno!.delete(ino);
    this.count--;
  }

  dropAll(): void {
    for (const byIno of this.files.values()) for (const f of byIno.values()) this.c.close(f.fd);
    this.files.clear();
    this.count = 0;
  }

  /** Writes every saved block back and truncates to the saved size; returns the files restored and any failures. */
  restore(): { files: number; errors: string[] } {
    const errors: string[] = [];
    let files = 0;
    for (const byIno of this.files.values()) {
      for (const [ino, f] of byIno) {
        for (const [b, bytes] of f.blocks) {
          if (bytes.length > 0 && this.c.pwrite(f.fd, bytes, bytes.length, b * BLOCK) !== bytes.length) {
            errors.push(`inode ${ino}: could not write back block ${b} (errno ${this.c.errno()})`);
          }
        }
        if (this.c.ftruncate(f.fd, f.size) !== 0) errors.push(`inode ${ino}: could not truncate back to ${f.size} bytes (errno ${this.c.errno()})`);
        files++;
      }
    }
    this.dropAll();
    return { files, errors };
  }
}
