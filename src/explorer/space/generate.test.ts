import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SyscallEvent } from '../../spec/events.js';
import { FAMILIES } from '../../spec/syscall-families.js';
import { censusOfEvents } from '../census/census.test-support.js';
import { errnoOf, faultKey, faultSetKey, type InjectedFault } from '../faults.js';
import {
  combinationArbitrary,
  combinationCount,
  combinationStream,
  enumerateCombinations,
  enumerateSingles,
  scenarioProperty,
} from './generate.js';
import { buildFaultSpace, resolveSpaceSettings, type ScenarioSpace } from './space.js';

function space(opts = {}): ScenarioSpace {
  let seq = 0;
  const ev = (service: string, syscall: SyscallEvent['syscall'], path: string): SyscallEvent => ({
    type: 'syscall',
    seq: ++seq,
    tsMs: seq,
    service,
    pid: 1,
    syscall,
    decision: 'trace',
    path,
  });
  const events = [
    ev('db', 'write', '/wal/1.log'),
    ev('db', 'write', '/t/2'),
    ev('db', 'write', '/wal/1.log'),
    ev('db', 'write', '/wal/1.log'),
    ev('db', 'fsync', '/wal/1.log'),
    ev('api', 'sendto', 'socket:[3]'),
    ev('api', 'recvfrom', 'socket:[3]'),
  ];
  const census = censusOfEvents(events);
  return buildFaultSpace(census, ['s'], resolveSpaceSettings(undefined, { maxDelayMs: 1000, ...opts })).scenarios[0]!;
}

const take = <T>(it: Iterator<T>, n: number): T[] => Array.from({ length: n }, () => it.next().value as T);

describe('single faults', () => {
  it('are all enumerated exactly once', () => {
    const sp = space();
    const singles = [...enumerateSingles(sp)];
    expect(singles).toHaveLength(sp.singles);
    expect(new Set(singles.map(faultKey)).size).toBe(sp.singles);
  });

  it('start with the simplest variant of every target: nth=1 and the first errno', () => {
    const sp = space();
    const first = [...enumerateSingles(sp)].slice(0, sp.targets.length);
    const firstErrno = (t: ScenarioSpace['targets'][number]) => (t.actions[0]!.kind === 'deny' ? t.actions[0]!.errno : undefined);
    expect(first.map((f) => [f.service, f.keyword, f.pathGlob, f.trigger.nth, errnoOf(f)])).toEqual(
      sp.targets.map((t) => [t.service, t.family, t.pathGlob, 1, firstErrno(t)]),
    );
    // A target's first errno is its family's first, or the first transient one (EINTR/EAGAIN get a target of their own).
    for (const t of sp.targets) {
      const family = FAMILIES.find((x) => x.name === t.family)!.errnos;
      expect([family[0], family.find((e) => e === 'EINTR' || e === 'EAGAIN')]).toContain(firstErrno(t));
    }
  });
});

describe('combinations', () => {
  it('are the same sequence for the same seed, and differ for another seed', () => {
    const sp = space();
    const a = take(combinationStream(sp, 7, 3, 16), 60);
    const b = take(combinationStream(sp, 7, 3, 64), 60); // batch size must not matter
    const c = take(combinationStream(sp, 8, 3), 60);
    expect(b).toEqual(a);
    expect(c.map((d) => faultSetKey(d.faults))).not.toEqual(a.map((d) => faultSetKey(d.faults)));
    expect(a.map((d) => d.path)).toEqual(a.map((_, i) => String(i)));
  });

  it('hold 2..maxFaults distinct faults drawn from the single-fault space', () => {
    const sp = space();
    const singles = new Set([...enumerateSingles(sp)].map(faultKey));
    for (const d of take(combinationStream(sp, 3, 3), 300)) {
      expect(d.faults.length).toBeGreaterThanOrEqual(2);
      expect(d.faults.length).toBeLessThanOrEqual(3);
      expect(new Set(d.faults.map(faultKey)).size).toBe(d.faults.length);
      for (const f of d.faults) expect(singles.has(faultKey(f))).toBe(true);
    }
  });

  it('record a fast-check path that fc.check replays to the same fault set', async () => {
    const sp = space();
    const drawn = take(combinationStream(sp, 1234, 3), 40);
    for (const i of [0, 17, 39]) {
      let first: unknown;
      const details = await fc.check(
        scenarioProperty(sp, 3, async (faults) => {
          first ??= faults;
          return false;
        }),
        { seed: 1234, path: String(i), endOnFailure: true },
      );
      expect(details.failed).toBe(true);
      expect(first).toEqual(drawn[i]!.faults);
    }
  });

  it('shrink under fast-check toward the earliest occurrence and the first errno', async () => {
    const sp = space();
    const details = await fc.check(
      fc.asyncProperty(combinationArbitrary(sp, 3), async () => false),
      { seed: 5, numRuns: 1 },
    );
    const cex = details.counterexample![0] as InjectedFault[];
    expect(cex).toHaveLength(2); // fewest faults the arbitrary allows
    for (const f of cex) {
      expect(f.trigger.nth).toBe(1);
      // The first action of the target it was drawn from.
      const firsts = sp.targets.filter((t) => t.service === f.service && t.family === f.keyword && t.pathGlob === f.pathGlob).map((t) => t.actions[0]);
      expect(firsts).toContainEqual(f.action);
    }
  });

  it('can be counted and swept exhaustively', () => {
    expect(combinationCount(4, 3)).toBe(6 + 4);
    expect(combinationCount(10, 2)).toBe(45);
    expect(combinationCount(1, 3)).toBe(0);
    const sp = space({ families: ['fsync', 'recvfrom'], delays: false });
    const singles = [...enumerateSingles(sp)];
    const all = [...enumerateCombinations(singles, 3)];
    expect(all).toHaveLength(combinationCount(singles.length, 3));
    expect(new Set(all.map(faultSetKey)).size).toBe(all.length);
  });
});
