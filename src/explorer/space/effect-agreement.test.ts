// The explorer predicts which recorded calls a fault set decides (effect.ts, over the census);
// the supervisor decides them for real (armed-rules.ts). If the two ever disagree, shrinking
// and re-aiming go astray without any error, so a property test holds them to one meaning on
// generated call sequences and rules.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SyscallEvent } from '../../spec/events.js';
import { syscallNumber } from '../../runtime/kernel/syscall-table.js';
import { ArmedRuleSet } from '../../runtime/supervisor/armed-rules.js';
import { buildScenarioCensus } from '../census/census.js';
import { callSequenceOf, decidedCalls } from './effect.js';
import { canonicalFaultSet, faultSetToRules, type InjectedFault } from '../faults.js';
import { faultFromJson } from '../corpus/fault-json.js';

const PATHS = ['/data/wal/000001.log', '/data/wal/000002.log', '/data/base/16384', '/data/pg_control', 'socket:[41]', 'anon_inode:[eventfd]'];

const callsArb = fc.array(fc.constantFrom(...PATHS), { minLength: 1, maxLength: 14 });

function faultArb(globs: readonly string[]): fc.Arbitrary<InjectedFault> {
  return fc
    .record({
      trigger: fc.oneof(
        fc.record({ nth: fc.integer({ min: 1, max: 8 }) }),
        fc.record({ after: fc.integer({ min: 0, max: 6 }) }),
        fc.constant({}),
      ),
      count: fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }),
      path: fc.option(fc.constantFrom(...globs), { nil: undefined }),
      action: fc.constantFrom('deny' as const, 'delay' as const),
    })
    .map(({ trigger, count, path, action }) => faultFromJson({
      service: 'db',
      syscall: 'write',
      action,
      ...(action === 'deny' ? { errno: 'EIO' as const } : { delay_ms: 100 }),
      ...trigger,
      // nth with count is refused by the spec; keep the generated rules valid.
      ...(count !== undefined && !('nth' in trigger) ? { count } : {}),
      ...(path !== undefined ? { path } : {}),
    }));
}

/** The supervisor's decisions over the same calls: occurrence → index of the deciding rule. */
function supervisorDecisions(faults: readonly InjectedFault[], paths: readonly string[]): Map<number, number> {
  const rules = faultSetToRules(faults);
  const set = ArmedRuleSet.arm('db', rules, 1);
  const candidates = set.rulesFor(syscallNumber('write'))!;
  const decided = new Map<number, number>();
  let occurrence = 0;
  for (const path of paths) {
    const target = { path: () => path, peer: () => undefined, onRuntimeFd: () => path.startsWith('anon_inode:') };
    const hit = set.match(candidates, target);
    // The census leaves runtime descriptors out of the occurrences, as path-less rules do.
    if (path.startsWith('anon_inode:')) {
      if (hit) decided.set(-1, rules.findIndex((r) => r.id === hit.id));
      continue;
    }
    occurrence++;
    if (hit) decided.set(occurrence, rules.findIndex((r) => r.id === hit.id));
  }
  return decided;
}

describe('the explorer predicts what the supervisor decides', () => {
  it('for generated call sequences and rules (nth, after, always, count, path globs)', () => {
    fc.assert(
      fc.property(
        callsArb.chain((paths) => {
          const events: SyscallEvent[] = paths.map((path, i) => ({ type: 'syscall', seq: i + 1, tsMs: i, service: 'db', pid: 1, syscall: 'write', decision: 'trace', path }));
          const census = buildScenarioCensus({ verdict: { kind: 'pass', fired: {}, excerpt: [], durationMs: 1 }, events, bodyWindow: { fromSeq: 1, toSeq: paths.length } }, ['write']);
          const fam = census.services.db?.write;
          const globs = (fam?.sites ?? []).flatMap((s) => (s.glob ? [s.glob] : []));
          return fc.tuple(fc.constant(paths), fc.constant(fam), fc.uniqueArray(faultArb(globs.length > 0 ? globs : ['/nowhere/*']), { minLength: 1, maxLength: 3, selector: (f) => JSON.stringify(f) }));
        }),
        ([paths, fam, faults]) => {
          if (!fam) return; // only runtime descriptors: nothing for the census to predict
          const canon = canonicalFaultSet(faults);
          const predicted = decidedCalls(canon, callSequenceOf(fam));
          if (predicted === undefined) return; // a glob the census does not know: no prediction made
          const actual = supervisorDecisions(canon, paths);
          expect([...actual].sort((a, b) => a[0] - b[0])).toEqual([...predicted].sort((a, b) => a[0] - b[0]));
        },
      ),
      { seed: 20261206, numRuns: 400 },
    );
  });
});
