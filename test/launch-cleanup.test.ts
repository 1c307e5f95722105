// End-to-end: a faultbox-like child process (test/fixtures/crashed-run/runner.ts, bundled from the
// real modules) starts services and is then killed, interrupted or crashed; nothing it started may
// survive — either its own hooks clean up, or the next run's sweep does.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { CleanupRegistry } from '../src/runtime/launch/cleanup.js';
import { groupMembers } from '../src/runtime/launch/process-group.js';
import type { RunRecord } from '../src/runtime/launch/cleanup-record.js';

let base: string;
let runnerJs: string;

beforeAll(async () => {
  base = mkdtempSync(join(tmpdir(), 'faultbox-cleanup-e2e-'));
  runnerJs = join(base, 'runner.mjs');
  await build({
    entryPoints: [join(import.meta.dirname, 'fixtures/crashed-run/runner.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile: runnerJs,
    logLevel: 'error',
  });
});
afterAll(() => rmSync(base, { recursive: true, force: true }));

interface Started {
  child: ChildProcess;
  runsDir: string;
  runId: string;
  pgids: number[];
  tempDir: string;
  stderr: () => string;
  stdout: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

async function startRunner(name: string, mode = 'idle'): Promise<Started> {
  const runsDir = join(base, `runs-${name}`);
  const child = spawn(process.execPath, [runnerJs, runsDir, join(base, `logs-${name}`), mode], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  let stdout = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  child.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => child.once('exit', (code, signal) => r({ code, signal })));
  const line = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      if (out.includes('\n')) resolve(out.split('\n')[0]!);
    });
    void exited.then(({ code }) => reject(new Error(`runner exited (${code}) before reporting: ${stderr}`)));
  });
  const started = JSON.parse(line) as { runId: string; pgids: number[]; tempDir: string };
  if (mode === 'stop') return { child, runsDir, ...started, stderr: () => stderr, stdout: () => stdout, exited };
  // The forking service has a shell and two sleeps; wait until they all exist.
  for (let i = 0; i < 300 && groupMembers(started.pgids[0]!).length < 3; i++) await new Promise((r) => setTimeout(r, 10));
  expect(groupMembers(started.pgids[0]!)).toHaveLength(3);
  return { child, runsDir, ...started, stderr: () => stderr, stdout: () => stdout, exited };
}

function expectNothingLeft(s: Started): void {
  for (const pgid of s.pgids) expect(groupMembers(pgid)).toEqual([]);
  expect(existsSync(s.tempDir)).toBe(false);
  expect(existsSync(join(s.runsDir, `${s.runId}.json`))).toBe(false);
}

describe('a crashed faultbox', () => {
  it('leaves a run record that the next run sweeps: groups killed, temp dir removed', async () => {
    const s = await startRunner('sigkill');
    const record = JSON.parse(readFileSync(join(s.runsDir, `${s.runId}.json`), 'utf8')) as RunRecord;
    expect(record.pid).toBe(s.child.pid);
    expect(record.groups.map((g) => g.pgid)).toEqual(s.pgids);
    expect(record.tempDirs).toEqual([s.tempDir]);

    s.child.kill('SIGKILL');
    expect((await s.exited).signal).toBe('SIGKILL');
    // Nothing ran in the dead process: its services are still there (they are in their own sessions).
    for (const pgid of s.pgids) expect(groupMembers(pgid).length).toBeGreaterThan(0);

    const lines: string[] = [];
    const next = new CleanupRegistry({ runsDir: s.runsDir, log: (l) => lines.push(l) });
    const report = await next.sweepLeftovers();
    expect(report).toEqual({ runs: [s.runId], groupsKilled: 2, tempDirsRemoved: 1 });
    expect(lines).toEqual(['faultbox: removed leftovers of 1 crashed run(s): 2 process group(s), 1 temp dir(s)']);
    expectNothingLeft(s);
    expect(readdirSync(s.runsDir)).toEqual([]);
  });
});

describe('an interrupted or failing faultbox cleans up after itself', () => {
  it('SIGINT: stops services (SIGKILL for the one ignoring SIGTERM) and exits 130', async () => {
    const s = await startRunner('sigint');
    s.child.kill('SIGINT');
    expect(await s.exited).toEqual({ code: 130, signal: null });
    expect(s.stderr()).toContain('faultbox: SIGINT received, stopping services');
    expectNothingLeft(s);
  });

  it('SIGTERM: exits 143 with everything stopped', async () => {
    const s = await startRunner('sigterm');
    s.child.kill('SIGTERM');
    expect(await s.exited).toEqual({ code: 143, signal: null });
    expectNothingLeft(s);
  });

  it('an uncaught exception: reports it without a stack, cleans up, exits 3', async () => {
    const s = await startRunner('throw', 'throw');
    s.child.stdin!.write('go\n');
    expect(await s.exited).toEqual({ code: 3, signal: null });
    expect(s.stderr()).toContain('internal error: boom from the runner\n  (set FAULTBOX_DEBUG=1 for details)');
    expect(s.stderr()).not.toMatch(/\n\s+at /);
    expectNothingLeft(s);
  });

  it('an unhandled rejection: cleans up, exits 3', async () => {
    const s = await startRunner('reject', 'reject');
    s.child.stdin!.write('go\n');
    expect(await s.exited).toEqual({ code: 3, signal: null });
    expect(s.stderr()).toContain('internal error: rejected in the runner');
    expectNothingLeft(s);
  });

  it('a plain stop with nothing else pending: stop() keeps the process alive until the groups are gone', async () => {
    const s = await startRunner('stop', 'stop');
    expect(await s.exited).toEqual({ code: 0, signal: null });
    expect(s.stdout()).toContain('stopped terminated killed\n');
    expectNothingLeft(s);
  });

  it('process.exit without disposal: the synchronous exit hook SIGKILLs the groups', async () => {
    const s = await startRunner('exit', 'exit');
    s.child.stdin!.write('go\n');
    expect(await s.exited).toEqual({ code: 0, signal: null });
    // SIGKILL was sent at exit; the kernel takes a moment to finish the processes.
    for (let i = 0; i < 300 && s.pgids.some((p) => groupMembers(p).length > 0); i++) await new Promise((r) => setTimeout(r, 10));
    expectNothingLeft(s);
  });
});
