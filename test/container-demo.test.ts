// The container demo end to end, through the CLI a user runs: real PostgreSQL, Redis and a built
// api in Docker, faulted under real seccomp; per-test filters; the reuse variant; and what a
// SIGKILL or a Ctrl-C in the middle of a run leaves behind (nothing, once the next run swept).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAULTBOX, section, type CliRun } from './cli-run.js';
import { prepareContainerEnvironment } from './container-env.js';
import { leftoverTempDirs } from './leftovers.js';
import { writeReuseVariant } from '../bench/containers/reuse-variant.mjs';

const SPEC = 'examples/container-demo/faultbox.star';
const IMAGE_MAP = {
  'postgres:16-alpine': 'faultbox-local/postgres:16',
  'redis:7-alpine': 'faultbox-local/redis:7',
  'node:20-slim': 'faultbox-local/node:20',
};
const IMAGE_ENV = { FAULTBOX_IMAGE_MAP: Object.entries(IMAGE_MAP).map(([from, to]) => `${from}=${to}`).join(',') };
const ALL_TESTS = [
  'test_cached_write_and_read', 'test_happy_path', 'test_postgres_and_api_faults', 'test_postgres_disk_full',
  'test_postgres_write_enospc', 'test_postgres_write_failure', 'test_redis_refused_degrades_to_postgres',
  'test_redis_unreachable_degrades_to_postgres', 'test_write_and_read', 'test_write_data', 'test_write_then_read',
];

interface TraceEvent {
  type: string;
  service?: string;
  phase?: string;
  detail?: string;
  syscall?: string;
  decision?: string;
  path?: string;
  peer?: string;
}
interface TraceTest {
  name: string;
  result: string;
  events: TraceEvent[];
}

/** service → the `started` lifecycle detail ("no filter" or "filter:[...]") of one test. */
function filtersOf(trace: { tests: TraceTest[] }, test: string): Record<string, string> {
  const t = trace.tests.find((x) => x.name === test);
  if (!t) throw new Error(`no ${test} in the trace`);
  const out: Record<string, string> = {};
  for (const e of t.events) if (e.type === 'lifecycle' && e.phase === 'started') out[e.service!] = e.detail!;
  return out;
}

function explain(run: CliRun): string {
  return `exit ${run.code}\n--- stdout\n${run.stdout}\n--- stderr\n${run.stderr}`;
}

// --- owned resources, by the pid of the faultbox that made them ---------------------------------

interface Owned {
  containers: string[];
  volumes: string[];
  networks: string[];
}

async function ownedBy(docker: Docker, pid: number): Promise<Owned> {
  const label = `faultbox.pid=${pid}`;
  const containers = await docker.listContainers({ all: true, filters: { label: [label] } });
  const volumes = containers.flatMap((c) => c.Mounts.filter((m) => m.Type === 'volume' && m.Name).map((m) => m.Name!));
  const networks = await docker.listNetworks({ filters: { label: [label] } });
  return { containers: containers.map((c) => c.Names[0] ?? c.Id), volumes, networks: networks.map((n) => n.Name) };
}

async function volumeExists(docker: Docker, name: string): Promise<boolean> {
  try {
    await docker.getVolume(name).inspect();
    return true;
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode === 404) return false;
    throw err;
  }
}

/** Starts the CLI in the background (SIGKILL / SIGINT tests); resolves its output on exit. */
/** The death-watch processes of the faultbox with this pid (its pid is their last argument). */
function deathWatchesOf(owner: number): number[] {
  return readdirSync('/proc').filter((n) => /^\d+$/.test(n)).flatMap((n) => {
    try {
      const argv = readFileSync(`/proc/${n}/cmdline`, 'utf8').split('\0').filter(Boolean);
      return argv.some((a) => a.endsWith('death-watch-main.js')) && argv[argv.length - 1] === String(owner) ? [Number(n)] : [];
    } catch {
      return [];
    }
  });
}

function startFaultbox(args: string[], env: Record<string, string> = IMAGE_ENV): { child: ChildProcess; done: Promise<CliRun> } {
  const child = spawn('node', [FAULTBOX, ...args], { cwd: join(dirname(FAULTBOX), '..'), env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<CliRun>((resolve) => child.once('exit', (code, signal) => resolve({ code: code ?? (signal ? -1 : null), stdout, stderr })));
  return { child, done };
}

/**
 * Polls until the run owns at least `n` containers and `volumes` anonymous volumes (PostgreSQL's
 * data dir; a container only shows its mounts once started), or fails when it exits first.
 */
async function waitForContainers(docker: Docker, child: ChildProcess, n: number, volumes = 0, timeoutMs = 90_000): Promise<Owned> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`faultbox exited (${child.exitCode ?? child.signalCode}) before it had ${n} containers up`);
    const owned = await ownedBy(docker, child.pid!);
    if (owned.containers.length >= n && owned.volumes.length >= volumes) return owned;
    if (Date.now() > deadline) throw new Error(`faultbox had ${owned.containers.length} containers and ${owned.volumes.length} volumes after ${timeoutMs / 1000}s, waited for ${n} and ${volumes}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** No network made by one of `pids` is left (each run has its own, so nothing else can hold it). */
async function expectNoNetworkOf(docker: Docker, pids: number[]): Promise<void> {
  const left = (await docker.listNetworks({ filters: { name: ['faultbox-net-'] } })).filter((n) => pids.map(String).includes(n.Labels?.['faultbox.pid'] ?? ''));
  expect(left.map((n) => n.Name)).toEqual([]);
}

function seccompFilters(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/^Seccomp_filters:\s*(\d+)/m.exec(status)?.[1]);
}

describe('container demo (real PostgreSQL, Redis and a built api in Docker, under seccomp)', () => {
  let docker: Docker;
  let traceDir: string;
  let full: CliRun;
  let trace: { tests: TraceTest[] };
  /** The engine's image tag events while the full run ran (who built what, how often). */
  const tagEvents: { name?: string; id: string }[] = [];

  beforeAll(async () => {
    // Engine (scripts/setup-docker.sh), local images (scripts/build-images.sh) and shim, or a loud failure.
    prepareContainerEnvironment();
    docker = new Docker();
    traceDir = mkdtempSync(join(tmpdir(), 'fbx-container-demo-'));
    // The map as flags here, through FAULTBOX_IMAGE_MAP in the other runs. Runs are asynchronous:
    // a minute-long synchronous spawn would starve the test worker's own messages.
    // Followed live: the engine keeps only its last 256 events, fewer than one run makes.
    const events = (await docker.getEvents({})) as NodeJS.ReadableStream & { destroy(): void };
    let pending = '';
    events.on('data', (chunk: Buffer) => {
      pending += chunk.toString();
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines.filter((l) => l.trim())) {
        const e = JSON.parse(line) as { Type: string; Action: string; Actor: { ID: string; Attributes: { name?: string } } };
        if (e.Type === 'image' && e.Action === 'tag') tagEvents.push({ name: e.Actor.Attributes.name, id: e.Actor.ID });
      }
    });
    try {
      // The seed chapter's command as written: no --image flags, no map; setup's substitutes stand in.
      full = await startFaultbox(['test', SPEC, '--output', join(traceDir, 'trace.json')], { FAULTBOX_IMAGE_MAP: '' }).done;
    } finally {
      events.destroy();
    }
    trace = JSON.parse(readFileSync(join(traceDir, 'trace.json'), 'utf8')) as { tests: TraceTest[] };
  });
  afterAll(() => {
    if (traceDir) rmSync(traceDir, { recursive: true, force: true });
  });

  it('passes every test of the demo spec', () => {
    expect(full.stdout, explain(full)).toMatch(/^11 passed, 0 failed$/m);
    expect(full.code, explain(full)).toBe(0);
    expect(trace.tests.map((t) => t.name).sort()).toEqual(ALL_TESTS);
    for (const t of trace.tests) expect(t.result, t.name).toBe('pass');
  });

  it('--test postgres_disk_full shows the rule expansion and PostgreSQL\'s denied pwrite64 calls with their data-dir paths', async () => {
    const run = await startFaultbox(['test', SPEC, '--test', 'postgres_disk_full']).done;
    expect(run.code, explain(run)).toBe(0);
    expect(run.stdout).toMatch(/^--- PASS: test_postgres_disk_full \(\d+\.\d+s, seed=0\) ---$/m);
    expect(run.stdout).toContain('  fault rule on postgres: write=deny(ENOSPC) → filter:[write,writev,pwrite64,pwritev,pwritev2] label="disk full"');
    expect(run.stdout).toMatch(/^ {4}#\d+ {2}postgres {2}pwrite64 {2}deny\(no space left on device\) {2}\[disk full\] {2}\/var\/lib\/postgresql\/data\/\S+$/m);
    expect(run.stdout).toMatch(/^1 passed, 0 failed$/m);
  });

  it('builds the api image once per run, not once per test (caching across runs: container-demo-image.test.ts)', async () => {
    // Ten tests, three containers each, one build (each build ends by tagging faultbox-api:latest).
    expect(tagEvents.filter((e) => e.name === 'faultbox-api:latest')).toHaveLength(1);
    const image = await docker.getImage('faultbox-api:latest').inspect();
    expect(image.Config.Labels).toMatchObject({ faultbox: '1', 'faultbox.service': 'api' });
    expect(image.Config.Cmd).toEqual(['node', 'server.cjs']);
  });

  it('runs without flags on the local images setup built, saying once per image which one stands in', () => {
    for (const [from, to] of Object.entries(IMAGE_MAP)) {
      const said = full.stdout.split('\n').filter((l) => l.startsWith(`image ${from} is not present: using ${to} (default substitutes in `));
      expect(said, explain(full)).toHaveLength(1);
    }
  });

  it('without the image map or the setup\'s substitutes, says once that no test can run, with the hint, and exits 3', async () => {
    const run = await startFaultbox(['test', SPEC], { FAULTBOX_IMAGE_MAP: '', FAULTBOX_IMAGE_DEFAULTS: '/nonexistent/faultbox/image-map' }).done;
    expect(run.code, explain(run)).toBe(3);
    const errors = run.stdout.split('\n').filter((l) => l.includes('could not be pulled'));
    expect(errors, explain(run)).toHaveLength(1);
    expect(errors[0]).toMatch(/^infrastructure error \(no test can run\): service "postgres": image "postgres:16-alpine" is not present locally and could not be pulled: /);
    expect(run.stdout).toContain('hint: no registry is reachable? build the image locally (scripts/build-images.sh builds faultbox-local/*) and map it with --image or FAULTBOX_IMAGE_MAP, e.g. --image postgres:16-alpine=faultbox-local/postgres:16');
    expect(run.stdout).toContain(`${ALL_TESTS.length} not run`);
    expect(run.stdout).not.toContain('--- ');
  });

  it('breaks PostgreSQL and the api at once (faults=[pg_fault, api_fault]) and both rules fire', () => {
    const block = section(full.stdout, '--- PASS: test_postgres_and_api_faults');
    expect(block).toContain('fault rule on postgres: write=deny(EIO) → filter:[write,writev,pwrite64,pwritev,pwritev2] label="pg io error"');
    expect(block).toMatch(/postgres {2}pwrite64 {2}deny\(input\/output error\) {2}\[pg io error\] {2}\/var\/lib\/postgresql\/data\//);
    expect(block).toContain('fault rule on api: connect=delay(1s) → filter:[connect] label="slow network"');
    expect(block).toMatch(/api {2}connect {2}delay\(1s\) {2}\[slow network\]/);
    expect(block).not.toContain('never fired');
  });

  it('denies the api its connects (Redis unreachable) and the api still serves from PostgreSQL', () => {
    const block = section(full.stdout, '--- PASS: test_redis_unreachable_degrades_to_postgres');
    expect(block).toContain('fault rule on api: connect=deny(ECONNREFUSED) → filter:[connect] label="redis down"');
    expect(block).toMatch(/api {2}connect {2}deny\(connection refused\) {2}\[redis down\]/);
  });

  it('peer= refuses Redis itself; without it, "Redis down" only ever failed the DNS lookups of "redis"', () => {
    const connects = (name: string) =>
      trace.tests.find((t) => t.name === name)!.events.filter((e) => e.type === 'syscall' && e.syscall === 'connect' && e.service === 'api');
    // redis_down denies every connect of the api: the first ones are its lookups at Docker's
    // resolver, so the api never even reaches Redis's port.
    const down = connects('test_redis_unreachable_degrades_to_postgres');
    expect(down.length).toBeGreaterThan(0);
    expect(down.every((e) => e.decision === 'deny' && e.peer === '127.0.0.11:53')).toBe(true);
    // peer="*:6379": the lookups go through, the connects to Redis are refused.
    const refused = connects('test_redis_refused_degrades_to_postgres');
    expect(refused.some((e) => e.decision === 'allow' && e.peer === '127.0.0.11:53')).toBe(true);
    const denied = refused.filter((e) => e.decision === 'deny');
    expect(denied.length).toBeGreaterThan(0);
    expect(denied.every((e) => e.peer?.endsWith(':6379'))).toBe(true);
    const block = section(full.stdout, '--- PASS: test_redis_refused_degrades_to_postgres');
    expect(block).toContain('fault rule on api: connect=deny(ECONNREFUSED, peer="*:6379") → filter:[connect] label="redis refuses"');
  });

  it('filters per test: no container in happy_path, only PostgreSQL in the PostgreSQL tests, only the api for Redis down', () => {
    const none = { postgres: 'no filter', redis: 'no filter', api: 'no filter' };
    const pgOnly = { postgres: 'filter:[write,writev,pwrite64,pwritev,pwritev2]', redis: 'no filter', api: 'no filter' };
    expect(filtersOf(trace, 'test_happy_path')).toEqual(none);
    expect(filtersOf(trace, 'test_write_and_read')).toEqual(none);
    expect(filtersOf(trace, 'test_postgres_disk_full')).toEqual(pgOnly);
    // A def test's fault() is seen in its syntax: PostgreSQL starts with just that filter.
    expect(filtersOf(trace, 'test_postgres_write_enospc')).toEqual(pgOnly);
    expect(filtersOf(trace, 'test_postgres_write_failure')).toEqual(pgOnly);
    expect(filtersOf(trace, 'test_redis_unreachable_degrades_to_postgres')).toEqual({ postgres: 'no filter', redis: 'no filter', api: 'filter:[connect]' });
    expect(filtersOf(trace, 'test_postgres_and_api_faults')).toEqual({ ...pgOnly, api: 'filter:[connect]' });
    // The denied pwrite64 events carry PostgreSQL's file paths inside the container.
    const disk = trace.tests.find((t) => t.name === 'test_postgres_disk_full')!;
    const denied = disk.events.filter((e) => e.type === 'syscall' && e.syscall === 'pwrite64' && e.decision === 'deny');
    expect(denied.length).toBeGreaterThan(0);
    for (const e of denied) expect(e.path).toMatch(/^\/var\/lib\/postgresql\/data\//);
  });

  it('runs the reuse variant: PostgreSQL (filtered: two seccomp filters, Docker\'s and ours) and Redis (Docker\'s only) stay up across tests', async () => {
    const variant = writeReuseVariant(join(dirname(FAULTBOX), '..', SPEC));
    try {
      const { child, done } = startFaultbox(['test', variant, '--output', join(traceDir, 'reuse.json')]);
      const owned = await waitForContainers(docker, child, 3);
      const byService = new Map<string, number>();
      for (const c of await docker.listContainers({ filters: { label: [`faultbox.pid=${child.pid}`] } })) {
        byService.set(c.Labels['faultbox.service']!, (await docker.getContainer(c.Id).inspect()).State.Pid);
      }
      expect(owned.containers.length).toBeGreaterThanOrEqual(3);
      expect(seccompFilters(byService.get('postgres')!)).toBe(2);
      expect(seccompFilters(byService.get('redis')!)).toBe(1);
      const run = await done;
      expect(run.code, explain(run)).toBe(0);
      expect(run.stdout).toMatch(/^11 passed, 0 failed$/m);
      const reuse = JSON.parse(readFileSync(join(traceDir, 'reuse.json'), 'utf8')) as { tests: TraceTest[] };
      // Started once (plus a replacement when a test's faults left PostgreSQL down), the api per test.
      const starts = (svc: string): number => reuse.tests.flatMap((t) => t.events).filter((e) => e.type === 'lifecycle' && e.phase === 'started' && e.service === svc).length;
      expect(starts('redis')).toBe(1);
      expect(starts('postgres')).toBeLessThanOrEqual(3);
      expect(starts('api')).toBe(ALL_TESTS.length);
      expect(await ownedBy(docker, child.pid!)).toEqual({ containers: [], volumes: [], networks: [] });
    } finally {
      rmSync(dirname(variant), { recursive: true, force: true });
    }
  });

  it('after a SIGKILL of the run and its death watch, the next run sweeps its containers, volumes and network; nothing of ours is left', async () => {
    const tempBefore = new Set(leftoverTempDirs());
    const { child, done } = startFaultbox(['test', SPEC]);
    await waitForContainers(docker, child, 2, 1);
    // The watchdog would remove everything within seconds (test/death-watch.test.ts); killed with
    // its run, it leaves the next run's start-up sweep to do it.
    const watchdogs = deathWatchesOf(child.pid!);
    expect(watchdogs.length).toBe(1);
    for (const pid of [...watchdogs, child.pid!]) process.kill(pid, 'SIGKILL');
    await done;
    const left = await ownedBy(docker, child.pid!);
    // The killed run really left things behind: containers, PostgreSQL's anonymous data volume.
    expect(left.containers.length).toBeGreaterThanOrEqual(2);
    expect(left.volumes.length).toBeGreaterThanOrEqual(1);
    expect(left.networks.length).toBe(1); // its own network, left behind with it

    const again = startFaultbox(['test', SPEC, '--test', 'happy_path']);
    const rerun = await again.done;
    expect(rerun.code, explain(rerun)).toBe(0);
    const sweepLine = /faultbox: removed leftovers of crashed runs: \d+ container\(s\) \((.*)\), (\d+) network\(s\)/.exec(rerun.stdout);
    expect(sweepLine, explain(rerun)).not.toBeNull();
    for (const name of left.containers) expect(sweepLine![1]!.split(', ')).toContain(name.replace(/^\//, ''));
    expect(Number(sweepLine![2])).toBeGreaterThanOrEqual(1);

    // `docker ps -a`, `docker volume ls`, `docker network ls`: nothing of either run.
    for (const pid of [child.pid!, again.child.pid!]) expect(await ownedBy(docker, pid), `run ${pid}`).toEqual({ containers: [], volumes: [], networks: [] });
    for (const v of left.volumes) expect(await volumeExists(docker, v), `volume ${v}`).toBe(false);
    const volumeList = (await docker.listVolumes()).Volumes?.map((v) => v.Name) ?? [];
    for (const v of left.volumes) expect(volumeList).not.toContain(v);
    await expectNoNetworkOf(docker, [child.pid!, again.child.pid!]);
    expect(leftoverTempDirs().filter((d) => !tempBefore.has(d))).toEqual([]);
  });

  it('Ctrl-C (SIGINT) while containers are up stops the run (exit 130) and leaves nothing behind', async () => {
    const tempBefore = new Set(leftoverTempDirs());
    const { child, done } = startFaultbox(['test', SPEC]);
    const up = await waitForContainers(docker, child, 2, 1);
    expect(up.volumes.length).toBeGreaterThanOrEqual(1);
    child.kill('SIGINT');
    const run = await done;
    expect(run.code, explain(run)).toBe(130);
    expect(run.stderr).toContain('SIGINT received, stopping services');
    // Nothing ran after the signal, and nothing failed because of it.
    expect(run.stdout).not.toMatch(/--- FAIL/);
    expect(await ownedBy(docker, child.pid!)).toEqual({ containers: [], volumes: [], networks: [] });
    for (const v of up.volumes) expect(await volumeExists(docker, v), `volume ${v}`).toBe(false);
    await expectNoNetworkOf(docker, [child.pid!]);
    expect(leftoverTempDirs().filter((d) => !tempBefore.has(d))).toEqual([]);
    expect(run.stderr).not.toMatch(/cleanup of .* failed/);
  });
});
