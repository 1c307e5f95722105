// What a target's fds and cwd point at, via the /proc/<pid> symlinks: `/var/lib/x`,
// `socket:[123]`, `pipe:[9]`, `anon_inode:[eventfd]`.
import { libc, type Libc } from './libc.js';
import { pinnedBuffer } from './pinned-buffer.js';

export class ProcLinks {
  private readonly c: Libc = libc();
  private readonly buf = pinnedBuffer(4096);

  fdTarget(pid: number, fd: number): string | undefined {
    return fd < 0 ? undefined : this.readlink(`/proc/${pid}/fd/${fd}`);
  }

  cwd(pid: number): string | undefined {
    return this.readlink(`/proc/${pid}/cwd`);
  }

  private readlink(path: string): string | undefined {
    const n = this.c.readlink(path, this.buf, this.buf.length);
    return n < 0 ? undefined : this.buf.toString('utf8', 0, n);
  }
}
