// The explorer against a simulated "checkout" system with planted bugs: each must be found,
// shrunk to exactly its planted minimal fault set, and reported once; vacuous cases never are.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCampaign, type CampaignOptions, type CampaignResult } from '../src/explorer/campaign/campaign.js';
import { buildScenarioCensus, makeCensus, type Census } from '../src/explorer/census/census.js';
import { loadCorpus, saveCorpus } from '../src/explorer/corpus/corpus.js';
import { corpusEntryOf, explore, replayEntry, specContentHash } from '../src/explorer/explore.js';
import { canonicalFaultSet, faultSetKey, type InjectedFault } from '../src/explorer/faults.js';
import type { ProgressEvent } from '../src/explorer/campaign/progress.js';
import { faultFromJson, type FaultJson } from '../src/explorer/corpus/fault-json.js';
import { buildFaultSpace, resolveSpaceSettings, type SpaceOptions } from '../src/explorer/space/space.js';
import { SimulatedRunner, type PlantedBug, type SimCall } from '../src/explorer/runner/simulated-runner.js';
import type { FailureGroup } from '../src/explorer/triage/triage.js';

const WAL = '/var/lib/db/wal/000001.log';
const TABLE = '/var/lib/db/base/16384/2619';

/** checkout(): api dials db, sends a query, db reads it, writes WAL and table pages, fsyncs, renames. */
const CHECKOUT: readonly SimCall[] = [
  { service: 'api', syscall: 'connect', peer: '127.0.0.1:5432' },
  { service: 'api', syscall: 'sendto', path: 'socket:[1001]' },
  { service: 'db', syscall: 'read', path: 'socket:[2001]' },
  { service: 'db', syscall: 'write', path: WAL },
  { service: 'db', syscall: 'pwrite64', path: TABLE },
  { service: 'db', syscall: 'read', path: 'socket:[2001]' },
  { service: 'db', syscall: 'write', path: WAL },
  { service: 'db', syscall: 'fsync', path: WAL },
  { service: 'db', syscall: 'write', path: WAL },
  { service: 'db', syscall: 'pwrite64', path: TABLE },
  { service: 'db', syscall: 'fdatasync', path: WAL },
  { service: 'db', syscall: 'rename', path: '/var/lib/db/pg_control.tmp' },
  { service: 'db', syscall: 'unlink', path: '/var/lib/db/old.tmp', recordOnly: true },
  { service: 'db', syscall: 'read', path: 'socket:[2001]' },
  { service: 'api', syscall: 'recvfrom', path: 'socket:[1001]' },
  { service: 'api', syscall: 'sendto', path: 'socket:[1001]' },
  { service: 'api', syscall: 'recvfrom', path: 'socket:[1001]' },
];

const denied = (f: { action: string }) => f.action === 'deny';

const BUGS: readonly PlantedBug[] = [
  {
    // The 3rd write of db (the second WAL append) failing is not handled: the order is acked anyway.
    name: 'write-nth3',
    scenario: 'checkout',
    hits: (faulted) => faulted.some((f) => f.service === 'db' && f.family === 'write' && f.occurrence === 3 && denied(f)),
    verdict: (run) => ({ kind: 'fail', reason: 'assertion', message: `expected 200, got 500 (order ${1000 + run})` }),
  },
  {
    // api survives a refused dial and db survives a failed fsync, but not both in one request.
    name: 'connect-and-fsync',
    scenario: 'checkout',
    hits: (faulted) =>
      faulted.some((f) => f.service === 'api' && f.family === 'connect' && denied(f)) &&
      faulted.some((f) => f.service === 'db' && f.family === 'fsync' && denied(f)),
    verdict: () => ({ kind: 'crash', service: 'api', exitCode: 2 }),
  },
  {
    // A failed rename of the control file corrupts state, but only shows half of the time.
    name: 'rename-flaky',
    scenario: 'checkout',
    hits: (faulted) => faulted.some((f) => f.service === 'db' && f.family === 'rename' && denied(f)),
    verdict: () => ({ kind: 'fail', reason: 'step-error', message: 'db.main.query: connection closed' }),
    probability: 0.5,
  },
  {
    // The api has no read timeout: a db reply slower than 1 s hangs the request.
    name: 'slow-reply',
    scenario: 'checkout',
    hits: (faulted) => faulted.some((f) => f.service === 'api' && f.family === 'recvfrom' && f.action === 'delay' && (f.delayMs ?? 0) >= 1000),
    verdict: (_run, opts) => ({ kind: 'timeout', timeoutMs: opts.timeoutMs }),
  },
  {
    // A harness that reports failure whenever an unlink rule is armed, though unlink never happens
    // in cases: every such case is vacuous and must never become a finding.
    name: 'vacuous-unlink',
    scenario: 'checkout',
    hits: (_faulted, rules) => rules.some((r) => r.keyword === 'unlink'),
    verdict: () => ({ kind: 'fail', reason: 'assertion', message: 'unlink fault armed' }),
  },
];

const PLANTED: Record<string, InjectedFault[]> = {
  'write-nth3': [faultFromJson({ service: 'db', syscall: 'write', action: 'deny', errno: 'EIO', nth: 3 })],
  'connect-and-fsync': [
    faultFromJson({ service: 'api', syscall: 'connect', action: 'deny', errno: 'ECONNREFUSED', nth: 1 }),
    faultFromJson({ service: 'db', syscall: 'fsync', action: 'deny', errno: 'EIO', nth: 1 }),
  ],
  'rename-flaky': [faultFromJson({ service: 'db', syscall: 'rename', action: 'deny', errno: 'EIO', nth: 1 })],
  'slow-reply': [faultFromJson({ service: 'api', syscall: 'recvfrom', action: 'delay', delay_ms: 1000, nth: 1 })],
};

const SPACE: SpaceOptions = { maxDelayMs: 2000 };

async function censusFor(runner: SimulatedRunner, families: readonly string[]): Promise<Census> {
  const rec = await runner.record('checkout', families, new AbortController().signal);
  return makeCensus({
    specHash: 'spec-1',
    faultboxVersion: '0.1.0',
    families,
    scenarios: { checkout: buildScenarioCensus(rec, families) },
    createdAt: '2026-01-01T00:00:00.000Z',
  });
}

async function campaign(
  overrides: Partial<CampaignOptions> & { runnerSeed?: number; bugs?: readonly PlantedBug[]; space?: never } = {},
  spaceOptions: SpaceOptions = SPACE,
): Promise<{ result: CampaignResult; runner: SimulatedRunner; events: ProgressEvent[] }> {
  // The runner seed drives the 50% bug: the flakiness test needs a seed under which 5 reproduction
  // runs do not all fail (1 seed in 32 makes them all fail; which one depends on the case order).
  const runner = new SimulatedRunner({ scenarios: { checkout: CHECKOUT }, bugs: overrides.bugs ?? BUGS, seed: overrides.runnerSeed ?? 8 });
  const settings = resolveSpaceSettings(undefined, spaceOptions);
  const census = await censusFor(runner, settings.families);
  const space = buildFaultSpace(census, ['checkout'], settings);
  const events: ProgressEvent[] = [];
  const { runnerSeed: _s, bugs: _b, ...rest } = overrides;
  const result = await runCampaign({
    runner,
    census,
    space,
    scenarios: [{ name: 'checkout', deadline: { ms: 5000 } }],
    seed: 42,
    runs: 1500,
    onProgress: (e) => events.push(e),
    ...rest,
  });
  return { result, runner, events };
}

function groupWith(result: CampaignResult, planted: InjectedFault[]): FailureGroup | undefined {
  const key = faultSetKey(planted);
  return result.groups.find((g) => faultSetKey(g.faults) === key);
}

describe('campaign over planted bugs', () => {
  let full: { result: CampaignResult; runner: SimulatedRunner; events: ProgressEvent[] };
  beforeEach(async () => {
    full ??= await campaign();
  });

  it('finds every planted bug and shrinks each to exactly its planted minimal fault set', () => {
    const { result } = full;
    for (const [name, planted] of Object.entries(PLANTED)) {
      const g = groupWith(result, planted);
      expect(g, `${name} not found; groups: ${result.groups.map((x) => faultSetKey(x.faults)).join(' | ')}`).toBeDefined();
      expect(g!.state).toBe('minimal');
    }
    // One group per bug: nothing else was reported.
    expect(result.groups.map((g) => faultSetKey(g.faults)).sort()).toEqual(Object.values(PLANTED).map(faultSetKey).sort());
  });

  it('reports the failure kind, message class and reproduction rate of each finding', () => {
    const { result } = full;
    const w = groupWith(result, PLANTED['write-nth3']!)!;
    expect(w.kind).toBe('fail');
    expect(w.reason).toBe('assertion');
    expect(w.messageClass).toBe('expected #, got # (order #)');
    expect(w.reproduced).toEqual({ k: 5, n: 5 });
    expect(w.rawHits).toBeGreaterThan(1); // many raw failures (always, after=2, ENOSPC, ...) filed under one group
    const c = groupWith(result, PLANTED['connect-and-fsync']!)!;
    expect(c.kind).toBe('crash');
    // Each fault alone is survived, so the pair is tried as soon as the simplest faults have run,
    // before any sampled combination (which would carry a fast-check path).
    expect(c.path).toBeUndefined();
    const t = groupWith(result, PLANTED['slow-reply']!)!;
    expect(t.kind).toBe('timeout');
    const f = groupWith(result, PLANTED['rename-flaky']!)!;
    expect(f.reproduced.n).toBe(5);
    expect(f.reproduced.k).toBeGreaterThan(0);
    expect(f.reproduced.k).toBeLessThan(5);
  });

  it('counts vacuous cases separately and never reports them', () => {
    const { result } = full;
    expect(result.summary.vacuous).toBeGreaterThan(0);
    expect(result.stats.vacuous).toBe(result.summary.vacuous);
    expect(result.groups.some((g) => g.faults.some((f) => f.keyword === 'unlink'))).toBe(false);
    expect(result.groups.some((g) => g.message.includes('unlink'))).toBe(false);
  });

  it('runs every single fault before any combination', () => {
    const { result } = full;
    const phases = result.trail.map((t) => t.phase);
    const firstCombo = phases.indexOf('combinations');
    expect(firstCombo).toBeGreaterThan(0);
    expect(phases.slice(firstCombo).includes('singles')).toBe(false);
    expect(result.stats.singlesRun).toBe(result.stats.singlesTotal);
    const phaseEvents = full.events.filter((e) => e.type === 'phase').map((e) => (e as { phase: string }).phase);
    // Each new symptom is shrunk when met, then exploring resumes where it was.
    const collapsed = phaseEvents.join(' ').replace(/ shrinking (singles|combinations)/g, '');
    expect(collapsed).toBe('known singles combinations done');
    expect(phaseEvents.join(' ')).toMatch(/singles shrinking singles/);
  });

  it('reports the first failure of a kind, minimal, before exploring goes on', () => {
    const { events } = full;
    const firstFailure = events.findIndex((e) => e.type === 'failure');
    expect(firstFailure).toBeGreaterThan(0);
    const later = events.slice(firstFailure + 1);
    expect(later.some((e) => e.type === 'phase' && (e.phase === 'singles' || e.phase === 'combinations'))).toBe(true);
    expect(later.some((e) => e.type === 'case-start')).toBe(true);
  });

  it('emits case events, coverage and a done summary consistent with the result', () => {
    const { result, events } = full;
    const done = events.at(-1)!;
    expect(done.type).toBe('done');
    if (done.type !== 'done') return;
    expect(done.summary.runs).toBe(result.summary.runs);
    expect(done.summary.stoppedBy).toBe('runs');
    expect(result.summary.runs).toBe(1500);
    const coverage = [...events].reverse().find((e) => e.type === 'coverage');
    expect(coverage && coverage.type === 'coverage' && coverage.rows.every((r) => r.tried === r.possible)).toBe(true);
    // A failure event with an id seen before updates that finding (a flaky group re-confirmed).
    const ids = new Set(events.flatMap((e) => (e.type === 'failure' ? [e.failure.id] : [])));
    expect([...ids].sort()).toEqual(result.groups.map((g) => g.id).sort());
  });

  it('records how many runs shrinking spent', () => {
    const { result } = full;
    const total = result.groups.reduce((n, g) => n + g.runs.shrink, 0);
    expect(total).toBe(result.stats.shrinkRuns);
    // Confirmation runs of failures found to be artifacts belong to no group.
    const confirms = result.groups.reduce((n, g) => n + g.runs.confirm, 0);
    expect(confirms).toBeLessThanOrEqual(result.stats.confirmRuns);
    expect(result.groups.every((g) => g.runs.confirm >= 3 && g.runs.reproduce >= 5)).toBe(true);
    expect(result.stats.artifacts).toBeGreaterThan(0);
  });
});

describe('determinism and sharding', () => {
  it('same seed gives the identical case sequence and results', async () => {
    const a = await campaign({ runs: 400 });
    const b = await campaign({ runs: 400 });
    expect(b.result.trail).toEqual(a.result.trail);
    expect(b.runner.cases.map((c) => c.rules)).toEqual(a.runner.cases.map((c) => c.rules));
    expect(b.result.groups).toEqual(a.result.groups);
  });

  it('a different seed samples different combinations', async () => {
    const a = await campaign({ runs: 600, seed: 1 });
    const b = await campaign({ runs: 600, seed: 2 });
    const combos = (r: CampaignResult) => r.trail.filter((t) => t.phase === 'combinations').map((t) => t.key);
    expect(combos(a.result).length).toBeGreaterThan(0);
    expect(combos(b.result)).not.toEqual(combos(a.result));
  });

  it('shards are disjoint and together run exactly the unsharded cases', async () => {
    // A small space (two families, no delays, pairs only) so the combination phase is exhausted.
    const small: SpaceOptions = { families: ['fsync', 'connect'], delays: false, maxFaults: 2 };
    const bugs: PlantedBug[] = [];
    const whole = await campaign({ runs: undefined, bugs }, small);
    expect(whole.result.summary.stoppedBy).toBe('exhausted');
    const keys = (r: CampaignResult) => r.trail.map((t) => t.key);
    const parts = await Promise.all([1, 2, 3].map((index) => campaign({ runs: undefined, bugs, shard: { index, count: 3 } }, small)));
    const all = parts.flatMap((p) => keys(p.result));
    expect(new Set(all).size).toBe(all.length); // disjoint
    expect([...all].sort()).toEqual([...keys(whole.result)].sort()); // union = unsharded
    expect(parts.every((p) => p.result.trail.length > 0)).toBe(true);
  });
});

describe('stopping', () => {
  it('the budget is a hard stop: the case in flight is aborted', async () => {
    const runner = new SimulatedRunner({ scenarios: { checkout: CHECKOUT }, hang: true });
    const settings = resolveSpaceSettings(undefined, SPACE);
    const census = await censusFor(runner, settings.families);
    const result = await runCampaign({
      runner,
      census,
      space: buildFaultSpace(census, ['checkout'], settings),
      scenarios: [{ name: 'checkout', deadline: { ms: 60_000 } }],
      seed: 1,
      budgetMs: 50,
    });
    expect(result.summary.stoppedBy).toBe('budget');
    expect(runner.cases).toHaveLength(1);
    expect(runner.cases[0]!.aborted).toBe(true);
    expect(result.summary.runs).toBe(0); // the aborted case is discarded, not counted
  });

  it('a user stop aborts the case in flight', async () => {
    const runner = new SimulatedRunner({ scenarios: { checkout: CHECKOUT }, hang: true });
    const settings = resolveSpaceSettings(undefined, SPACE);
    const census = await censusFor(runner, settings.families);
    const ctl = new AbortController();
    const pending = runCampaign({
      runner,
      census,
      space: buildFaultSpace(census, ['checkout'], settings),
      scenarios: [{ name: 'checkout' }],
      seed: 1,
      signal: ctl.signal,
      onProgress: (e) => {
        if (e.type === 'case-start') setImmediate(() => ctl.abort());
      },
    });
    const result = await pending;
    expect(result.summary.stoppedBy).toBe('user');
    expect(runner.cases[0]!.aborted).toBe(true);
  });

  it('a runner that overstays its timeout is aborted and counted as an infrastructure error', async () => {
    const runner = new SimulatedRunner({ scenarios: { checkout: CHECKOUT }, hang: true });
    const settings = resolveSpaceSettings(undefined, { ...SPACE, families: ['connect'] });
    const census = await censusFor(runner, settings.families);
    const result = await runCampaign({
      runner,
      census,
      space: buildFaultSpace(census, ['checkout'], settings),
      scenarios: [{ name: 'checkout', deadline: { ms: 1 } }],
      seed: 1,
      graceMs: 1,
    });
    expect(result.summary.stoppedBy).toBe('error');
    expect(result.error).toMatch(/3 cases in a row could not run/);
    expect(result.stats.infraErrors).toBe(3);
    expect(runner.cases.every((c) => c.aborted)).toBe(true);
  });
});

describe('known corpus entries', () => {
  it('are replayed first and reported as known; fixed ones are listed', async () => {
    const first = await campaign({ runs: 500 });
    const write = groupWith(first.result, PLANTED['write-nth3']!)!;
    const entries = [
      corpusEntryOf(write, '0.1.0', '2026-01-01T00:00:00.000Z'),
      {
        ...corpusEntryOf(write, '0.1.0', '2026-01-01T00:00:00.000Z'),
        id: 'fixedbug0001',
        faults: canonicalFaultSet([faultFromJson({ service: 'db', syscall: 'read', action: 'deny', errno: 'EIO', nth: 1 })]),
      },
    ];
    const second = await campaign({ runs: 500, known: entries });
    expect(second.result.trail[0]!.phase).toBe('known');
    expect(second.result.trail[1]!.phase).toBe('known');
    const known = second.result.groups.find((g) => g.id === write.id)!;
    expect(known.known).toBe(true);
    expect(second.result.summary.failures.find((f) => f.id === write.id)!.known).toBe(true);
    expect(second.result.stats.knownFixed).toEqual(['fixedbug0001']);
    // Exploration met the same bug again and filed it under the known group, not a new one.
    expect(second.result.groups.filter((g) => faultSetKey(g.faults) === faultSetKey(write.faults))).toHaveLength(1);
    expect(known.rawHits).toBeGreaterThan(1);
  });
});

describe('explore(): census, corpus, regressions and --json end to end', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fb-explore-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('records once, writes corpus + regressions + json, and replays known entries on the next run', async () => {
    const runner = new SimulatedRunner({ scenarios: { checkout: CHECKOUT }, bugs: BUGS, seed: 7 });
    const spec = {
      file: join(dir, 'faultbox.star'),
      hash: specContentHash([{ path: 'faultbox.star', text: 'checkout spec v1' }]),
      scenarios: [{ name: 'checkout' }],
      explore: { maxDelayMs: 2000, families: ['write', 'recvfrom'] },
      names: { services: { db: 'db', api: 'api_svc' }, scenarios: { checkout: 'checkout' } },
    };
    const common = {
      runner,
      spec,
      faultboxVersion: '0.1.0',
      seed: 9,
      runs: 300,
      stateDir: join(dir, '.faultbox'),
      corpusDir: join(dir, 'corpus'),
      exportDir: join(dir, 'regressions'),
      jsonFile: join(dir, 'out', 'result.json'),
    };
    const one = await explore(common);
    expect(one.censusRecorded).toBe(true);
    expect(runner.records).toEqual(['checkout']);
    expect(one.censusFile).toBe(join(dir, '.faultbox', `census-${spec.hash}.json`));
    const ids = one.result.groups.map((g) => g.id).sort();
    expect(ids.length).toBe(2); // write-nth3 and slow-reply are in this narrowed space
    expect((await readdir(join(dir, 'corpus'))).sort()).toEqual(ids.map((id) => `${id}.json`));
    expect((await readdir(join(dir, 'regressions'))).length).toBe(2);

    const json = JSON.parse(await readFile(join(dir, 'out', 'result.json'), 'utf8'));
    expect(Object.keys(json)).toEqual([
      'seed', 'runs', 'vacuous', 'duration_ms', 'stopped_by', 'census_hash', 'census', 'failures', 'cases',
      'deadlines', 'restarts', 'expected', 'targets', 'triage_runs',
    ]);
    expect(json.seed).toBe(9);
    expect(json.runs).toBe(one.result.summary.runs);
    expect(json.census).toEqual({ api: { recvfrom: 2 }, db: { write: 5 } });
    const wf = json.failures.find((f: { faults: FaultJson[] }) => f.faults[0]!.syscall === 'write');
    expect(wf).toMatchObject({
      scenario: 'checkout',
      kind: 'fail',
      faults: [{ service: 'db', syscall: 'write', action: 'deny', errno: 'EIO', nth: 3 }],
      reproduced: '5/5',
      known: false,
      state: 'minimal',
    });
    expect(wf.replay).toBe(`faultbox replay ${join(dir, 'corpus', `${wf.id}.json`)}`);
    expect(wf.regression).toBe(join(dir, 'regressions', `checkout_${wf.id}.star`));
    const tf = json.failures.find((f: { kind: string }) => f.kind === 'timeout');
    expect(tf.faults).toEqual([{ service: 'api', syscall: 'recvfrom', action: 'delay', delay_ms: 1000, nth: 1 }]);

    // Second run: census is fresh (no re-record), corpus entries come back as known.
    const two = await explore(common);
    expect(two.censusRecorded).toBe(false);
    expect(runner.records).toEqual(['checkout']);
    expect(two.result.trail.slice(0, 2).every((t) => t.phase === 'known')).toBe(true);
    expect(two.json.failures.every((f) => f.known)).toBe(true);
    expect(two.corpusWritten).toEqual([]);

    // Replay runs exactly one faulted case (after one fault-free warm-up run, the way the census
    // was recorded) and reports reproduction.
    const entries = await loadCorpus(join(dir, 'corpus'));
    const before = runner.cases.length;
    const rep = await replayEntry(runner, entries.find((e) => e.id === wf.id)!, { timeoutMs: 5000 });
    const replayed = runner.cases.slice(before);
    expect(replayed.map((c) => c.rules.length)).toEqual([0, 1]);
    expect(rep.reproduced).toBe(true);
    const fixed = new SimulatedRunner({ scenarios: { checkout: CHECKOUT }, bugs: [] });
    expect((await replayEntry(fixed, entries[0]!)).reproduced).toBe(false);
  });

  it('saves each corpus group once', async () => {
    const first = await campaign({ runs: 200 });
    const entries = first.result.groups.map((g) => corpusEntryOf(g, '0.1.0', '2026-01-01T00:00:00.000Z'));
    const a = await saveCorpus(join(dir, 'c'), entries);
    const b = await saveCorpus(join(dir, 'c'), entries);
    expect(a.written).toHaveLength(entries.length);
    expect(b.written).toHaveLength(0);
    expect(b.existing).toHaveLength(entries.length);
  });
});

