// End-to-end: the binary-mode launcher and healthchecks against real PostgreSQL and Redis servers
// (Debian packages; `scripts/setup-services.sh` installs them). Missing servers fail these tests.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InfraError } from '../src/errors.js';
import { CleanupRegistry } from '../src/runtime/launch/cleanup.js';
import { waitHealthy } from '../src/runtime/launch/healthcheck.js';
import { isPortFree, waitPortsFree } from '../src/runtime/launch/ports.js';
import { descendants, groupMembers, stillAlive } from '../src/runtime/launch/process-group.js';
import { ProcessLauncher, describeServiceExit, type ProcessExit } from '../src/runtime/launch/process.js';
import { postgresBinaries, redisServerBinary } from './fixtures/real-servers/binaries.js';
import { startPostgres } from './fixtures/real-servers/postgres.js';
import { startRedis } from './fixtures/real-servers/redis.js';

let base: string;
let cleanup: CleanupRegistry;
let launcher: ProcessLauncher;

beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'faultbox-launch-e2e-'));
  cleanup = new CleanupRegistry({ runsDir: join(base, 'runs'), log: () => {} });
  launcher = new ProcessLauncher({ logDir: join(base, 'logs'), cleanup });
});

afterAll(async () => {
  const report = await cleanup.dispose();
  rmSync(base, { recursive: true, force: true });
  expect(report.failures).toEqual([]);
});

async function waitFor(cond: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 1000; i++) {
    if (cond()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('real servers are installed', () => {
  it('finds postgres, initdb and redis-server (else: run scripts/setup-services.sh)', () => {
    expect(postgresBinaries().postgres).toMatch(/postgres$/);
    expect(redisServerBinary()).toMatch(/redis-server$/);
  });
});

describe('PostgreSQL through the launcher', () => {
  it('passes `ready` (SELECT 1 with the env credentials), logs to a file, and stops cleanly', async () => {
    const pg = await startPostgres(launcher, cleanup, { password: 'fb-secret' });
    const report = await waitHealthy(
      { kind: 'ready', timeoutMs: 30_000 },
      { service: 'postgres', readyOn: { protocol: 'postgres', addr: pg.addr }, env: pg.env, isAlive: () => pg.proc.isAlive() },
    );
    expect(report.attempts).toBeGreaterThanOrEqual(1);
    expect(await isPortFree(pg.addr.port)).toBe(false);
    await waitFor(() => pg.proc.logTail().includes('ready to accept connections'), 'the server log line');
    expect(pg.proc.log.path).toBe(join(base, 'logs', 'postgres.log'));

    // Wrong credentials: the check names the service, the check and the server's reason.
    const wrong = await waitHealthy(
      { kind: 'ready', timeoutMs: 1500 },
      { service: 'postgres', readyOn: { protocol: 'postgres', addr: pg.addr }, env: { ...pg.env, POSTGRES_PASSWORD: 'nope' }, isAlive: () => true },
    ).catch((e: unknown) => e);
    expect(wrong).toBeInstanceOf(InfraError);
    expect((wrong as Error).message).toMatch(
      new RegExp(`^service "postgres": healthcheck ready \\(postgres SELECT 1 on 127\\.0\\.0\\.1:${pg.addr.port}\\) did not pass within 1\\.5s .*password authentication failed for user "faultbox"`),
    );

    // PostgreSQL's children leave the group (setsid), so stop also tracks the process tree.
    const children = descendants(pg.proc.pid);
    expect(children.length).toBeGreaterThan(1); // checkpointer, walwriter, ...
    const stopped = await pg.proc.stop();
    expect(stopped).toMatchObject({ killed: false, exit: { requested: true } });
    expect(groupMembers(pg.proc.pgid)).toEqual([]);
    expect(stillAlive(children)).toEqual([]);
    expect(await isPortFree(pg.addr.port)).toBe(true);
    await waitPortsFree([pg.addr.port], 1000);
  });

  it('detects a crash (kill -9 of the postmaster) through the exit callback; stop then removes the orphaned backends', async () => {
    const exits: ProcessExit[] = [];
    const pg = await startPostgres(launcher, cleanup, { onExit: (e) => exits.push(e) });
    await waitHealthy({ kind: 'ready', timeoutMs: 30_000 }, { service: 'postgres', readyOn: { protocol: 'postgres', addr: pg.addr }, env: pg.env, isAlive: () => pg.proc.isAlive() });
    const children = descendants(pg.proc.pid);
    expect(children.length).toBeGreaterThan(1);
    process.kill(pg.proc.pid, 'SIGKILL');
    const exit = await pg.proc.exited;
    expect(exit).toEqual({ code: null, signal: 'SIGKILL', status: 137, requested: false });
    expect(exits).toEqual([exit]);
    expect(pg.proc.isAlive()).toBe(false);
    expect(describeServiceExit(pg.proc, exit)).toMatch(/^service "postgres" killed by SIGKILL\n  last output \(.*postgres\.log\):\n/);
    const result = await pg.proc.stop();
    expect(result.exit.requested).toBe(false);
    expect(groupMembers(pg.proc.pgid)).toEqual([]);
    // The orphaned children notice their postmaster's death and exit by themselves; the listening
    // socket died with the postmaster.
    await waitFor(() => stillAlive(children).length === 0, 'the orphaned postgres children to exit');
    expect(await isPortFree(pg.addr.port)).toBe(true);
  });

  it('a healthcheck gives up as soon as the server exits, and the error carries its last output', async () => {
    const bins = postgresBinaries();
    const missingData = join(tmpdir(), `faultbox-missing-data-${process.pid}`);
    const proc = await launcher.start({
      service: 'broken-pg',
      binary: bins.postgres,
      baseDir: base,
      args: ['-D', missingData, '-p', '1'],
      cwd: '/',
      runAs: process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : undefined,
    });
    const error = await waitHealthy(
      { kind: 'tcp', addr: '127.0.0.1:1', timeoutMs: 60_000 },
      { service: 'broken-pg', env: {}, isAlive: () => proc.isAlive(), describeExit: () => describeServiceExit(proc, proc.exit!) },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InfraError);
    expect((error as Error).message).toMatch(/^service "broken-pg" exited before its healthcheck tcp 127\.0\.0\.1:1 passed: service "broken-pg" exited with code 2\n/);
    expect((error as Error).message).toContain(`could not access directory "${missingData}": No such file or directory`);
    await proc.stop();
  });
});

describe('Redis through the launcher', () => {
  it('passes `ready` (AUTH + PING), fails it with a wrong password, and frees its port on stop', async () => {
    const redis = await startRedis(launcher, cleanup, { password: 'r-secret' });
    const target = { service: 'redis', readyOn: { protocol: 'redis' as const, addr: redis.addr }, isAlive: () => redis.proc.isAlive() };
    await waitHealthy({ kind: 'ready', timeoutMs: 30_000 }, { ...target, env: redis.env });
    const wrong = await waitHealthy({ kind: 'ready', timeoutMs: 800 }, { ...target, env: { REDIS_PASSWORD: 'nope' } }).catch((e: unknown) => e);
    expect(wrong).toBeInstanceOf(InfraError);
    expect((wrong as Error).message).toMatch(/^service "redis": healthcheck ready \(redis PING on 127\.0\.0\.1:\d+\) did not pass within 0\.8s .*last error: WRONGPASS/);
    const noAuth = await waitHealthy({ kind: 'ready', timeoutMs: 800 }, { ...target, env: {} }).catch((e: unknown) => e);
    expect((noAuth as Error).message).toMatch(/NOAUTH/);

    expect(redis.proc.logTail()).toMatch(/Ready to accept connections/);
    const stopped = await redis.proc.stop();
    expect(stopped).toMatchObject({ killed: false, exit: { requested: true } });
    expect(groupMembers(redis.proc.pgid)).toEqual([]);
    expect(await isPortFree(redis.addr.port)).toBe(true);
  });
});

describe('cleanup of everything the tests started', () => {
  it('dispose leaves no process group, temp dir or run record behind', async () => {
    const redis = await startRedis(launcher, cleanup);
    const pg = await startPostgres(launcher, cleanup);
    expect(cleanup.trackedGroups()).toEqual(expect.arrayContaining([redis.proc.pgid, pg.proc.pgid]));
    expect(existsSync(join(base, 'runs', `${cleanup.runId}.json`))).toBe(true);
    const report = await cleanup.dispose();
    expect(report.failures).toEqual([]);
    expect(groupMembers(redis.proc.pgid)).toEqual([]);
    expect(groupMembers(pg.proc.pgid)).toEqual([]);
    expect(existsSync(pg.dataDir)).toBe(false);
    expect(existsSync(join(base, 'runs', `${cleanup.runId}.json`))).toBe(false);
  });
});
