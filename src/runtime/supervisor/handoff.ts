// The host side of the shim handshake: a unix socket the shim dials before installing its
// filter, the listener fd it sends back (SCM_RIGHTS), and the 1-byte ACK that lets it exec the
// target once the supervisor watches the listener. See src/shim/faultbox-shim.c for the shim side.
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InfraError } from '../../errors.js';
import {
  acceptConnection, closeFd, listenUnixSocket, peerPid, receiveWithFds, sendBytes, waitReadable,
} from '../kernel/unix-socket.js';

/** How often a wait re-checks `isAlive` and the deadline. */
const SLICE_MS = 50;

export interface HandedOver {
  /** A host fd, close-on-exec, now owned by the caller (pass it to Supervisor.attach). */
  readonly listenerFd: number;
  /** The shim's pid in the host's PID namespace (the target keeps it across exec). */
  readonly pid: number;
}

export class ListenerHandoff {
  private conn: number | undefined;
  private closed = false;

  private constructor(readonly socketPath: string, private readonly listenFd: number) {}

  /**
   * Listens on a fresh socket under `dir` (created if missing), open to every uid (0777). `name`
   * reuses a socket name a container's entrypoint already names (a restart of that container).
   */
  static async open(dir: string, name?: string): Promise<ListenerHandoff> {
    try {
      mkdirSync(dir, { recursive: true });
    } catch (err) {
      throw new InfraError(`cannot create the shim socket directory ${dir}: ${(err as Error).message}`);
    }
    const socketPath = join(dir, name ?? `shim-${randomBytes(4).toString('hex')}.sock`);
    const fd = listenUnixSocket(socketPath);
    try {
      // Non-root users inside containers must be able to connect.
      chmodSync(socketPath, 0o777);
    } catch (err) {
      closeFd(fd);
      rmSync(socketPath, { force: true });
      throw new InfraError(`cannot chmod the shim socket ${socketPath}: ${(err as Error).message}`);
    }
    return new ListenerHandoff(socketPath, fd);
  }

  /**
   * Waits for the shim to connect and hand over its listener. Fails with an InfraError when the
   * shim reports a failure, closes the socket without an fd, `isAlive` turns false (the shim
   * exited: its stderr says why) or `timeoutMs` passes.
   */
  async accept(timeoutMs: number, isAlive?: () => boolean): Promise<HandedOver> {
    if (this.closed) throw new InfraError('the shim handoff socket is already closed');
    const deadline = Date.now() + timeoutMs;
    const conn = await this.waitForConnection(deadline, isAlive);
    this.conn = conn;
    let bytes = Buffer.alloc(0);
    const fds: number[] = [];
    const releaseFds = () => { for (const fd of fds) closeFd(fd); };
    for (;;) {
      const r = receiveWithFds(conn);
      if (r.kind === 'again') {
        await this.waitOn(conn, deadline, isAlive, 'send its listener fd');
        continue;
      }
      if (r.kind === 'eof') {
        releaseFds();
        if (bytes[0] === 0x45 /* E */) throw new InfraError(`the seccomp shim failed: ${bytes.subarray(1).toString('utf8')}`);
        throw new InfraError('the seccomp shim closed its socket without handing over a listener fd (its stderr says why)');
      }
      bytes = Buffer.concat([bytes, r.bytes]);
      fds.push(...r.fds);
      if (bytes[0] === 0x46 /* F */ && bytes.length >= 5) {
        if (fds.length === 0) throw new InfraError('the seccomp shim announced a listener but sent no fd');
        const [listenerFd, ...extra] = fds;
        for (const fd of extra) closeFd(fd);
        const pid = peerPid(conn) ?? bytes.readInt32LE(1);
        return { listenerFd: listenerFd!, pid };
      }
      if (bytes[0] !== 0x45 && bytes[0] !== 0x46) {
        releaseFds();
        throw new InfraError(`unexpected handshake from the seccomp shim (first byte 0x${bytes[0]!.toString(16)})`);
      }
    }
  }

  /** Lets the shim exec its program. Call after Supervisor.attach(...) of the listener. */
  acknowledge(): void {
    if (this.conn === undefined) throw new InfraError('acknowledge() before a shim handed over its listener');
    try {
      sendBytes(this.conn, Buffer.from('k'));
    } finally {
      closeFd(this.conn);
      this.conn = undefined;
    }
  }

  /** Closes the socket and removes its file. Idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.conn !== undefined) closeFd(this.conn);
    this.conn = undefined;
    closeFd(this.listenFd);
    rmSync(this.socketPath, { force: true });
  }

  private async waitForConnection(deadline: number, isAlive?: () => boolean): Promise<number> {
    for (;;) {
      const fd = acceptConnection(this.listenFd);
      if (fd !== undefined) return fd;
      await this.waitOn(this.listenFd, deadline, isAlive, 'connect');
    }
  }

  private async waitOn(fd: number, deadline: number, isAlive: (() => boolean) | undefined, what: string): Promise<void> {
    const left = deadline - Date.now();
    if (left <= 0) {
      throw new InfraError(`the seccomp shim did not ${what} within the launch timeout (socket ${this.socketPath})`);
    }
    if (isAlive && !isAlive()) {
      throw new InfraError(`the seccomp shim exited before it could ${what} (its stderr says why)`);
    }
    await waitReadable(fd, Math.min(SLICE_MS, left));
  }
}

/** argv that runs `program args...` under the shim, trapping `syscallNrs`. */
export function shimCommand(shimPath: string, socketPath: string, syscallNrs: readonly number[], program: string, args: readonly string[]): string[] {
  return [shimPath, socketPath, syscallNrs.join(','), '--', program, ...args];
}

/** `<package root>/dist/shim/faultbox-shim`, built by `npm run build`. */
export function shimPath(): string {
  // This file is src/runtime/supervisor/handoff.ts or dist/runtime/supervisor/handoff.js.
  const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
  const path = join(root, 'dist', 'shim', 'faultbox-shim');
  if (!existsSync(path)) {
    throw new InfraError(`the seccomp shim is missing: ${path}`, 'run npm run build (it compiles the shim with gcc)');
  }
  return path;
}
