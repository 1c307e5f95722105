// The shim as a container entrypoint: bind-mounted at /faultbox-shim, dialing a socket in a
// bind-mounted directory, as a non-root user, under Docker's default seccomp profile. Needs the
// local images `npm run setup` builds (no registry is reachable).
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syscallNumber } from '../src/runtime/kernel/syscall-table.js';
import { ListenerHandoff, shimCommand, shimPath } from '../src/runtime/supervisor/handoff.js';
import { Supervisor } from '../src/runtime/supervisor/supervisor.js';

const IMAGE = 'faultbox-local/debian:12';
const NAME = `faultbox-shim-test-${process.pid}`;
let dir = '';
let sup: Supervisor;

beforeAll(async () => {
  execFileSync('node', [new URL('../scripts/build-shim.mjs', import.meta.url).pathname], { stdio: 'pipe' });
  try {
    execFileSync('docker', ['image', 'inspect', IMAGE], { stdio: 'pipe' });
  } catch {
    throw new Error(`docker image ${IMAGE} is not available: run npm run setup (needs a running docker daemon)`);
  }
  dir = mkdtempSync(join(tmpdir(), 'faultbox-ctr-'));
  chmodSync(dir, 0o755); // the container's non-root user must reach the socket
  sup = await Supervisor.start();
});

afterAll(async () => {
  try { execFileSync('docker', ['rm', '-f', NAME], { stdio: 'pipe' }); } catch { /* already gone */ }
  await sup?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('shim as a container entrypoint', () => {
  it('hands over the listener from a non-root container; rules see container paths and host pids', async () => {
    const handoff = await ListenerHandoff.open(dir);
    const inside = `/var/run/faultbox/${basename(handoff.socketPath)}`;
    const entry = shimCommand('/faultbox-shim', inside, [syscallNumber('write')], '/bin/sh',
      ['-c', 'echo data > /tmp/x && echo wrote || echo failed; id -u']);
    const child = spawn('docker', [
      'run', '--rm', '--name', NAME, '--user', '1000:1000',
      '-v', `${shimPath()}:/faultbox-shim:ro`, '-v', `${dir}:/var/run/faultbox`,
      '--entrypoint', entry[0]!, IMAGE, ...entry.slice(1),
    ], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout!.on('data', (d) => { out += d; });
    child.stderr!.on('data', (d) => { err += d; });
    const done = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
    try {
      const { listenerFd, pid } = await handoff.accept(60_000, () => child.exitCode === null);
      expect(pid).not.toBe(1); // the host-namespace pid, not the container's own view
      await sup.attach('ctr', listenerFd);
      await sup.setRules('ctr', [{
        id: 'tmp-eio', service: 'ctr', keyword: 'write', syscalls: ['write'],
        action: { kind: 'deny', errno: 'EIO' }, trigger: {}, pathGlob: '/tmp/*',
      }], 1);
      handoff.acknowledge();
      expect(await done).toBe(0);
      expect(out).toBe('failed\n1000\n');
      expect(err).toMatch(/I\/O error/);
      const denied = (await sup.drainEvents()).filter((e) => e.decision === 'deny');
      expect(denied).toEqual([expect.objectContaining({ service: 'ctr', pid, syscall: 'write', path: '/tmp/x', errno: 'EIO' })]);
    } finally {
      handoff.close();
    }
  });
});
