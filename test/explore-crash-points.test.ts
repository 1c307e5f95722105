// The explorer searches crash points (explore(crashes=True)) on real services: the planted kv
// stores and PostgreSQL 15 with fsync on and off. A store that acknowledges before it fsyncs, or
// renames without fsyncing, loses a write only to a power loss, so its minimal finding keeps
// lose_unsynced=True, replays, and exports a regression that fails; the store that does it right,
// and PostgreSQL with fsync=on, lose nothing at any crash point; fsync=off loses a commit.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO, faultboxAsync as faultbox } from './cli-run.js';
import { leftoverTempDirs, processesMatching } from './leftovers.js';

interface Finding {
  readonly id: string;
  readonly message: string;
  readonly state?: string;
  readonly reproduced: string;
  readonly regression?: string;
  readonly faults: readonly { readonly action: string; readonly lose_unsynced?: boolean; readonly syscall: string; readonly nth?: number; readonly path?: string }[];
}
interface Result {
  readonly stopped_by: string;
  readonly failures: readonly Finding[];
  readonly cases: readonly { readonly key: string; readonly outcome: string }[];
}

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A whole single-fault campaign (no delays: they add time, not crash points) in a fresh directory. */
async function explore(spec: string, extra: readonly string[] = []): Promise<{ code: number | null; out: string; result: Result; cwd: string }> {
  const cwd = mkdtempSync(join(tmpdir(), 'faultbox-crashpoints-'));
  dirs.push(cwd);
  const r = await faultbox(['explore', join(REPO, spec), '--seed', '1', '--budget', '150s', '--no-delays', '--max-faults', '1', '--ci', '--json', 'out.json', ...extra], { cwd });
  const out = `${r.stdout}\n${r.stderr}`;
  let result: Result;
  try {
    result = JSON.parse(readFileSync(join(cwd, 'out.json'), 'utf8')) as Result;
  } catch {
    throw new Error(`no --json result (exit ${r.code}):\n${out}`);
  }
  return { code: r.code, out, result, cwd };
}

const crashCases = (r: Result) => r.cases.filter((c) => c.key.includes('|crash|'));
const lossFindings = (r: Result, pattern: RegExp) => r.failures.filter((f) => pattern.test(f.message));

describe('crash points in the explorer (real services)', () => {
  it.each([
    ['ack-before-fsync', /data\.log$/],
    ['rename-without-fsync', /data\.json\.tmp$/],
  ])('%s: the lost acknowledged write is found only with lost writes, minimal, replayed and exported', async (name, file) => {
    const before = new Set(leftoverTempDirs());
    const { code, out, result, cwd } = await explore(`examples/planted-durability/${name}/faultbox.star`);
    expect(code, out).toBe(1);
    const lost = lossFindings(result, /acknowledged PUT of \w+ was lost/);
    expect(lost.length, out).toBe(1);
    const f = lost[0]!;
    expect(f.state).toBe('minimal');
    expect(f.reproduced).toBe('5/5');
    // One crash point, shrunk as far as it goes: the plain crash there passes, so lose_unsynced stays.
    expect(f.faults).toHaveLength(1);
    expect(f.faults[0]).toMatchObject({ action: 'crash', lose_unsynced: true });
    expect(f.faults[0]!.path).toMatch(file);
    const plain = `|crash|||${f.faults[0]!.nth}||`;
    expect(crashCases(result).find((c) => c.key.includes(f.faults[0]!.path!) && c.key.endsWith(plain))?.outcome).toBe('pass');
    // Every finding of the campaign is about the lost write (nothing else in these stores fails).
    expect(result.failures.map((x) => x.id)).toEqual([f.id]);

    const replay = await faultbox(['replay', join('corpus', `${f.id}.json`)], { cwd });
    expect(replay.code, replay.stdout + replay.stderr).toBe(1);
    expect(replay.stdout).toContain('REPRODUCED');
    const regression = readFileSync(join(cwd, f.regression!), 'utf8');
    expect(regression).toMatch(/write = crash\(nth=\d+, path="[^"]+", lose_unsynced=True\)/);
    const test = await faultbox(['test', f.regression!], { cwd });
    expect(test.code, test.stdout + test.stderr).toBe(1);
    expect(test.stdout).toContain('was lost');

    expect(leftoverTempDirs().filter((d) => !before.has(d) && !d.startsWith(cwd))).toEqual([]);
    expect(processesMatching('planted-durability/kv.mjs')).toEqual([]);
  }, 300_000);

  it('atomic-rename (fsync the file, rename, fsync the directory): a whole campaign reports nothing', async () => {
    const { code, out, result } = await explore('examples/planted-durability/atomic-rename/faultbox.star');
    expect(result.stopped_by, out).toBe('exhausted');
    expect(result.failures, out).toEqual([]);
    expect(code).toBe(0);
    // Crash points really ran: before each write, fsync (file and directory) and rename, with and without lost writes.
    const crashes = crashCases(result);
    expect(crashes.length).toBeGreaterThanOrEqual(16);
    expect(crashes.filter((c) => c.key.endsWith('|lose_unsynced')).length).toBe(crashes.length / 2);
    for (const family of ['write', 'fsync', 'rename']) expect(crashes.some((c) => c.key.includes(`kv|${family}|`))).toBe(true);
  }, 300_000);

  it('PostgreSQL fsync=on: no crash point, with or without lost writes, loses an acknowledged commit', async () => {
    const { out, result } = await explore('examples/postgres-durability/fsync-on.star');
    expect(result.stopped_by, out).toBe('exhausted');
    const crashes = crashCases(result);
    expect(crashes.length).toBeGreaterThanOrEqual(4);
    expect(crashes.some((c) => c.key.includes('pg_wal') && c.key.endsWith('|lose_unsynced'))).toBe(true);
    expect(crashes.filter((c) => c.outcome !== 'pass'), out).toEqual([]);
    expect(lossFindings(result, /lost after a crash/), out).toEqual([]);
    expect(processesMatching('faultbox-run-').filter((p) => p.includes('pgdata'))).toEqual([]);
  }, 300_000);

  it('PostgreSQL fsync=off (documented to lose data on power loss): a crash point with lost writes loses a commit', async () => {
    const { out, result } = await explore('examples/postgres-durability/fsync-off.star');
    const lost = lossFindings(result, /acknowledged commit \d+ lost after a crash/);
    expect(lost.length, out).toBe(1);
    expect(lost[0]!.faults).toHaveLength(1);
    expect(lost[0]!.faults[0]).toMatchObject({ action: 'crash', lose_unsynced: true });
    expect(lost[0]!.state).toBe('minimal');
  }, 300_000);
});
