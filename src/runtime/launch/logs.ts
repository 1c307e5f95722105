// A service's stdout+stderr go to one append-only file, never a pipe: a pipe nobody drains (the
// test body may block the event loop) would eventually stall the service on write.
import { closeSync, fstatSync, mkdirSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';

const DEFAULT_TAIL_LINES = 40;
const TAIL_MAX_BYTES = 64 * 1024;

export class ServiceLog {
  /** Where this launch's output begins (the file is shared by relaunches of the same service). */
  private readonly startOffset: number;
  private fd: number | undefined;

  private constructor(
    readonly path: string,
    fd: number,
  ) {
    this.fd = fd;
    this.startOffset = fstatSync(fd).size;
  }

  /** Opens (appending) `<dir>/<service>.log`. */
  static open(dir: string, service: string): ServiceLog {
    mkdirSync(dir, { recursive: true });
    const path = join(dir, `${service.replace(/[^A-Za-z0-9_.-]/g, '_')}.log`);
    return new ServiceLog(path, openSync(path, 'a', 0o644));
  }

  /** The descriptor handed to the child as stdout and stderr. */
  get writeFd(): number {
    if (this.fd === undefined) throw new Error(`log ${this.path} is closed`);
    return this.fd;
  }

  /** The last lines this launch wrote (at most 64 KiB), for failed-test output. */
  tail(maxLines = DEFAULT_TAIL_LINES): string {
    let fd: number;
    try {
      fd = openSync(this.path, 'r');
    } catch {
      return '';
    }
    try {
      const size = fstatSync(fd).size;
      const from = Math.max(this.startOffset, size - TAIL_MAX_BYTES);
      const buf = Buffer.alloc(size - from);
      let read = 0;
      while (read < buf.length) {
        const n = readSync(fd, buf, read, buf.length - read, from + read);
        if (n === 0) break;
        read += n;
      }
      let text = buf.subarray(0, read).toString('utf8');
      if (from > this.startOffset) text = text.slice(text.indexOf('\n') + 1); // drop a cut line
      const lines = text.replace(/\n$/, '').split('\n');
      return lines.slice(-maxLines).join('\n');
    } finally {
      closeSync(fd);
    }
  }

  /** Our copy of the descriptor; the child keeps its own. */
  close(): void {
    if (this.fd === undefined) return;
    closeSync(this.fd);
    this.fd = undefined;
  }
}
