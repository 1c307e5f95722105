import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InfraError } from '../../errors.js';
import { CleanupRegistry } from './cleanup.js';
import { groupMembers } from './process-group.js';
import { ProcessLauncher, resolveBinary, type ProcessExit } from './process.js';

let dir: string;
let cleanup: CleanupRegistry;
let launcher: ProcessLauncher;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'faultbox-process-test-'));
  cleanup = new CleanupRegistry({ runsDir: join(dir, 'runs'), log: () => {} });
  launcher = new ProcessLauncher({ logDir: join(dir, 'logs'), cleanup, stopGraceMs: 500 });
});
afterEach(async () => {
  const report = await cleanup.dispose();
  expect(report.failures).toEqual([]);
  rmSync(dir, { recursive: true, force: true });
});

async function waitFor(cond: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (cond()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('resolveBinary', () => {
  it('resolves relative paths against the spec directory', () => {
    mkdirSync(join(dir, 'bin'));
    writeFileSync(join(dir, 'bin', 'svc'), '#!/bin/sh\n');
    chmodSync(join(dir, 'bin', 'svc'), 0o755);
    expect(resolveBinary('api', './bin/svc', dir)).toBe(join(dir, 'bin', 'svc'));
    expect(resolveBinary('api', 'bin/svc', dir)).toBe(join(dir, 'bin', 'svc'));
  });

  it('looks bare names up on PATH', () => {
    expect(resolveBinary('api', 'sh', dir)).toMatch(/\/sh$/);
  });

  it('names the service and the path when the binary is missing, a directory or not executable', () => {
    mkdirSync(join(dir, 'adir'));
    writeFileSync(join(dir, 'plain'), 'x');
    chmodSync(join(dir, 'plain'), 0o644);
    const cases: [string, RegExp][] = [
      ['./missing', /service "api": binary "\.\/missing" not found \(resolved to .*\/missing\)/],
      ['./adir', /binary "\.\/adir" is a directory/],
      ['no-such-program-xyz', /binary "no-such-program-xyz" not found on PATH/],
    ];
    if (process.getuid?.() !== 0) cases.push(['./plain', /binary "\.\/plain" is not executable \(mode 644\)/]);
    for (const [binary, message] of cases) {
      let caught: unknown;
      try {
        resolveBinary('api', binary, dir);
      } catch (err) {
        caught = err;
      }
      expect(caught).toBeInstanceOf(InfraError);
      expect((caught as Error).message).toMatch(message);
    }
  });

  it('rejects a non-executable file even as root (no x bit at all)', () => {
    writeFileSync(join(dir, 'plain'), 'x');
    chmodSync(join(dir, 'plain'), 0o644);
    expect(() => resolveBinary('api', './plain', dir)).toThrow(/binary "\.\/plain" is not executable \(mode 644\)/);
  });
});

describe('ProcessLauncher', () => {
  it('starts in its own process group with env/cwd, logs stdout and stderr to a file, and stops the whole group', async () => {
    const proc = await launcher.start({
      service: 'shell',
      binary: '/bin/sh',
      baseDir: dir,
      args: ['-c', 'echo "out $GREETING $(pwd)"; echo err >&2; sleep 300 & sleep 300 & wait'],
      env: { GREETING: 'hello' },
    });
    expect(proc.pgid).toBe(proc.pid);
    await waitFor(() => groupMembers(proc.pgid).length === 3, 'the shell and its two sleeps');
    await waitFor(() => proc.logTail().includes('err'), 'output');
    expect(proc.logTail()).toBe(`out hello ${dir}\nerr`);
    expect(readFileSync(join(dir, 'logs', 'shell.log'), 'utf8')).toContain('out hello');
    expect(cleanup.trackedGroups()).toEqual([proc.pgid]);

    const result = await proc.stop();
    expect(result.killed).toBe(false);
    expect(result.exit.requested).toBe(true);
    expect(result.exit.signal).toBe('SIGTERM');
    expect(result.exit.status).toBe(143);
    expect(groupMembers(proc.pgid)).toEqual([]);
    expect(proc.isAlive()).toBe(false);
    expect(cleanup.trackedGroups()).toEqual([]);
  });

  it('escalates to SIGKILL when SIGTERM is ignored', async () => {
    const proc = await launcher.start({
      service: 'stubborn',
      binary: 'sh',
      baseDir: dir,
      args: ['-c', "trap '' TERM; echo armed; while :; do sleep 1; done"],
    });
    await waitFor(() => proc.logTail().includes('armed'), 'the trap to be set');
    const result = await proc.stop(200);
    expect(result.killed).toBe(true);
    expect(result.exit.signal).toBe('SIGKILL');
    expect(groupMembers(proc.pgid)).toEqual([]);
  });

  it('reports a crash through onExit with the exit code, and the log tail explains it', async () => {
    const exits: ProcessExit[] = [];
    const proc = await launcher.start({
      service: 'crashy',
      binary: 'sh',
      baseDir: dir,
      args: ['-c', 'echo "fatal: config missing" >&2; exit 7'],
      onExit: (exit) => exits.push(exit),
    });
    const exit = await proc.exited;
    expect(exit).toEqual({ code: 7, signal: null, status: 7, requested: false });
    expect(exits).toEqual([exit]);
    expect(proc.isAlive()).toBe(false);
    expect(proc.logTail()).toBe('fatal: config missing');
    const stopped = await proc.stop();
    expect(stopped.exit.requested).toBe(false);
  });

  it('reports a SIGKILL from outside as signal exit 137', async () => {
    const exits: ProcessExit[] = [];
    const proc = await launcher.start({ service: 'victim', binary: 'sleep', baseDir: dir, args: ['300'], onExit: (e) => exits.push(e) });
    process.kill(proc.pid, 'SIGKILL');
    const exit = await proc.exited;
    expect(exit.signal).toBe('SIGKILL');
    expect(exit.status).toBe(137);
    expect(exit.requested).toBe(false);
    expect(exits).toHaveLength(1);
  });

  it('spawns the wrapped command while resolving the target binary', async () => {
    const seen: { program: string; args: readonly string[] }[] = [];
    const proc = await launcher.start({
      service: 'wrapped',
      binary: 'sh',
      baseDir: dir,
      args: ['-c', 'echo "wrapped=$WRAPPED"'],
      wrap: (program, args) => {
        seen.push({ program, args });
        return { program: '/usr/bin/env', args: ['WRAPPED=yes', program, ...args] };
      },
    });
    await proc.exited;
    expect(seen[0]!.program).toMatch(/\/sh$/);
    expect(proc.program).toBe(seen[0]!.program);
    expect(proc.command.program).toBe('/usr/bin/env');
    expect(proc.logTail()).toBe('wrapped=yes');
  });

  it('runs beforeReady before start resolves', async () => {
    const order: string[] = [];
    const proc = await launcher.start({
      service: 'handshake',
      binary: 'sleep',
      baseDir: dir,
      args: ['300'],
      beforeReady: async (p) => {
        order.push(`beforeReady pid=${p.pid === p.pgid}`);
      },
    });
    order.push('started');
    expect(order).toEqual(['beforeReady pid=true', 'started']);
    await proc.stop();
  });

  it('fails the start and kills the group when beforeReady rejects', async () => {
    let pgid = 0;
    const start = launcher.start({
      service: 'badshake',
      binary: 'sleep',
      baseDir: dir,
      args: ['300'],
      beforeReady: async (p) => {
        pgid = p.pgid;
        throw new Error('shim did not report a listener fd');
      },
    });
    await expect(start).rejects.toThrow(/service "badshake": start-up handshake failed: shim did not report a listener fd/);
    await expect(start).rejects.toBeInstanceOf(InfraError);
    expect(groupMembers(pgid)).toEqual([]);
    expect(cleanup.trackedGroups()).toEqual([]);
  });

  it('fails the start when the process exits during beforeReady, with its output', async () => {
    const start = launcher.start({
      service: 'earlyexit',
      binary: 'sh',
      baseDir: dir,
      args: ['-c', 'echo "cannot bind" >&2; exit 3'],
      beforeReady: () => new Promise<void>(() => {}), // a handshake that never completes
    });
    await expect(start).rejects.toThrow(/handshake failed: the process exited with code 3[\s\S]*cannot bind/);
  });

  it('gives a clear error when the binary cannot be executed', async () => {
    // The script exists and is executable, but its interpreter does not: execve fails (ENOENT).
    writeFileSync(join(dir, 'script'), '#!/nonexistent/interpreter\n');
    chmodSync(join(dir, 'script'), 0o755);
    const start = launcher.start({ service: 'junk', binary: './script', baseDir: dir });
    await expect(start).rejects.toThrow(/service "junk": could not start .*\/script: spawn .*ENOENT/);
    await expect(start).rejects.toBeInstanceOf(InfraError);
  });

  it('cleanup registry disposal stops services that were never stopped explicitly', async () => {
    const proc = await launcher.start({ service: 'leftover', binary: 'sleep', baseDir: dir, args: ['300'] });
    const report = await cleanup.dispose();
    expect(report).toEqual({ disposed: 1, failures: [] });
    expect(groupMembers(proc.pgid)).toEqual([]);
    expect((await proc.exited).requested).toBe(true);
  });
});
