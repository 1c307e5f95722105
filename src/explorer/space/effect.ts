// Which recorded calls a fault set would decide, replaying the runtime's matching rules over the
// census: rules are walked in canonical order; a rule counts a call it matches (service, family,
// path glob) only when no earlier rule fired on that call; the first rule that fires decides.
// The shrinker uses it to drop a fault while re-aiming the others at the calls they really hit
// (two rules on one family shift each other's counters).
import type { FamilyCensus } from '../census/census.js';
import { canonicalFaultSet, delayMsOf, errnoOf, losesUnsynced, normalizeFault, type FaultSet, type InjectedFault } from '../faults.js';
import { armTrigger, shouldFire, type ArmedTrigger } from '../../spec/trigger.js';

/** The recorded calls of one (service, family): count and which calls each file glob matches. */
export interface CallSequence {
  readonly count: number;
  /** Calls a fault's path or peer glob matches; undefined when the census does not know the glob. */
  matching(f: Pick<InjectedFault, 'pathGlob' | 'peerGlob'>): ReadonlySet<number> | undefined;
}

export function callSequenceOf(fc: FamilyCensus): CallSequence {
  const byPath = new Map<string, ReadonlySet<number>>();
  const byPeer = new Map<string, ReadonlySet<number>>();
  for (const s of fc.sites) {
    if (s.glob !== undefined) byPath.set(s.glob, new Set(s.occurrences));
    if (s.peerGlob !== undefined) byPeer.set(s.peerGlob, new Set(s.occurrences));
  }
  return { count: fc.count, matching: (f) => (f.pathGlob !== undefined ? byPath.get(f.pathGlob) : f.peerGlob !== undefined ? byPeer.get(f.peerGlob) : undefined) };
}

const isAimed = (f: InjectedFault) => f.pathGlob !== undefined || f.peerGlob !== undefined;

/** The runtime's trigger decision (spec/trigger.ts); explorer faults are never probabilistic. */
function fires(trigger: ArmedTrigger, counter: number, firedSoFar: number): boolean {
  return shouldFire(trigger, counter, firedSoFar, 0, 0);
}

/**
 * Occurrence → index (into `faults`, which must be canonical and all on one service and family)
 * of the fault deciding that call. Undefined when a fault's path glob is unknown to the census.
 */
export function decidedCalls(faults: readonly InjectedFault[], seq: CallSequence): Map<number, number> | undefined {
  const matchers = faults.map((f) => (isAimed(f) ? seq.matching(f) : undefined));
  if (faults.some((f, i) => isAimed(f) && matchers[i] === undefined)) return undefined;
  const triggers = faults.map((f, i) => armTrigger(f.trigger, `f${i + 1}`));
  const counters = faults.map(() => 0);
  const firedSoFar = faults.map(() => 0);
  const decided = new Map<number, number>();
  for (let occ = 1; occ <= seq.count; occ++) {
    for (let i = 0; i < faults.length; i++) {
      const m = matchers[i];
      if (m !== undefined && !m.has(occ)) continue;
      counters[i]!++;
      if (fires(triggers[i]!, counters[i]!, firedSoFar[i]!)) {
        firedSoFar[i]!++;
        decided.set(occ, i);
        break;
      }
    }
  }
  return decided;
}

const actionOf = (f: InjectedFault) => `${f.action.kind}|${errnoOf(f) ?? ''}|${delayMsOf(f) ?? ''}|${losesUnsynced(f) ? 'lost' : ''}`;

/**
 * `set` without fault `drop`, with the other faults of the same service and family that decided
 * exactly one recorded call re-aimed (family-level nth) so that each still decides that call.
 * Undefined when nothing needed re-aiming or the census cannot say.
 */
export function dropKeepingAim(set: FaultSet, drop: number, seqFor: (f: InjectedFault) => CallSequence | undefined): InjectedFault[] | undefined {
  const canon = canonicalFaultSet(set);
  const gone = canon[drop];
  if (!gone) return undefined;
  const sameFamily = (f: InjectedFault) => f.service === gone.service && f.keyword === gone.keyword;
  const family = canon.filter(sameFamily);
  const seq = seqFor(gone);
  if (family.length < 2 || !seq) return undefined;
  const before = decidedCalls(family, seq);
  if (!before) return undefined;
  const goneIdx = family.indexOf(gone);
  const wanted = new Map<number, string>(); // occurrence → action that must still decide it
  const callsOf = new Map<number, number[]>(); // fault index → occurrences it decided
  for (const [occ, i] of before) {
    if (i === goneIdx) continue;
    wanted.set(occ, actionOf(family[i]!));
    callsOf.set(i, [...(callsOf.get(i) ?? []), occ]);
  }
  const aimed = family.flatMap((f, i): { fault: InjectedFault; target?: number }[] => {
    if (i === goneIdx) return [];
    const calls = callsOf.get(i);
    if (calls?.length !== 1) return [{ fault: f }];
    const { pathGlob: _p, peerGlob: _q, ...rest } = f;
    return [{ fault: normalizeFault({ ...rest, trigger: { nth: calls[0]! } }), target: calls[0]! }];
  });
  if (!aimed.some((a) => a.target !== undefined)) return undefined;
  const simulate = () => decidedCalls(canonicalFaultSet(aimed.map((a) => a.fault)), seq);
  // First-fire counting hides calls decided by earlier rules, so an nth may need to be lower.
  for (let pass = 0; pass < 2; pass++) {
    for (const a of [...aimed].sort((x, y) => (x.target ?? 0) - (y.target ?? 0))) {
      if (a.target === undefined) continue;
      for (let n = a.target; n >= 1; n--) {
        a.fault = normalizeFault({ ...a.fault, trigger: { nth: n } });
        const faults = canonicalFaultSet(aimed.map((x) => x.fault));
        const sim = decidedCalls(faults, seq);
        const at = sim?.get(a.target);
        if (at !== undefined && actionOf(faults[at]!) === actionOf(a.fault)) break;
      }
    }
  }
  const after = simulate();
  if (!after || after.size !== wanted.size) return undefined;
  const faults = canonicalFaultSet(aimed.map((x) => x.fault));
  for (const [occ, i] of after) if (wanted.get(occ) !== actionOf(faults[i]!)) return undefined;
  return canonicalFaultSet([...canon.filter((f) => !sameFamily(f)), ...faults]);
}
