// Sharding as a nightly CI job uses it: `--shard 1/2` and `--shard 2/2` with the same seed and run
// limit, separate corpus dirs, then `faultbox corpus merge`. The shards run disjoint cases that
// together are exactly the unsharded run's, and find the same failure groups (same ids).
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResultJson } from '../src/explorer/corpus/result-json.js';
import {
  leftoverTempFiles,
  makeSandbox,
  markedProcesses,
  PLANTED_TINY,
  runFaultbox,
  type CliRun,
  type Sandbox,
} from './fixtures/planted-tiny/harness.js';

const COMMON = ['--seed', '1', '--runs', '2000', '--no-delays', '--ci'];

describe('explore --shard i/n + corpus merge', () => {
  let sandbox: Sandbox;
  const runs: Record<'full' | 'shard1' | 'shard2', { run: CliRun; json: ResultJson }> = {} as never;

  const explore = async (name: keyof typeof runs, extra: string[]) => {
    const run = await runFaultbox(sandbox, [
      'explore', PLANTED_TINY, ...COMMON, '--corpus', `corpus-${name}`, '--export', `regressions-${name}`, '--json', `${name}.json`, ...extra,
    ]);
    const file = join(sandbox.cwd, `${name}.json`);
    if (!existsSync(file)) throw new Error(`${name}: no result file (exit ${run.code})\n${run.stdout}\n${run.stderr}`);
    const json = JSON.parse(readFileSync(file, 'utf8')) as ResultJson;
    runs[name] = { run, json };
  };

  beforeAll(async () => {
    sandbox = makeSandbox('ci-shards');
    // Same working dir: the unsharded run records the census, the shards reuse it (as shards
    // given the same census artifact would).
    await explore('full', []);
    await explore('shard1', ['--shard', '1/2']);
    await explore('shard2', ['--shard', '2/2']);
  }, 300_000);
  afterAll(() => sandbox?.dispose());

  it('every run explores its whole share and reports the planted bug as new (exit 1)', () => {
    for (const [name, { run, json }] of Object.entries(runs)) {
      expect(run.code, `${name}: ${run.stdout}${run.stderr}`).toBe(1);
      expect(json.stopped_by, name).toBe('exhausted');
      expect(json.failures.length, name).toBeGreaterThan(0);
    }
    expect(runs.shard1.run.stdout).not.toContain('phase: record');
    expect(runs.shard2.run.stdout).not.toContain('phase: record');
  });

  it('runs disjoint cases that together are exactly the unsharded run', () => {
    const keys = (json: ResultJson) => json.cases.map((c) => c.key);
    const full = keys(runs.full.json);
    const one = keys(runs.shard1.json);
    const two = keys(runs.shard2.json);
    for (const list of [full, one, two]) expect(new Set(list).size).toBe(list.length);
    expect(one.length).toBeGreaterThan(0);
    expect(two.length).toBeGreaterThan(0);
    expect(one.filter((k) => two.includes(k))).toEqual([]);
    expect([...one, ...two].sort()).toEqual([...full].sort());
    expect(runs.shard1.json.runs + runs.shard2.json.runs).toBe(runs.full.json.runs);
  });

  it('finds the same failure groups, and corpus merge puts them together', async () => {
    const ids = (json: ResultJson) => json.failures.map((f) => f.id).sort();
    const fullIds = ids(runs.full.json);
    const shardIds = [...new Set([...ids(runs.shard1.json), ...ids(runs.shard2.json)])].sort();
    expect(shardIds).toEqual(fullIds);

    const merge = await runFaultbox(sandbox, ['corpus', 'merge', 'corpus-shard1', 'corpus-shard2', '--out', 'merged']);
    expect(merge.code, merge.stderr).toBe(0);
    expect(readdirSync(join(sandbox.cwd, 'merged')).sort()).toEqual(fullIds.map((id) => `${id}.json`));
    expect(readdirSync(join(sandbox.cwd, 'corpus-full')).sort()).toEqual(fullIds.map((id) => `${id}.json`));
    const lines = merge.stdout.trim().split('\n');
    expect(lines.at(-1)).toBe(`${fullIds.length} failure group(s) from 2 corpus dir(s), ${fullIds.length} written`);
    for (const id of fullIds) expect(lines.filter((l) => l.startsWith(`${id}  acked_put_is_readable  `))).toHaveLength(1);
    expect(merge.stdout).not.toContain('warning:');
  });

  it('corpus merge --known gates CI: exit 1 with NEW groups against a baseline, 0 once they are in it', async () => {
    mkdirSync(join(sandbox.cwd, 'baseline-empty'));
    const fresh = await runFaultbox(sandbox, ['corpus', 'merge', 'corpus-shard1', 'corpus-shard2', '--known', 'baseline-empty']);
    expect(fresh.code).toBe(1);
    const n = runs.full.json.failures.length;
    expect(fresh.stdout).toContain(`${n} failure group(s) from 2 corpus dir(s): ${n} new, 0 known in baseline-empty`);
    for (const f of runs.full.json.failures) expect(fresh.stdout).toMatch(new RegExp(`^NEW    ${f.id}  `, 'm'));

    const known = await runFaultbox(sandbox, ['corpus', 'merge', 'corpus-shard1', 'corpus-shard2', '--known', 'corpus-full']);
    expect(known.code, known.stdout).toBe(0);
    expect(known.stdout).toContain(`: 0 new, ${n} known in corpus-full`);
    expect(known.stdout).not.toMatch(/^NEW /m);
  });

  it('corpus merge refuses a directory that does not exist instead of merging nothing (exit 2)', async () => {
    const r = await runFaultbox(sandbox, ['corpus', 'merge', 'corpus-shard1', 'corpus-shard9']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error: faultbox corpus merge: corpus directory "corpus-shard9" is not a directory');
  });

  it('leaves nothing running and no temp files behind', () => {
    expect(markedProcesses(sandbox)).toEqual([]);
    expect(leftoverTempFiles(sandbox)).toEqual([]);
  });
});
