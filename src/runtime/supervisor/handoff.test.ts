import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InfraError } from '../../errors.js';
import { ListenerHandoff, shimCommand } from './handoff.js';

const dir = mkdtempSync(join(tmpdir(), 'faultbox-handoff-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('shimCommand', () => {
  it('builds the shim argv: socket, comma-separated numbers, --, program and args', () => {
    expect(shimCommand('/x/faultbox-shim', '/run/s.sock', [1, 257, 42], '/usr/bin/app', ['--port', '80']))
      .toEqual(['/x/faultbox-shim', '/run/s.sock', '1,257,42', '--', '/usr/bin/app', '--port', '80']);
  });
});

describe('ListenerHandoff', () => {
  it('listens on a world-connectable socket under the directory and removes it on close', async () => {
    const h = await ListenerHandoff.open(join(dir, 'nested'));
    expect(h.socketPath.startsWith(join(dir, 'nested'))).toBe(true);
    const st = statSync(h.socketPath);
    expect(st.isSocket()).toBe(true);
    expect(st.mode & 0o777).toBe(0o777);
    h.close();
    h.close();
    expect(existsSync(h.socketPath)).toBe(false);
  });

  it('times out with an InfraError naming the socket when nobody connects', async () => {
    const h = await ListenerHandoff.open(dir);
    await expect(h.accept(120)).rejects.toThrow(InfraError);
    await expect(h.accept(120)).rejects.toThrow(/did not connect within the launch timeout/);
    h.close();
  });

  it('stops waiting as soon as the shim is known dead', async () => {
    const h = await ListenerHandoff.open(dir);
    await expect(h.accept(60_000, () => false)).rejects.toThrow(/exited before it could connect/);
    h.close();
  });

  it('refuses a socket path longer than the kernel allows', async () => {
    await expect(ListenerHandoff.open(join(dir, 'x'.repeat(120)))).rejects.toThrow(/the limit is 107/);
  });
});
