// faultbox SIGKILLed at the worst moments (start-up, mid-test, an explore campaign's shrinking),
// in binary and container mode: within 3 s its death watch has removed everything of that run —
// processes including PostgreSQL's backends (found by a marker in their environment), listening
// ports, containers, their anonymous volumes, networks, temp dirs, the run record and the watchdog
// itself — while a second run going on at the same time is left alone and still passes.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunRecord } from '../src/runtime/launch/cleanup-record.js';
import { FAULTBOX, REPO } from './cli-run.js';
import { POSTGRES_IMAGE, REDIS_IMAGE, prepareContainerEnvironment, removeTempDirs, tempDir } from './container-env.js';
import { processesWithEnvironment } from './leftovers.js';

interface ProcRef {
  readonly pid: number;
  readonly start: string;
  readonly cmd: string;
}

function procRef(pid: number): ProcRef | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (rest[0] === 'Z' || rest[0] === 'X') return undefined;
    return { pid, start: rest[19]!, cmd: readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim() };
  } catch {
    return undefined;
  }
}

function parentOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
}

/**
 * The run's processes: those holding its marker in their environment and all their descendants.
 * (PostgreSQL and Redis overwrite their environment with their process titles, so a backend is
 * found through its parent.) `roots` adds more, e.g. containers' init processes.
 */
function runProcesses(marker: string, roots: readonly number[] = []): ProcRef[] {
  const seeds = new Set([...processesWithEnvironment(marker).map((l) => Number(l.split(' ')[0])), ...roots]);
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
    try {
      const pid = Number(name);
      const ppid = parentOf(pid);
      children.set(ppid, [...(children.get(ppid) ?? []), pid]);
    } catch {
      // gone
    }
  }
  const found = new Map<number, ProcRef>();
  const queue = [...seeds];
  for (let pid = queue.shift(); pid !== undefined; pid = queue.shift()) {
    const ref = procRef(pid);
    if (!ref || found.has(pid)) continue;
    found.set(pid, ref);
    queue.push(...(children.get(pid) ?? []));
  }
  return [...found.values()];
}

const stillRunning = (refs: readonly ProcRef[]): ProcRef[] => refs.filter((r) => procRef(r.pid)?.start === r.start);

const RUNS_DIR = '/tmp/faultbox-runs';
const LIMIT_MS = 3000;
const POSTGRES_SH = join(REPO, 'examples', 'binary-demo', 'bin', 'postgres.sh');

interface Run {
  readonly child: ChildProcess;
  readonly marker: string;
  /** Host pids of the run's containers' init processes (container mode). */
  roots?: () => Promise<number[]>;
  readonly ports: readonly number[];
  output(): string;
  exited: Promise<number | null>;
}

function startRun(args: readonly string[], marker: string, ports: readonly number[], cwd = REPO): Run {
  const child = spawn('node', [FAULTBOX, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, FORCE_COLOR: '0' } });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, marker, ports, output: () => out, exited };
}

async function waitFor(what: string, run: Run, cond: () => boolean | Promise<boolean>, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  void run.exited.then(() => (exited = true));
  while (!(await cond())) {
    if (exited) throw new Error(`the run exited before ${what}:\n${run.output()}`);
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}:\n${run.output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function recordOf(pid: number): RunRecord | undefined {
  if (!existsSync(RUNS_DIR)) return undefined;
  for (const f of readdirSync(RUNS_DIR).filter((n) => n.endsWith('.json'))) {
    try {
      const rec = JSON.parse(readFileSync(join(RUNS_DIR, f), 'utf8')) as RunRecord;
      if (rec.pid === pid) return rec;
    } catch {
      // being rewritten
    }
  }
  return undefined;
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createConnection({ host: '127.0.0.1', port });
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !/\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

interface Leftovers {
  processes: number;
  ports: number;
  tempDirs: number;
  record: number;
  watchdog: number;
  containers: number;
  volumes: number;
  networks: number;
}

const total = (l: Leftovers): number => Object.values(l).reduce((a, b) => a + b, 0);

/** What of run `pid` (its record and process tree taken at the kill) is still there. */
async function leftoversOf(run: Run, pid: number, rec: RunRecord, tree: readonly ProcRef[], volumes: readonly string[], docker?: Docker): Promise<Leftovers> {
  const open = await Promise.all(run.ports.map(portOpen));
  const l: Leftovers = {
    processes: new Set([...stillRunning(tree).map((r) => r.pid), ...runProcesses(run.marker).map((r) => r.pid)]).size,
    ports: open.filter(Boolean).length,
    tempDirs: rec.tempDirs.filter((d) => existsSync(d)).length,
    record: recordOf(pid) ? 1 : 0,
    watchdog: rec.watchdog && alive(rec.watchdog.pid) ? 1 : 0,
    containers: 0,
    volumes: 0,
    networks: 0,
  };
  if (docker) {
    l.containers = (await docker.listContainers({ all: true, filters: { label: [`faultbox.run=${rec.runId}`] } })).length;
    const existing = new Set(((await docker.listVolumes()).Volumes ?? []).map((v) => v.Name));
    l.volumes = volumes.filter((v) => existing.has(v)).length;
    // A network this run created stays only while another run's containers use it.
    for (const n of await docker.listNetworks({ filters: { label: [`faultbox.run=${rec.runId}`] } })) {
      const info = await docker.getNetwork(n.Id).inspect();
      if (Object.keys(info.Containers ?? {}).length === 0) l.networks += 1;
    }
  }
  return l;
}

/** SIGKILLs the run and polls until nothing of it is left or the limit passed. */
async function killAndMeasure(run: Run, docker?: Docker): Promise<{ before: Leftovers; after: Leftovers; ms: number }> {
  const pid = run.child.pid!;
  const rec = recordOf(pid);
  if (!rec) throw new Error(`no run record for faultbox pid ${pid}:\n${run.output()}`);
  expect(rec.watchdog, 'the run has a death watch').toBeDefined();
  const volumes: string[] = [];
  if (docker) {
    for (const c of await docker.listContainers({ all: true, filters: { label: [`faultbox.run=${rec.runId}`] } })) {
      for (const m of c.Mounts ?? []) if (m.Type === 'volume' && m.Name) volumes.push(m.Name);
    }
  }
  const tree = runProcesses(run.marker, (await run.roots?.()) ?? []);
  const before = await leftoversOf(run, pid, rec, tree, volumes, docker);
  const t0 = Date.now();
  run.child.kill('SIGKILL');
  await run.exited;
  let after = await leftoversOf(run, pid, rec, tree, volumes, docker);
  while (total(after) > 0 && Date.now() - t0 < LIMIT_MS) {
    await new Promise((r) => setTimeout(r, 100));
    after = await leftoversOf(run, pid, rec, tree, volumes, docker);
  }
  const ms = Date.now() - t0;
  process.stdout.write(`[death-watch] ${JSON.stringify({ before, after, ms })}\n`);
  return { before, after, ms };
}

const NONE: Leftovers = { processes: 0, ports: 0, tempDirs: 0, record: 0, watchdog: 0, containers: 0, volumes: 0, networks: 0 };

function binarySpec(dir: string, marker: string, port: number, sleepS: number): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'faultbox.star');
  writeFileSync(
    file,
    `postgres = service("postgres", "${POSTGRES_SH}",
    interface("main", "postgres", ${port}),
    args = ["${port}"],
    env = {"POSTGRES_USER": "postgres", "POSTGRES_DB": "postgres", "DEATH_WATCH_MARKER": "${marker}"},
    healthcheck = tcp("localhost:${port}", timeout = "30s"),
)
redis = service("redis", "redis-server",
    interface("main", "redis", ${port + 1}),
    args = ["--port", "${port + 1}", "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
    env = {"DEATH_WATCH_MARKER": "${marker}"},
    healthcheck = tcp("localhost:${port + 1}", timeout = "10s"),
)
def test_long_query():
    resp = postgres.main.query(sql = "select pg_sleep(${sleepS})")
    assert_true(resp.ok, "the query ran")
`,
  );
  return file;
}

function containerSpec(dir: string, marker: string, sleepS: number): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'faultbox.star');
  writeFileSync(
    file,
    `postgres = service("postgres",
    interface("main", "postgres", 5432),
    image = "${POSTGRES_IMAGE}",
    env = {"POSTGRES_PASSWORD": "test", "POSTGRES_DB": "testdb", "DEATH_WATCH_MARKER": "${marker}"},
    healthcheck = tcp("localhost:5432", timeout = "60s"),
)
redis = service("redis",
    interface("main", "redis", 6379),
    image = "${REDIS_IMAGE}",
    env = {"DEATH_WATCH_MARKER": "${marker}"},
    healthcheck = tcp("localhost:6379", timeout = "30s"),
)
def test_long_query():
    resp = postgres.main.query(sql = "select pg_sleep(${sleepS})")
    assert_true(resp.ok, "the query ran")
`,
  );
  return file;
}

/** A PostgreSQL backend of the run is busy in the test's query (a process outside the group). */
const queryRunning = (run: Run) => async (): Promise<boolean> =>
  runProcesses(run.marker, (await run.roots?.()) ?? []).some((p) => /postgres: .*SELECT/.test(p.cmd));

/** The host pids of the init processes of a faultbox process's containers. */
const containerRoots = (docker: Docker, run: Run) => async (): Promise<number[]> => {
  const found = await docker.listContainers({ filters: { label: [`faultbox.pid=${run.child.pid}`] } });
  const infos = await Promise.all(found.map((c) => docker.getContainer(c.Id).inspect().catch(() => undefined)));
  return infos.flatMap((i) => (i?.State?.Pid ? [i.State.Pid] : []));
};

afterAll(() => removeTempDirs());

describe('death watch, binary mode (real PostgreSQL and Redis)', () => {
  it('SIGKILL during start-up: nothing of the run is left within 3 s', async () => {
    const marker = `dw-startup-${process.pid}`;
    const run = startRun(['test', binarySpec(tempDir('faultbox-dw-spec-'), marker, 19160, 30)], marker, [19160, 19161]);
    await waitFor('PostgreSQL starting', run, () => processesWithEnvironment(marker).some((p) => p.includes('/bin/postgres')));
    const { before, after, ms } = await killAndMeasure(run);
    expect(before.processes).toBeGreaterThan(0);
    expect(after).toEqual(NONE);
    expect(ms).toBeLessThan(LIMIT_MS);
  }, 120_000);

  it('SIGKILL mid-test: backends, ports, run dir and watchdog are gone within 3 s; a concurrent run is untouched and passes', async () => {
    const other = `dw-other-${process.pid}`;
    const second = startRun(['test', binarySpec(tempDir('faultbox-dw-spec-'), other, 19170, 6)], other, [19170, 19171]);
    const marker = `dw-midtest-${process.pid}`;
    const run = startRun(['test', binarySpec(tempDir('faultbox-dw-spec-'), marker, 19162, 25)], marker, [19162, 19163]);
    await waitFor('the test query running', run, queryRunning(run));
    await waitFor("the second run's query running", second, queryRunning(second));
    const othersBefore = runProcesses(other);
    const { before, after, ms } = await killAndMeasure(run);
    expect(before.processes).toBeGreaterThan(5); // postmaster, its workers, the busy backend, redis
    expect(before.ports).toBe(2);
    expect(after).toEqual(NONE);
    expect(ms).toBeLessThan(LIMIT_MS);
    expect(stillRunning(othersBefore)).toEqual(othersBefore);
    expect(await second.exited, second.output()).toBe(0);
    expect(second.output()).toMatch(/1 passed/);
  }, 180_000);

  it("SIGKILL while an explore campaign shrinks: the campaign's services are gone within 3 s", async () => {
    const marker = `dw-explore-${process.pid}`;
    const dir = tempDir('faultbox-dw-explore-');
    writeFileSync(
      join(dir, 'faultbox.star'),
      `ledger = service("ledger", "python3",
    interface("public", "http", 19180),
    args = ["-u", "${join(REPO, 'test', 'fixtures', 'planted-tiny', 'ledger.py')}"],
    env = {"PORT": "19180", "DEATH_WATCH_MARKER": "${marker}"},
    healthcheck = http("localhost:19180/health", timeout = "15s"),
)
def acked_put_is_readable():
    ledger.get(path = "/reset")
    put = ledger.post(path = "/put?key=order-1&value=paid")
    if put.status != 200:
        return put
    back = ledger.get(path = "/get?key=order-1")
    if back.status == 0:
        return back
    assert_eq(back.status, 200, "an acknowledged put must be readable")
    assert_eq(back.data["value"], "paid")
scenario(acked_put_is_readable)
explore(families = ["write"], errnos = {"write": ["EIO"]}, max_delay = "100ms", max_faults = 2, timeout = "5s")
`,
    );
    const run = startRun(['explore', 'faultbox.star', '--seed', '1', '--budget', '3m'], marker, [19180], dir);
    await waitFor('the shrinking phase', run, () => /phase: shrinking/.test(run.output()) && processesWithEnvironment(marker).length > 0, 170_000);
    const { before, after, ms } = await killAndMeasure(run);
    expect(before.processes).toBeGreaterThan(0);
    expect(after).toEqual(NONE);
    expect(ms).toBeLessThan(LIMIT_MS);
  }, 240_000);
});

describe('death watch, container mode (real Docker)', () => {
  let docker: Docker;
  beforeAll(() => {
    prepareContainerEnvironment();
    docker = new Docker();
  });

  it('SIGKILL during start-up: the first container and the network go within 3 s', async () => {
    const marker = `dw-cstartup-${process.pid}`;
    const run = startRun(['test', containerSpec(tempDir('faultbox-dw-spec-'), marker, 25)], marker, []);
    run.roots = containerRoots(docker, run);
    const pid = run.child.pid!;
    await waitFor('a container of the run', run, async () => (await docker.listContainers({ all: true, filters: { label: [`faultbox.pid=${pid}`] } })).length > 0);
    const { before, after, ms } = await killAndMeasure(run, docker);
    expect(before.containers).toBeGreaterThan(0);
    expect(after).toEqual(NONE);
    expect(ms).toBeLessThan(LIMIT_MS);
  }, 180_000);

  it('SIGKILL mid-test: containers, their anonymous volumes and processes go within 3 s; a concurrent run is untouched and passes', async () => {
    const other = `dw-cother-${process.pid}`;
    const second = startRun(['test', containerSpec(tempDir('faultbox-dw-spec-'), other, 8)], other, []);
    second.roots = containerRoots(docker, second);
    const marker = `dw-cmidtest-${process.pid}`;
    const run = startRun(['test', containerSpec(tempDir('faultbox-dw-spec-'), marker, 25)], marker, []);
    run.roots = containerRoots(docker, run);
    await waitFor('the test query running', run, queryRunning(run), 150_000);
    await waitFor("the second run's query running", second, queryRunning(second), 150_000);
    const secondPid = second.child.pid!;
    const othersBefore = (await docker.listContainers({ filters: { label: [`faultbox.pid=${secondPid}`] } })).length;
    const { before, after, ms } = await killAndMeasure(run, docker);
    expect(before.containers).toBe(2);
    expect(before.volumes).toBeGreaterThan(0); // the PostgreSQL image declares a VOLUME
    expect(after).toEqual(NONE);
    expect(ms).toBeLessThan(LIMIT_MS);
    expect((await docker.listContainers({ filters: { label: [`faultbox.pid=${secondPid}`] } })).length).toBe(othersBefore);
    expect(await second.exited, second.output()).toBe(0);
    expect(second.output()).toMatch(/1 passed/);
  }, 300_000);
});
