import { describe, expect, it } from 'vitest';
import { FAMILIES } from '../../spec/syscall-families.js';
import { buildScenarioCensus, makeCensus } from '../census/census.js';
import { CaseExecutor } from '../campaign/case-executor.js';
import { canonicalFaultSet, errnoOf, faultSetKey, losesUnsynced, type InjectedFault } from '../faults.js';
import { enumerateSingles } from '../space/generate.js';
import { faultFromJson } from '../corpus/fault-json.js';
import { attemptsForRate, failureOracle, shrinkFaultSet, type ShrinkDomain, type ShrinkOracle } from './shrink.js';
import { SimulatedRunner, type PlantedBug, type SimCall } from '../runner/simulated-runner.js';
import { buildFaultSpace, resolveSpaceSettings, shrinkDomainFor } from '../space/space.js';

// A deterministic oracle over "which calls got which action", with the runtime's counting rules.
const SCRIPT: readonly SimCall[] = [
  { service: 'api', syscall: 'connect', peer: '10.0.0.2:5432' },
  { service: 'db', syscall: 'write', path: '/wal/1.log' },
  { service: 'db', syscall: 'write', path: '/t/2' },
  { service: 'db', syscall: 'write', path: '/wal/1.log' },
  { service: 'db', syscall: 'write', path: '/wal/1.log' },
  { service: 'db', syscall: 'write', path: '/t/2' },
  { service: 'db', syscall: 'write', path: '/wal/1.log' },
  { service: 'db', syscall: 'fsync', path: '/wal/1.log' },
  { service: 'db', syscall: 'fsync', path: '/wal/1.log' },
  { service: 'api', syscall: 'recvfrom', path: 'socket:[3]' },
  { service: 'api', syscall: 'recvfrom', path: 'socket:[3]' },
];

const isDeny = (f: { action: string }) => f.action === 'deny';
const fail = (message: string) => () => ({ kind: 'fail' as const, reason: 'assertion' as const, message });

const BUGS: Record<string, { bug: Omit<PlantedBug, 'scenario' | 'name'>; minimal: InjectedFault[] }> = {
  nth4: {
    bug: { hits: (f) => f.some((c) => c.family === 'write' && c.occurrence === 4 && isDeny(c)), verdict: fail('lost write') },
    minimal: [faultFromJson({ service: 'db', syscall: 'write', action: 'deny', errno: 'EIO', nth: 4 })],
  },
  enospcOnly: {
    // Only ENOSPC (second in the write list) is mishandled, on any write from the 2nd on.
    bug: { hits: (f) => f.some((c) => c.family === 'write' && c.occurrence >= 2 && c.errno === 'ENOSPC'), verdict: fail('disk full ignored') },
    minimal: [faultFromJson({ service: 'db', syscall: 'write', action: 'deny', errno: 'ENOSPC', nth: 2 })],
  },
  lateWrites: {
    // Fails only when the last two writes both fail.
    bug: {
      hits: (f) => [5, 6].every((n) => f.some((c) => c.family === 'write' && c.occurrence === n && isDeny(c))),
      verdict: fail('tail lost'),
    },
    minimal: [faultFromJson({ service: 'db', syscall: 'write', action: 'deny', errno: 'EIO', after: 4 })],
  },
  pair: {
    bug: {
      hits: (f) => f.some((c) => c.family === 'connect' && isDeny(c)) && f.some((c) => c.family === 'fsync' && c.occurrence === 2 && isDeny(c)),
      verdict: () => ({ kind: 'crash' as const, service: 'api', exitCode: 1 }),
    },
    minimal: [
      faultFromJson({ service: 'api', syscall: 'connect', action: 'deny', errno: 'ECONNREFUSED', nth: 1 }),
      faultFromJson({ service: 'db', syscall: 'fsync', action: 'deny', errno: 'EIO', nth: 2 }),
    ],
  },
  slow: {
    bug: {
      hits: (f) => f.some((c) => c.family === 'recvfrom' && c.action === 'delay' && (c.delayMs ?? 0) >= 500),
      verdict: (_r, o) => ({ kind: 'timeout' as const, timeoutMs: o.timeoutMs }),
    },
    minimal: [faultFromJson({ service: 'api', syscall: 'recvfrom', action: 'delay', delay_ms: 500, nth: 1 })],
  },
};

function setup(bug: Omit<PlantedBug, 'scenario' | 'name'>, probability?: number, seed = 1) {
  const runner = new SimulatedRunner({
    scenarios: { s: SCRIPT },
    bugs: [{ name: 'b', scenario: 's', ...bug, ...(probability !== undefined ? { probability } : {}) }],
    seed,
  });
  const families = FAMILIES.map((f) => f.name);
  return runner.record('s', families, new AbortController().signal).then((rec) => {
    const census = makeCensus({ specHash: 'h', faultboxVersion: 'v', families, scenarios: { s: buildScenarioCensus(rec, families) } });
    const space = buildFaultSpace(census, ['s'], resolveSpaceSettings(undefined, { maxDelayMs: 2000 }));
    const domain = shrinkDomainFor(census, space, 's');
    const executor = new CaseExecutor({ runner, seed: 1, deadlineFor: () => ({ ms: 1000 }) });
    return { runner, space, domain, executor };
  });
}

/** Checks 1-minimality by trying every single simplifying move against a deterministic oracle. */
async function assertOneMinimal(faults: InjectedFault[], domain: ShrinkDomain, oracle: ShrinkOracle): Promise<void> {
  const passes = async (c: InjectedFault[]) => (await oracle(canonicalFaultSet(c))) === 'pass';
  expect(await oracle(faults)).toBe('fail');
  for (let i = 0; i < faults.length; i++) {
    const f = faults[i]!;
    const other = (g: InjectedFault) => faults.map((x, j) => (j === i ? g : x));
    if (faults.length > 1) expect(await passes(faults.filter((_, j) => j !== i))).toBe(true);
    const { action, trigger } = f;
    if (trigger.nth !== undefined && trigger.nth > 1) expect(await passes(other({ ...f, trigger: { ...trigger, nth: trigger.nth - 1 } }))).toBe(true);
    if (action.kind === 'deny') {
      const list = domain.errnos(f.keyword);
      for (const errno of list.slice(0, list.indexOf(action.errno))) expect(await passes(other({ ...f, action: { kind: 'deny', errno } }))).toBe(true);
    }
    if (action.kind === 'delay') {
      for (const ms of domain.delayLadderMs.filter((d) => d < action.ms)) expect(await passes(other({ ...f, action: { kind: 'delay', ms } }))).toBe(true);
    }
    if (trigger.nth === undefined) {
      const after = trigger.after ?? 0;
      const { after: _a, ...rest } = trigger;
      expect(await passes(other({ ...f, trigger: { ...rest, nth: after + 1 } }))).toBe(true);
      if (after + 1 < domain.countFor(f)!) expect(await passes(other({ ...f, trigger: { ...trigger, after: after + 1 } }))).toBe(true);
    }
  }
}

/** The fault set with every path-aimed nth fault rewritten to the family-level call it hits. */
function atFamilyLevel(faults: readonly InjectedFault[], domain: ShrinkDomain): InjectedFault[] {
  return faults.map((f) => {
    const { nth } = f.trigger;
    if (f.pathGlob === undefined || nth === undefined) return f;
    const { pathGlob: _p, ...rest } = f;
    return { ...rest, trigger: { ...f.trigger, nth: domain.familyOccurrence(f, nth)! } };
  });
}

const KIND: Record<string, string> = { pair: 'crash', slow: 'timeout' };
/** Runner executions per shrink, from a cold cache (each start gets a fresh executor). */
const coldShrinkRuns: number[] = [];
const byBug: Record<string, number[]> = {};

describe('domain shrinking', () => {
  for (const [name, { bug, minimal }] of Object.entries(BUGS)) {
    it(`shrinks every failing single/pair of "${name}" to exactly the planted 1-minimal set`, async () => {
      const { space, domain, executor, runner } = await setup(bug);
      const sp = space.scenarios[0]!;
      const singles = [...enumerateSingles(sp)];
      const starts: InjectedFault[][] = [];
      const sig = new AbortController().signal;
      // Failing singles, and the planted set padded with two unrelated faults.
      for (const f of singles) {
        const o = await executor.memoized({ scenario: 's', faults: [f] }, 'explore', sig);
        if (o!.outcome.cls === 'failure') starts.push([f]);
      }
      for (let i = 0; i + 7 < singles.length && starts.length < 40; i += 7) {
        starts.push(canonicalFaultSet([singles[i]!, singles[i + 7]!, ...minimal]));
      }
      expect(starts.length).toBeGreaterThan(0);
      const kind = KIND[name] ?? 'fail';
      let shrunk = 0;
      for (const start of starts) {
        const cold = new CaseExecutor({ runner, seed: 1, deadlineFor: () => ({ ms: 1000 }) });
        const oracle = failureOracle({ executor: cold, scenario: 's', matches: (v) => v.kind === kind, attempts: 1, signal: sig, maxRuns: 1000 });
        if ((await oracle(start)) !== 'fail') continue; // padding that happens to mask the bug
        const before = oracle.runsSpent();
        const res = await shrinkFaultSet(start, domain, oracle);
        coldShrinkRuns.push(oracle.runsSpent() - before);
        (byBug[`${name}/${start.length === 1 ? 'single' : 'padded'}`] ??= []).push(oracle.runsSpent() - before);
        shrunk++;
        expect(res.minimal).toBe(true);
        // A start aimed by path= keeps its aim (1-minimal among the calls its site names, checked
        // below); one at family level shrinks to exactly the planted set.
        if (res.faults.every((f) => f.pathGlob === undefined)) expect(faultSetKey(res.faults)).toBe(faultSetKey(minimal));
        await assertOneMinimal(res.faults, domain, oracle);
      }
      expect(shrunk).toBeGreaterThan(0);
    });
  }

  it('spends a median of at most 30 runs per shrink on these planted bugs (cold cache)', () => {
    const sorted = [...coldShrinkRuns].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)]!;
    const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    console.log(Object.entries(byBug).map(([k, xs]) => `${k}: n=${xs.length} median=${med(xs)} max=${Math.max(...xs)}`).join('\n'));
    console.log(`shrink runs over ${sorted.length} shrinks: min ${sorted[0]}, median ${median}, p90 ${sorted[Math.floor(sorted.length * 0.9)]}, max ${sorted.at(-1)}`);
    expect(sorted.length).toBeGreaterThan(20);
    expect(median).toBeLessThanOrEqual(30);
  });

  it('is flake-aware: a 50% bug still shrinks to its planted set when candidates get enough re-runs', async () => {
    const { domain, executor } = await setup(BUGS.nth4!.bug, 0.5, 99);
    const sig = new AbortController().signal;
    const start = canonicalFaultSet([
      faultFromJson({ service: 'db', syscall: 'write', action: 'deny', errno: 'EDQUOT' }),
      faultFromJson({ service: 'api', syscall: 'recvfrom', action: 'delay', delay_ms: 100, nth: 2 }),
    ]);
    const oracle = failureOracle({ executor, scenario: 's', matches: (v) => v.kind === 'fail', attempts: attemptsForRate(0.5), signal: sig, maxRuns: 500 });
    expect(attemptsForRate(0.5)).toBe(5);
    let res;
    // The starting case must fail once to be a failure at all.
    while ((await oracle(start)) !== 'fail');
    res = await shrinkFaultSet(start, domain, oracle);
    expect(faultSetKey(res.faults)).toBe(faultSetKey(BUGS.nth4!.minimal));
  });

  it('stops when the oracle says stop and reports the set as not minimal', async () => {
    const { domain } = await setup(BUGS.nth4!.bug);
    let asked = 0;
    const start = [faultFromJson({ service: 'db', syscall: 'write', action: 'deny', errno: 'ENOSPC', nth: 4 })];
    const res = await shrinkFaultSet(start, domain, async () => (++asked > 1 ? 'stop' : 'pass'));
    expect(res.minimal).toBe(false);
    expect(res.faults).toEqual(start);
    expect(asked).toBe(2);
  });

  it('keeps a path-filtered nth fault aimed at its site (the same call on replay), not re-addressed at family level', async () => {
    const { domain, executor } = await setup(BUGS.nth4!.bug);
    const sig = new AbortController().signal;
    // The 4th write is the 3rd WAL write.
    const start = [faultFromJson({ service: 'db', syscall: 'write', action: 'deny', errno: 'EIO', nth: 3, path: '/wal/*.log' })];
    const oracle = failureOracle({ executor, scenario: 's', matches: (v) => v.kind === 'fail', attempts: 1, signal: sig, maxRuns: 100 });
    expect(await oracle(start)).toBe('fail');
    const res = await shrinkFaultSet(start, domain, oracle);
    expect(res.faults).toEqual(start);
    expect(atFamilyLevel(res.faults, domain)).toEqual(BUGS.nth4!.minimal);
  });

  it('moves a crash toward the earliest crash point and toward a plain crash (no lost writes)', async () => {
    const { domain } = await setup(BUGS.nth4!.bug);
    const power = faultFromJson({ service: 'db', syscall: 'write', action: 'crash', lose_unsynced: true, nth: 3, path: '/wal/*.log' });
    // Fails whenever any crash reaches the 2nd WAL write or later, lost writes or not.
    const res = await shrinkFaultSet([power], domain, async ([f]) => ((f!.trigger.nth ?? 0) >= 2 && f!.action.kind === 'crash' ? 'fail' : 'pass'));
    expect(res.faults).toEqual([faultFromJson({ service: 'db', syscall: 'write', action: 'crash', nth: 2, path: '/wal/*.log' })]);
    // A bug only a power loss shows keeps lose_unsynced.
    const lossOnly = await shrinkFaultSet([power], domain, async ([f]) => (losesUnsynced(f!) ? 'fail' : 'pass'));
    expect(lossOnly.faults).toEqual([{ ...power, trigger: { nth: 1 } }]);
  });

  it('never swaps a transient errno (EINTR, EAGAIN) into a lasting fault', async () => {
    const { domain } = await setup(BUGS.nth4!.bug);
    // write's errno order: EIO, ENOSPC, EDQUOT, EINTR, EAGAIN, EFBIG, ...
    const start = [faultFromJson({ service: 'db', syscall: 'write', action: 'deny', errno: 'EFBIG', after: 1 })];
    const asked: string[] = [];
    await shrinkFaultSet(start, domain, async (faults) => {
      asked.push(faults.map((f) => errnoOf(f) ?? '-').join('+'));
      return 'pass';
    });
    expect(asked).toContain('EIO');
    expect(asked.some((e) => e === 'EINTR' || e === 'EAGAIN')).toBe(false);
  });

  it('needs more re-runs for flakier failures', () => {
    expect(attemptsForRate(1)).toBe(1);
    expect(attemptsForRate(0.9)).toBe(2);
    expect(attemptsForRate(0.5)).toBe(5);
    expect(attemptsForRate(0.1)).toBe(6);
  });
});

describe('shrinking across interacting rules of one family', () => {
  it('turns "delay the 1st write + deny the 1st WAL write after it" into the single call it hits', async () => {
    const { domain, executor } = await setup(BUGS.nth4!.bug);
    const sig = new AbortController().signal;
    // Writes: 1 wal, 2 t, 3 wal, 4 wal, ... The delay decides write 1, so the WAL rule's 2nd WAL
    // write is write 4 (the planted one). Dropping either fault alone passes.
    const start = canonicalFaultSet([
      faultFromJson({ service: 'db', syscall: 'write', action: 'delay', delay_ms: 100, nth: 1 }),
      faultFromJson({ service: 'db', syscall: 'write', action: 'deny', errno: 'EIO', nth: 2, path: '/wal/*.log' }),
    ]);
    const oracle = failureOracle({ executor, scenario: 's', matches: (v) => v.kind === 'fail', attempts: 1, signal: sig, maxRuns: 100 });
    expect(await oracle(start)).toBe('fail');
    expect(await oracle([start[0]!])).toBe('pass');
    expect(await oracle([start[1]!])).toBe('pass');
    const res = await shrinkFaultSet(start, domain, oracle);
    expect(res.faults).toHaveLength(1);
    expect(atFamilyLevel(res.faults, domain)).toEqual(BUGS.nth4!.minimal);
  });
});
