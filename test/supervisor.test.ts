// End-to-end: a real C target launched through the real shim, supervised by a real Supervisor.
// The target reports what its syscalls returned (through writev, which these tests never trap).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { SyscallEvent } from '../src/spec/events.js';
import type { FaultRule } from '../src/spec/model.js';
import type { SyscallName } from '../src/spec/syscall-families.js';
import { InfraError } from '../src/errors.js';
import { syscallNumber } from '../src/runtime/kernel/syscall-table.js';
import { ListenerHandoff, shimCommand, shimPath } from '../src/runtime/supervisor/handoff.js';
import { Supervisor } from '../src/runtime/supervisor/supervisor.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
let work = '';
let target = '';
let sup: Supervisor;
const children = new Set<ChildProcess>();
const servers: Server[] = [];

beforeAll(async () => {
  // The shim under test is the one the package builds.
  execFileSync('node', [join(ROOT, 'scripts', 'build-shim.mjs')], { stdio: 'pipe' });
  work = mkdtempSync(join(tmpdir(), 'faultbox-sup-'));
  target = join(work, 'target');
  // Static, so a read rule meets the target's own reads, not the dynamic loader's reads of libc.
  execFileSync('gcc', ['-static', '-O2', '-Wall', '-pthread', '-o', target, join(ROOT, 'test', 'supervisor-target.c')]);
  sup = await Supervisor.start();
});

afterEach(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  children.clear();
});

afterAll(async () => {
  for (const s of servers) s.close();
  await sup?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

interface Run {
  readonly service: string;
  readonly pid: number;
  readonly child: ChildProcess;
  /** Resolves when the target exits. */
  readonly done: Promise<{ code: number | null; signal: string | null; lines: string[]; stderr: string }>;
}

let serial = 0;

/** Launches the target through the shim with `trapped` in the filter and `rules` armed before exec. */
async function launch(
  trapped: readonly SyscallName[], rules: (service: string) => FaultRule[], args: string[],
  opts: { seed?: number; recording?: boolean; cwd?: string; supervisor?: Supervisor } = {},
): Promise<Run> {
  const s = opts.supervisor ?? sup;
  const service = `svc${++serial}`;
  const handoff = await ListenerHandoff.open(join(work, 'sockets'));
  try {
    const argv = shimCommand(shimPath(), handoff.socketPath, trapped.map(syscallNumber), target, args);
    const child = spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'], cwd: opts.cwd });
    children.add(child);
    let out = '';
    let err = '';
    child.stdout!.on('data', (d) => { out += d; });
    child.stderr!.on('data', (d) => { err += d; });
    const done = new Promise<{ code: number | null; signal: string | null; lines: string[]; stderr: string }>((resolve) => {
      child.on('close', (code, signal) => resolve({ code, signal, lines: out.trim().split('\n'), stderr: err }));
    });
    const { listenerFd, pid } = await handoff.accept(5000, () => child.exitCode === null && child.signalCode === null);
    expect(pid).toBe(child.pid);
    await s.attach(service, listenerFd);
    await s.setRules(service, rules(service), opts.seed ?? 1);
    if (opts.recording) await s.setRecording(service, true);
    handoff.acknowledge();
    return { service, pid, child, done };
  } finally {
    handoff.close();
  }
}

let ruleSerial = 0;
function rule(service: string, syscalls: SyscallName[], action: FaultRule['action'], extra: Partial<FaultRule> = {}): FaultRule {
  return { id: `r${++ruleSerial}`, service, keyword: syscalls[0]!, syscalls, action, trigger: {}, ...extra };
}

const deny = (errno: 'EIO' | 'ENOENT' | 'ECONNREFUSED' | 'EPIPE') => ({ kind: 'deny', errno }) as const;

function writeResults(lines: string[]): string[] {
  return lines.filter((l) => /^write \d+ /.test(l)).map((l) => l.split(' ')[2]!);
}

async function eventsOf(service: string): Promise<SyscallEvent[]> {
  const all = await sup.drainEvents();
  return all.filter((e) => e.service === service);
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('deny and triggers', () => {
  it('denies write with EIO: the target sees EIO and the events say why', async () => {
    const file = join(work, 'deny.out');
    const run = await launch(['write'], (s) => [rule(s, ['write'], deny('EIO'), { id: 'deny-all', label: 'disk' })], ['writes', file, '3']);
    const { code, lines } = await run.done;
    expect(code).toBe(0);
    expect(writeResults(lines)).toEqual(['EIO', 'EIO', 'EIO']);
    const events = (await eventsOf(run.service)).filter((e) => e.path === file);
    expect(events).toHaveLength(3);
    expect(events[0]).toMatchObject({ type: 'syscall', syscall: 'write', decision: 'deny', errno: 'EIO', pid: run.pid, ruleId: 'deny-all', label: 'disk' });
    expect(events[1]!.seq).toBeGreaterThan(events[0]!.seq);
    expect(await sup.firedCounts()).toMatchObject({ 'deny-all': 3 });
  });

  it('nth=3 fails only the third write', async () => {
    const run = await launch(['write'], (s) => [rule(s, ['write'], deny('EIO'), { trigger: { nth: 3 } })], ['writes', join(work, 'nth.out'), '5']);
    expect(writeResults((await run.done).lines)).toEqual(['ok', 'ok', 'EIO', 'ok', 'ok']);
  });

  it('after=2 lets two writes through, then fails every later one', async () => {
    const run = await launch(['write'], (s) => [rule(s, ['write'], deny('EIO'), { trigger: { after: 2 } })], ['writes', join(work, 'after.out'), '5']);
    expect(writeResults((await run.done).lines)).toEqual(['ok', 'ok', 'EIO', 'EIO', 'EIO']);
  });

  it('leaves an event loop\'s eventfd alone under a path-less rule; nth counts only real I/O', async () => {
    const file = join(work, 'eventfd.out');
    const run = await launch(['write', 'read'], (s) => [
      rule(s, ['write'], deny('EIO'), { trigger: { nth: 2 } }),
      rule(s, ['read'], deny('EIO')),
    ], ['eventfd', file, '3']);
    const { code, lines } = await run.done;
    expect(code).toBe(0);
    const seen = (kind: string) => lines.filter((l) => l.startsWith(`${kind} `)).map((l) => l.split(' ').pop());
    expect(seen('eventfd write')).toEqual(['ok', 'ok', 'ok']);
    expect(seen('eventfd read')).toEqual(['ok', 'ok', 'ok']);
    // Without the exemption nth=2 would be the first file write (eventfd write 1, file write 1).
    expect(seen('file write')).toEqual(['ok', 'EIO', 'ok']);
    const denied = (await eventsOf(run.service)).filter((e) => e.decision === 'deny');
    expect(denied.map((e) => e.path)).toEqual([file]);
  });

  it('reaches the eventfd when a rule names it with a path glob', async () => {
    const run = await launch(['write'], (s) => [rule(s, ['write'], deny('EIO'), { pathGlob: 'anon_inode:*' })], ['eventfd', join(work, 'eventfd-glob.out'), '2']);
    const { lines } = await run.done;
    const seen = (kind: string) => lines.filter((l) => l.startsWith(`${kind} `)).map((l) => l.split(' ').pop());
    expect(seen('eventfd write')).toEqual(['EIO', 'EIO']);
    expect(seen('file write')).toEqual(['ok', 'ok']);
  });

  it('count=2 with after=1 fails exactly two writes after the first', async () => {
    const run = await launch(['write'], (s) => [rule(s, ['write'], deny('EIO'), { trigger: { after: 1, count: 2 } })], ['writes', join(work, 'count.out'), '5']);
    expect(writeResults((await run.done).lines)).toEqual(['ok', 'EIO', 'EIO', 'ok', 'ok']);
  });

  it('probability decisions replay exactly under the same seed', async () => {
    const runOnce = async (seed: number) => {
      const r = await launch(['write'], (s) => [rule(s, ['write'], deny('EIO'), { id: 'coin', trigger: { probability: 0.5 } })],
        ['writes', join(work, `p${seed}.out`), '40'], { seed });
      return writeResults((await r.done).lines).join(',');
    };
    const a = await runOnce(7);
    expect(a).toContain('EIO');
    expect(a).toContain('ok');
    expect(await runOnce(7)).toBe(a);
    expect(await runOnce(8)).not.toBe(a);
  });

  it('setRules replaces rules atomically and resets counters; disarm lets everything through', async () => {
    const run = await launch(['write'], () => [], ['sleep', '300']);
    await sup.setRules(run.service, [rule(run.service, ['write'], deny('EIO'), { id: 'late', trigger: { nth: 1 } })], 1);
    const { lines } = await run.done;
    expect(lines).toContain('after sleep write EIO');
    expect((await sup.firedCounts()).late).toBe(1);
    await sup.disarm(run.service);
    expect((await sup.firedCounts()).late).toBeUndefined();
  });
});

describe('paths', () => {
  it('matches a path glob on openat, including relative paths resolved against the cwd', async () => {
    const dir = join(work, 'globs');
    mkdirSync(dir, { recursive: true });
    for (const f of ['secret.txt', 'secret2.txt', 'public.txt']) writeFileSync(join(dir, f), 'x');
    const run = await launch(['openat'], (s) => [rule(s, ['open', 'openat'], deny('ENOENT'), { id: 'hide', pathGlob: `${dir}/secret*` })],
      ['opens', join(dir, 'secret.txt'), join(dir, 'public.txt'), 'secret2.txt'], { cwd: dir });
    const { lines } = await run.done;
    expect(lines).toContain(`open ${join(dir, 'secret.txt')} ENOENT`);
    expect(lines).toContain(`open ${join(dir, 'public.txt')} ok`);
    expect(lines).toContain('open secret2.txt ENOENT');
    const denied = (await eventsOf(run.service)).filter((e) => e.decision === 'deny').map((e) => e.path);
    expect(denied).toEqual([join(dir, 'secret.txt'), join(dir, 'secret2.txt')]);
    expect((await sup.ruleCounters()).hide).toMatchObject({ fired: 2 });
  });

  it('records every trapped call with its resolved path in recording mode', async () => {
    const file = join(work, 'rec.out');
    const run = await launch(['write', 'openat'], () => [], ['writes', file, '2'], { recording: true });
    await run.done;
    const events = await eventsOf(run.service);
    expect(events.filter((e) => e.syscall === 'write' && e.path === file && e.decision === 'allow')).toHaveLength(2);
    expect(events.some((e) => e.syscall === 'openat' && e.path === file)).toBe(true);
  });
});

describe('delay', () => {
  it('holds one call while another thread keeps making calls', async () => {
    const slow = join(work, 'race.slow');
    const fast = join(work, 'race.fast');
    const run = await launch(['write'], (s) => [rule(s, ['write'], { kind: 'delay', ms: 1500 }, { pathGlob: '**/*.slow' })],
      ['race', slow, fast, '50']);
    const { lines } = await run.done;
    const fastLine = lines.find((l) => l.startsWith('fast done'))!;
    const slowLine = lines.find((l) => l.startsWith('slow done'))!;
    expect(fastLine).toMatch(/^fast done 50\/50 at \d+$/);
    expect(slowLine).toMatch(/^slow done ok at \d+$/);
    const fastAt = Number(fastLine.split(' ').pop());
    const slowAt = Number(slowLine.split(' ').pop());
    expect(fastAt).toBeLessThan(slowAt);
    expect(slowAt).toBeGreaterThanOrEqual(1400);
    const held = (await eventsOf(run.service)).filter((e) => e.decision === 'delay');
    expect(held).toHaveLength(1);
    expect(held[0]).toMatchObject({ path: slow, delayMs: 1500 });
  });
});

describe('detach', () => {
  it('releases held calls before closing the listener', async () => {
    const run = await launch(['write'], (s) => [rule(s, ['write'], { kind: 'delay', ms: 60_000 })], ['writes', join(work, 'detach.out'), '1']);
    await until('a held call', async () => (await sup.stats()).held === 1);
    const started = Date.now();
    await sup.detach(run.service);
    const { code, lines } = await run.done;
    expect(Date.now() - started).toBeLessThan(5000);
    expect(code).toBe(0);
    expect(writeResults(lines)).toEqual(['ok']);
    expect((await sup.stats()).held).toBe(0);
  });
});

describe('delays end with their rules', () => {
  it('keeps a call held while its rule stays armed and releases it when the rule goes', async () => {
    const delay = (s: string) => rule(s, ['write'], { kind: 'delay', ms: 60_000 }, { id: 'long-delay' });
    const run = await launch(['write'], (s) => [delay(s)], ['writes', join(work, 'release.out'), '1']);
    await until('a held call', async () => (await sup.stats()).held === 1);
    // Re-arming the same rule (a nested scope ending, say) keeps the hold.
    await sup.setRules(run.service, [delay(run.service)], 1, { keepCounters: true });
    expect((await sup.stats()).held).toBe(1);
    expect(run.child.exitCode).toBeNull();
    // The scope ends: the rule is gone, so is the hold; the write goes through.
    const started = Date.now();
    await sup.setRules(run.service, [], 1);
    const { code, lines } = await run.done;
    expect(Date.now() - started).toBeLessThan(5000);
    expect(code).toBe(0);
    expect(writeResults(lines)).toEqual(['ok']);
    expect((await sup.stats()).held).toBe(0);
  });

  it('releases what a service holds when it is disarmed', async () => {
    const run = await launch(['write'], (s) => [rule(s, ['write'], { kind: 'delay', ms: 60_000 })], ['writes', join(work, 'disarm.out'), '1']);
    await until('a held call', async () => (await sup.stats()).held === 1);
    await sup.disarm(run.service);
    const { code, lines } = await run.done;
    expect(code).toBe(0);
    expect(writeResults(lines)).toEqual(['ok']);
    expect((await sup.stats()).held).toBe(0);
  });
});

describe('sockets', () => {
  it('decodes connect peers: IPv4, IPv6 and unix sockets', async () => {
    const v4 = await listen((s) => s.listen(0, '127.0.0.1'));
    const unixPath = join(work, 'peer.sock');
    await listen((s) => s.listen(unixPath));
    const peers: string[] = [];
    for (const args of [['inet', '127.0.0.1', String(v4)], ['inet6', '::1', '6399'], ['unix', unixPath]]) {
      const run = await launch(['connect'], (s) => [rule(s, ['connect'], { kind: 'trace' })], ['connect', ...args]);
      const { lines } = await run.done;
      if (args[0] !== 'inet6') expect(lines).toContain(`connect ${args[0]} ok`);
      const events = await eventsOf(run.service);
      expect(events).toHaveLength(1);
      expect(events[0]!.decision).toBe('trace');
      peers.push(events[0]!.peer!);
    }
    expect(peers).toEqual([`127.0.0.1:${v4}`, '[::1]:6399', `unix:${unixPath}`]);
  });

  it('aims a connect rule at one peer with peer=: other destinations connect as usual', async () => {
    const port = await listen((s) => s.listen(0, '127.0.0.1'));
    const deny = (peerGlob: string) => (s: string) => [rule(s, ['connect'], { kind: 'deny', errno: 'ECONNREFUSED' }, { peerGlob })];
    const other = await launch(['connect'], deny('*:6379'), ['connect', 'inet', '127.0.0.1', String(port)]);
    expect((await other.done).lines).toContain('connect inet ok');
    expect((await eventsOf(other.service)).filter((e) => e.decision === 'deny')).toEqual([]);
    const aimed = await launch(['connect'], deny(`*:${port}`), ['connect', 'inet', '127.0.0.1', String(port)]);
    expect((await aimed.done).lines).toContain('connect inet ECONNREFUSED');
    const denied = (await eventsOf(aimed.service)).filter((e) => e.decision === 'deny');
    expect(denied.map((e) => e.peer)).toEqual([`127.0.0.1:${port}`]);
  });

  it('decodes sendto and sendmsg destinations; a send on a connected socket names the socket', async () => {
    const run = await launch(['sendto', 'sendmsg'], (s) => [rule(s, ['sendto', 'sendmsg'], { kind: 'trace' })], ['udp', '127.0.0.1', '9']);
    const { lines } = await run.done;
    expect(lines).toEqual(expect.arrayContaining(['sendto ok', 'sendmsg ok', 'connected sendto ok']));
    const events = await eventsOf(run.service);
    expect(events.map((e) => [e.syscall, e.peer])).toEqual([
      ['sendto', '127.0.0.1:9'], ['sendmsg', '127.0.0.1:9'], ['sendto', undefined],
    ]);
    expect(events[2]!.path).toMatch(/^socket:\[\d+\]$/);
  });

  it('does not deadlock the handshake when connect, sendmsg, read and close are trapped and denied', async () => {
    const trapped: SyscallName[] = ['connect', 'sendmsg', 'sendto', 'recvmsg', 'recvfrom', 'read', 'write', 'close'];
    const run = await launch(trapped, (s) => [
      rule(s, ['connect'], deny('ECONNREFUSED'), { id: 'no-dial' }),
      rule(s, ['sendmsg', 'sendto'], deny('EPIPE'), { id: 'no-send' }),
    ], ['connect', 'inet', '127.0.0.1', '9']);
    const { code, lines } = await run.done;
    expect(code).toBe(0);
    expect(lines).toContain('connect inet ECONNREFUSED');
    // The shim's own sendmsg of the listener never reached the supervisor.
    expect((await sup.firedCounts())['no-send']).toBe(0);
  });
});

describe('processes', () => {
  it('traps a forked and exec-ed child too; events carry each process pid', async () => {
    const file = join(work, 'fork.out');
    const run = await launch(['write'], (s) => [rule(s, ['write'], { kind: 'trace' })], ['fork', file, '2']);
    const { lines } = await run.done;
    expect(lines).toContain('child exited 0');
    const pids = lines.filter((l) => l.startsWith('pid ')).map((l) => Number(l.slice(4)));
    expect(pids).toHaveLength(2);
    const events = await eventsOf(run.service);
    const parentWrites = events.filter((e) => e.path === file);
    const childWrites = events.filter((e) => e.path === `${file}.child`);
    expect(parentWrites.map((e) => e.pid)).toEqual([pids[0], pids[0]]);
    expect(childWrites.map((e) => e.pid)).toEqual([pids[1], pids[1]]);
    expect(pids[0]).not.toBe(pids[1]);
  });
});

describe('lifecycle', () => {
  it('stop() returns promptly while a target is alive and idle; the target then gets ENOSYS', async () => {
    const own = await Supervisor.start();
    const run = await launch(['write'], () => [], ['sleep', '1500'], { supervisor: own });
    const started = Date.now();
    await own.stop();
    expect(Date.now() - started).toBeLessThan(1000);
    expect(run.child.exitCode).toBeNull();
    const { lines } = await run.done;
    // With the listener gone the kernel fails trapped calls: a dead supervisor is never silent.
    expect(lines).toContain('after sleep write ENOSYS');
  });

  it('survives a target killed mid-run: the listener ends, nothing is stuck, no failure is reported', async () => {
    const own = await Supervisor.start();
    const failures: Error[] = [];
    own.onLoopFailure((e) => failures.push(e));
    const run = await launch(['write'], (s) => [rule(s, ['write'], { kind: 'trace' })], ['spin', join(work, 'spin.out')], { supervisor: own });
    await until('spin traffic', async () => (await own.stats()).notifications > 100);
    run.child.kill('SIGKILL');
    expect((await run.done).signal).toBe('SIGKILL');
    await until('listener end', async () => (await own.stats()).endedListeners === 1);
    expect((await own.drainEvents()).length).toBeGreaterThan(100);
    const started = Date.now();
    await own.stop();
    expect(Date.now() - started).toBeLessThan(1000);
    expect(failures).toEqual([]);
  });

  it('skips a dropped notification: the target is killed while its call is held', async () => {
    const own = await Supervisor.start();
    const failures: Error[] = [];
    own.onLoopFailure((e) => failures.push(e));
    const run = await launch(['write'], (s) => [rule(s, ['write'], { kind: 'delay', ms: 600 })], ['writes', join(work, 'drop.out'), '3'], { supervisor: own });
    await until('a held call', async () => (await own.stats()).held === 1);
    run.child.kill('SIGKILL');
    await run.done;
    await until('the drop to be counted', async () => (await own.stats()).dropped >= 1);
    // The loop is still alive and serving.
    expect((await own.stats()).held).toBe(0);
    await own.stop();
    expect(failures).toEqual([]);
  });

  it('reports a broken listener through onLoopFailure', async () => {
    const own = await Supervisor.start();
    const failures: InfraError[] = [];
    own.onLoopFailure((e) => failures.push(e));
    const handoff = await ListenerHandoff.open(join(work, 'sockets'));
    const argv = shimCommand(shimPath(), handoff.socketPath, [syscallNumber('write')], target, ['sleep', '200']);
    const child = spawn(argv[0]!, argv.slice(1), { stdio: 'ignore' });
    children.add(child);
    const { listenerFd } = await handoff.accept(5000);
    await own.attach('broken', listenerFd);
    handoff.acknowledge();
    handoff.close();
    // Close the listener behind the supervisor's back; the next poll sees POLLNVAL.
    const { libc } = await import('../src/runtime/kernel/libc.js');
    libc().close(listenerFd);
    await until('failure report', async () => { await own.stats(); return failures.length > 0; });
    expect(failures[0]).toBeInstanceOf(InfraError);
    expect(failures[0]!.message).toMatch(/service "broken"/);
    await own.stop();
  });
});

describe('shim failures are loud', () => {
  it('exits 127 with a message when the socket is missing, and the host notices', async () => {
    const handoff = await ListenerHandoff.open(join(work, 'sockets'));
    const missing = join(work, 'sockets', 'nobody-here.sock');
    const argv = shimCommand(shimPath(), missing, [1], target, ['writes', '/dev/null', '1']);
    const child = spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
    children.add(child);
    let stderr = '';
    child.stderr!.on('data', (d) => { stderr += d; });
    const exited = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
    await expect(handoff.accept(5000, () => child.exitCode === null)).rejects.toThrow(/exited before it could connect/);
    handoff.close();
    expect(await exited).toBe(127);
    expect(stderr).toMatch(/^faultbox-shim: connect to .*nobody-here\.sock: No such file or directory/);
  });

  it('reports a missing program to the host over the socket', async () => {
    const handoff = await ListenerHandoff.open(join(work, 'sockets'));
    const argv = shimCommand(shimPath(), handoff.socketPath, [1], 'no-such-program-faultbox', []);
    const child = spawn(argv[0]!, argv.slice(1), { stdio: 'ignore' });
    children.add(child);
    const exited = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
    const err = await handoff.accept(5000, () => child.exitCode === null).catch((e: Error) => e);
    handoff.close();
    expect(err).toBeInstanceOf(InfraError);
    expect((err as Error).message).toMatch(/seccomp shim failed: faultbox-shim: program no-such-program-faultbox not found in PATH/);
    expect(await exited).toBe(127);
  });

  it('rejects a malformed syscall list before touching the target', async () => {
    const handoff = await ListenerHandoff.open(join(work, 'sockets'));
    const child = spawn(shimPath(), [handoff.socketPath, '1,x', '--', target, 'writes', '/dev/null', '1'], { stdio: 'ignore' });
    children.add(child);
    await expect(handoff.accept(5000, () => child.exitCode === null)).rejects.toThrow(/bad syscall number list "1,x"/);
    handoff.close();
  });
});

function listen(start: (s: Server) => void): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer((c) => c.end());
    servers.push(s);
    s.once('error', reject);
    s.once('listening', () => {
      const a = s.address();
      resolve(typeof a === 'object' && a ? a.port : 0);
    });
    start(s);
  });
}
