// The explorer's runner on real services (real seccomp): what a case sees must match what the
// census recorded. A service that does one-time work on its first request is recorded warm, is
// warmed again after a restart, and is warmed before a replay; file sites under its scratch dir
// carry a glob that still reaches the file after a restart; and a service that dies while
// answering is reported as a crash, not as the failed request its death caused.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SyscallEvent } from '../src/spec/events.js';
import { makeSandbox, markedProcesses, type Sandbox } from './fixtures/planted-tiny/harness.js';

// The built runtime (global setup builds dist/): its spec worker runs as a compiled worker thread.
// dist/ has no type declarations, so each module is typed as its source.
const dist = (path: string): Promise<unknown> => import(/* @vite-ignore */ new URL(`../dist/${path}`, import.meta.url).href);
const { RuntimeScenarioRunner } = (await dist('explorer/runner/runtime-runner.js')) as typeof import('../src/explorer/runner/runtime-runner.js');
const { buildScenarioCensus } = (await dist('explorer/census/census.js')) as typeof import('../src/explorer/census/census.js');
const { replayEntry } = (await dist('explorer/explore.js')) as typeof import('../src/explorer/explore.js');
const { faultSetToRules } = (await dist('explorer/faults.js')) as typeof import('../src/explorer/faults.js');
const { faultFromJson } = (await dist('explorer/corpus/fault-json.js')) as typeof import('../src/explorer/corpus/fault-json.js');
type RuntimeScenarioRunner = InstanceType<typeof RuntimeScenarioRunner>;

// PUT /x writes data.dat and answers 200, or 500 when that write fails. The very first request
// of a process also writes init.dat (lazy one-time set-up; a failure there is retried later).
// GET /exit makes the process die before it answers.
const SERVICE = `
import { createServer } from 'node:http';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
const dir = process.env.FAULTBOX_SERVICE_DIR;
let initialised = false;
createServer((req, res) => {
  if (req.url === '/health') return res.end('ok');
  if (req.url === '/exit') {
    console.error('lazy: asked to leave, exiting with code 3');
    return process.exit(3);
  }
  if (!initialised) {
    try { writeFileSync(join(dir, 'init.dat'), 'ready'); initialised = true; } catch {}
  }
  try {
    writeFileSync(join(dir, 'data.dat'), 'value');
    res.end('stored');
  } catch (err) {
    res.statusCode = 500;
    res.end(String(err.code));
  }
}).listen(Number(process.argv[2]), '127.0.0.1');
`;

// A service with a client pool's habits: after a failed write its next request fails on the
// "stale connection" (503), and the request after that reconnects first (an extra write to
// connect.dat) before doing its work. front depends on it and does nothing else.
const POOL_SERVICE = `
import { createServer } from 'node:http';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
const dir = process.env.FAULTBOX_SERVICE_DIR;
let state = 'ok';
createServer((req, res) => {
  if (req.url === '/health') return res.end('ok');
  if (state === 'stale') { state = 'reconnect'; res.statusCode = 503; return res.end('stale connection'); }
  if (state === 'reconnect') { writeFileSync(join(dir, 'connect.dat'), 'hello'); state = 'ok'; }
  try {
    writeFileSync(join(dir, 'data.dat'), 'value');
    res.end('stored');
  } catch (err) {
    state = 'stale';
    res.statusCode = 500;
    res.end(String(err.code));
  }
}).listen(Number(process.argv[2]), '127.0.0.1');
`;

// front: GET /both opens a TCP connection to lazy and one to pool (two peers), 200 if both connect.
const FRONT_SERVICE = `
import { createServer } from 'node:http';
import { connect } from 'node:net';
const reach = (port) => new Promise((resolve) => {
  const s = connect(port, '127.0.0.1', () => { s.destroy(); resolve(true); });
  s.on('error', () => resolve(false));
});
createServer(async (req, res) => {
  if (req.url !== '/both') return res.end('ok');
  const ok = (await reach(17601)) && (await reach(17602));
  res.statusCode = ok ? 200 : 503;
  res.end(ok ? 'both' : 'unreachable');
}).listen(Number(process.argv[2]), '127.0.0.1');
`;

const SPEC = `
lazy = service("lazy", "node",
    interface("main", "http", 17601),
    args = ["./lazy.mjs", "17601"],
    healthcheck = http("localhost:17601/health", timeout = "10s"),
)

def put_once():
    resp = lazy.put(path = "/x", body = "v")
    assert_eq(resp.status, 200, "the value must be stored")

scenario(put_once)

def dies_answering():
    resp = lazy.get(path = "/exit")
    assert_eq(resp.status, 200, "the service must answer")

scenario(dies_answering)

pool = service("pool", "node",
    interface("main", "http", 17602),
    args = ["./pool.mjs", "17602"],
    healthcheck = http("localhost:17602/health", timeout = "10s"),
)

front = service("front", "node",
    interface("main", "http", 17603),
    args = ["./front.mjs", "17603"],
    depends_on = [pool],
    healthcheck = http("localhost:17603/health", timeout = "10s"),
)

def pooled_put():
    resp = pool.put(path = "/x", body = "v")
    assert_eq(resp.status, 200, "the value must be stored")

scenario(pooled_put)

def reaches_both():
    resp = front.get(path = "/both")
    assert_eq(resp.status, 200, "front reaches lazy and pool")

scenario(reaches_both)
`;

const FAMILIES = ['write'];
const signal = new AbortController().signal;
const dataWrite = faultFromJson({ service: 'lazy', syscall: 'write', action: 'deny', errno: 'EIO', nth: 1 });

/** Paths of the calls a case denied. */
function deniedPaths(runner: RuntimeScenarioRunner): string[] {
  return runner.session
    .events()
    .filter((e): e is SyscallEvent => e.type === 'syscall' && e.decision !== 'allow' && e.decision !== 'trace')
    .map((e) => e.path ?? '');
}

/** A service's pid (lazy, pool, front), found by the sandbox marker in its environment. */
function lazyPid(sandbox: Sandbox, script = 'lazy.mjs'): number {
  const procs = markedProcesses(sandbox).filter((p) => p.includes(script));
  expect(procs).toHaveLength(1);
  return Number(procs[0]!.split(' ')[0]);
}

describe('the explorer runner on a real service with one-time first-request work', () => {
  let sandbox: Sandbox;
  let spec: string;
  const saved = { tmp: process.env.TMPDIR, mark: process.env.FAULTBOX_TEST_MARK };

  beforeAll(() => {
    sandbox = makeSandbox('runner-real');
    const dir = join(sandbox.root, 'spec');
    mkdirSync(dir);
    writeFileSync(join(dir, 'lazy.mjs'), SERVICE);
    writeFileSync(join(dir, 'pool.mjs'), POOL_SERVICE);
    writeFileSync(join(dir, 'front.mjs'), FRONT_SERVICE);
    spec = join(dir, 'faultbox.star');
    writeFileSync(spec, SPEC);
    // In-process runners take TMPDIR and hand the marker to the services they start.
    process.env.TMPDIR = sandbox.tmp;
    process.env.FAULTBOX_TEST_MARK = sandbox.mark;
  });
  afterAll(() => {
    process.env.TMPDIR = saved.tmp;
    if (saved.mark === undefined) delete process.env.FAULTBOX_TEST_MARK;
    else process.env.FAULTBOX_TEST_MARK = saved.mark;
    sandbox?.dispose();
  });

  it('records the census warm, with a run-independent glob, and keeps cases warm across a restart', async () => {
    const runner = await RuntimeScenarioRunner.open(spec, () => ({ families: FAMILIES, undoLog: false }), 1, () => {});
    try {
      const census = buildScenarioCensus(await runner.record('put_once', FAMILIES, signal), FAMILIES);
      const write = census.services.lazy!.write!;
      // Warm: data.dat and the reply; the first request's init.dat is not part of it.
      expect(write.count).toBe(2);
      expect(write.sites.map((s) => s.key)).toEqual([`file:${sandbox.tmp}/faultbox-run-*/lazy-*/data.dat`, 'socket']);

      let v = await runner.runCase('put_once', faultSetToRules([dataWrite]), { timeoutMs: 10_000, seed: 1 }, signal);
      expect(v.kind).toBe('fail');
      expect(deniedPaths(runner)).toEqual([expect.stringMatching(/\/lazy-\d+\/data\.dat$/)]);
      // Scratch dirs are numbered per start: the restart below gets a new one.
      const firstDir = /\/(lazy-\d+)\//.exec(deniedPaths(runner)[0]!)![1];

      // Kill it: the restart brings a cold process, which the runner warms before the next case.
      process.kill(lazyPid(sandbox), 'SIGKILL');
      const { restarted } = await runner.ensureHealthy(signal);
      expect(restarted).toEqual(['lazy']);
      v = await runner.runCase('put_once', faultSetToRules([dataWrite]), { timeoutMs: 10_000, seed: 1 }, signal);
      expect(v.kind).toBe('fail');
      expect(deniedPaths(runner)).toEqual([expect.stringMatching(/\/lazy-\d+\/data\.dat$/)]);
      expect(deniedPaths(runner)[0]).not.toContain(`/${firstDir}/`);

      // The recorded glob reaches the new instance's file too.
      const site = write.sites[0]!;
      v = await runner.runCase('put_once', faultSetToRules([{ ...dataWrite, pathGlob: site.glob }]), { timeoutMs: 10_000, seed: 1 }, signal);
      expect(v.kind).toBe('fail');
      expect(v.fired).toEqual({ f1: 1 });
    } finally {
      await runner.close();
    }
    // Run dirs go with the process-wide cleanup at exit (the CLI tests check that); services must
    // be gone as soon as the runner is closed.
    expect(markedProcesses(sandbox)).toEqual([]);
  }, 120_000);

  it('replays a saved case on warmed services, so nth reaches the call it reached when found', async () => {
    const runner = await RuntimeScenarioRunner.open(spec, () => ({ families: FAMILIES, undoLog: false }), 1, () => {});
    try {
      const out = await replayEntry(runner, {
        id: 'a1b2c3d4e5f6',
        seed: 1,
        scenario: 'put_once',
        faults: [dataWrite],
        failure: { kind: 'fail', reason: 'assertion', message: 'assert_eq: the value must be stored: 500 != 200' },
        reproduced: '5/5',
        census_hash: 'x',
        faultbox_version: '0.1.0',
        created: '2026-01-01T00:00:00.000Z',
      });
      expect(out.reproduced).toBe(true);
      expect(deniedPaths(runner)).toEqual([expect.stringMatching(/\/data\.dat$/)]);
    } finally {
      await runner.close();
    }
  }, 120_000);

  it('reports a service that dies while answering as a crash, every time', async () => {
    const runner = await RuntimeScenarioRunner.open(spec, () => ({ families: FAMILIES, undoLog: false }), 1, () => {});
    try {
      const kinds: string[] = [];
      const lastWords: (string | undefined)[] = [];
      for (let i = 0; i < 5; i++) {
        const v = await runner.runCase('dies_answering', [], { timeoutMs: 10_000, seed: 1 }, signal);
        kinds.push(v.kind === 'crash' ? `crash ${v.service} ${v.exitCode}` : `${v.kind}`);
        // Its last words come with the verdict.
        if (v.kind === 'crash') lastWords.push(v.serviceLog?.lines.at(-1));
        await runner.ensureHealthy(signal);
      }
      expect(kinds).toEqual(Array(5).fill('crash lazy 3'));
      expect(lastWords).toEqual(Array(5).fill('lazy: asked to leave, exiting with code 3'));
    } finally {
      await runner.close();
    }
    // Run dirs go with the process-wide cleanup at exit (the CLI tests check that); services must
    // be gone as soon as the runner is closed.
    expect(markedProcesses(sandbox)).toEqual([]);
  }, 120_000);

  it('warms a disturbed service until a fault-free run passes, so the next case meets the census state', async () => {
    const runner = await RuntimeScenarioRunner.open(spec, () => ({ families: FAMILIES, undoLog: false }), 1, () => {});
    try {
      const census = buildScenarioCensus(await runner.record('pooled_put', FAMILIES, signal), FAMILIES);
      expect(census.services.pool!.write!.count).toBe(2); // data.dat and the reply
      const poolWrite = faultFromJson({ service: 'pool', syscall: 'write', action: 'deny', errno: 'EIO', nth: 1 });
      for (let i = 0; i < 3; i++) {
        // Each case disturbs the pool; the warm-ups between cases (a 503, then a reconnect) bring
        // it back, so nth=1 is the data write every time, not connect.dat nor a 503.
        const v = await runner.runCase('pooled_put', faultSetToRules([poolWrite]), { timeoutMs: 10_000, seed: 1 }, signal);
        expect(v.kind).toBe('fail');
        expect(deniedPaths(runner)).toEqual([expect.stringMatching(/\/pool-\d+\/data\.dat$/)]);
        expect((await runner.ensureHealthy(signal)).restarted).toEqual([]);
      }
    } finally {
      await runner.close();
    }
  }, 120_000);

  it('restarts the services that depend on a restarted one', async () => {
    const runner = await RuntimeScenarioRunner.open(spec, () => ({ families: FAMILIES, undoLog: false }), 1, () => {});
    try {
      await runner.record('pooled_put', FAMILIES, signal);
      const frontBefore = lazyPid(sandbox, 'front.mjs');
      process.kill(lazyPid(sandbox, 'pool.mjs'), 'SIGKILL');
      const { restarted } = await runner.ensureHealthy(signal);
      expect(restarted).toEqual(['pool', 'front']);
      expect(lazyPid(sandbox, 'front.mjs')).not.toBe(frontBefore);
      const v = await runner.runCase('pooled_put', [], { timeoutMs: 10_000, seed: 1 }, signal);
      expect(v.kind).toBe('pass');
    } finally {
      await runner.close();
    }
    expect(markedProcesses(sandbox)).toEqual([]);
  }, 120_000);

  it('records each peer a service connects to as its own site, and a peer-aimed fault reaches only that peer', async () => {
    const runner = await RuntimeScenarioRunner.open(spec, () => ({ families: ['connect'], undoLog: false }), 1, () => {});
    try {
      const census = buildScenarioCensus(await runner.record('reaches_both', ['connect'], signal), ['connect']);
      const connect = census.services.front!.connect!;
      expect(connect.sites.map((s) => [s.key, s.peerGlob, s.occurrences])).toEqual([
        ['peer:*:17601', '*:17601', [1]],
        ['peer:*:17602', '*:17602', [2]],
      ]);
      const toPool = faultFromJson({ service: 'front', syscall: 'connect', action: 'deny', errno: 'ECONNREFUSED', nth: 1, peer: '*:17602' });
      const v = await runner.runCase('reaches_both', faultSetToRules([toPool]), { timeoutMs: 10_000, seed: 1 }, signal);
      expect(v.kind).toBe('fail');
      const denied = runner.session.events().filter((e): e is SyscallEvent => e.type === 'syscall' && e.decision === 'deny');
      expect(denied.map((e) => e.peer)).toEqual(['127.0.0.1:17602']);
    } finally {
      await runner.close();
    }
  }, 120_000);
});
