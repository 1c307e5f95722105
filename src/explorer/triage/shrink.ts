// Domain shrinking of a failing fault set to a 1-minimal one, flake-aware. Greedy passes over
// moves, each of which makes the set strictly simpler, until none still fails:
//   1. drop a fault (as is, then re-aiming the other faults of its family at the calls they hit);
//   2. triggers: nth=n → nth=1 or nth=n-1 (earlier); always/after=n → the latest onset that still
//      fails (binary search up to the recorded count), then after=n → nth=n+1 (one call only);
//   3. errno → any earlier errno of the family list; 4. delay → any shorter ladder delay;
//   5. a crash with lost writes → the same crash without (a plain process crash is simpler).
// A fault aimed by path= or peer= keeps its aim: its nth counts only the calls it names, so it
// hits the same call on replay, where a family-wide nth would shift with any extra call
// (a reconnect, a log line) and name a different one than the regression's comment says.
// At the fixpoint no single move fails any more: dropping any fault, moving any nth earlier,
// taking an earlier errno or a shorter delay all pass (the result is 1-minimal).
// The oracle decides what "still fails" means; `failureOracle` re-runs a candidate enough times
// for the failure's observed reproduction rate before calling it passing.
import { TRANSIENT_ERRNOS, type ErrnoName } from '../../spec/errno.js';
import { canonicalFaultSet, faultSetKey, normalizeFault, type FaultSet, type InjectedFault } from '../faults.js';
import type { Trigger } from '../../spec/model.js';
import type { CaseExecutor } from '../campaign/case-executor.js';
import type { CaseVerdict } from '../runner/runner.js';
import { dropKeepingAim, type CallSequence } from '../space/effect.js';

export type OracleAnswer = 'fail' | 'pass' | 'stop';
export type ShrinkOracle = (faults: InjectedFault[]) => Promise<OracleAnswer>;

/** What the shrinker needs to know about the space a failure lives in. */
export interface ShrinkDomain {
  /** Calls a rule on (service, family, path) counts in the happy path; undefined if unknown. */
  countFor(f: InjectedFault): number | undefined;
  /** Family-level occurrence number of the k-th call a path-filtered rule counts. */
  familyOccurrence(f: InjectedFault, k: number): number | undefined;
  /** Errnos of the family in shrink order (earliest = simplest). */
  errnos(family: string): readonly ErrnoName[];
  /** Delays in ms, ascending. */
  readonly delayLadderMs: readonly number[];
  /** The recorded calls of the fault's (service, family), for re-aiming faults after a drop. */
  callSequence?(f: InjectedFault): CallSequence | undefined;
  /** Whether the fault's errno is one the calls it hits can really return (errno-fit.ts). */
  fits?(f: InjectedFault): boolean;
}

export interface ShrinkResult {
  readonly faults: InjectedFault[];
  /** False when the oracle stopped the shrink (budget) before a fixpoint. */
  readonly minimal: boolean;
  /** Oracle questions asked (cached answers included). */
  readonly questions: number;
  /** Moves accepted. */
  readonly steps: number;
}

class StopShrink extends Error {}

export async function shrinkFaultSet(start: FaultSet, domain: ShrinkDomain, oracle: ShrinkOracle): Promise<ShrinkResult> {
  let current = canonicalFaultSet(start);
  let questions = 0;
  let steps = 0;
  const asked = new Map<string, OracleAnswer>();
  const fails = async (candidate: InjectedFault[]): Promise<boolean> => {
    const canon = canonicalFaultSet(candidate);
    if (canon.length === 0) return false; // the fault-free run passed when the census was recorded
    // A move onto an errno the hit call cannot return would make the finding unreal: rejected.
    if (domain.fits && !canon.every((f) => domain.fits!(f))) return false;
    const key = faultSetKey(canon);
    let answer = asked.get(key);
    if (answer === undefined) {
      questions++;
      answer = await oracle(canon);
      if (answer === 'stop') throw new StopShrink();
      asked.set(key, answer);
    }
    return answer === 'fail';
  };
  try {
    for (;;) {
      const next =
        (await dropOne(current, fails)) ?? (await dropOneKeepingAim(current, domain, fails)) ?? (await simplifyOne(current, domain, fails));
      if (!next) return { faults: current, minimal: true, questions, steps };
      current = canonicalFaultSet(next);
      steps++;
    }
  } catch (err) {
    if (err instanceof StopShrink) return { faults: current, minimal: false, questions, steps };
    throw err;
  }
}

type Fails = (candidate: InjectedFault[]) => Promise<boolean>;

function replaced(set: readonly InjectedFault[], i: number, f: InjectedFault): InjectedFault[] {
  return set.map((g, j) => (j === i ? normalizeFault(f) : g));
}

async function dropOne(set: InjectedFault[], fails: Fails): Promise<InjectedFault[] | undefined> {
  if (set.length < 2) return undefined;
  for (let i = 0; i < set.length; i++) {
    const candidate = set.filter((_, j) => j !== i);
    if (await fails(candidate)) return candidate;
  }
  return undefined;
}

type Step = (set: InjectedFault[], i: number, domain: ShrinkDomain, fails: Fails) => Promise<InjectedFault[] | undefined>;

/** The first candidate of `move` that still fails. */
function firstFailing(move: (f: InjectedFault, domain: ShrinkDomain) => InjectedFault[]): Step {
  return async (set, i, domain, fails) => {
    for (const g of move(set[i]!, domain)) {
      const candidate = replaced(set, i, g);
      if (await fails(candidate)) return candidate;
    }
    return undefined;
  };
}

const withTrigger = (f: InjectedFault, trigger: Trigger): InjectedFault => ({ ...f, trigger });

const earlierNth = (f: InjectedFault): InjectedFault[] => {
  const { nth } = f.trigger;
  if (nth === undefined || nth <= 1) return [];
  const out = [withTrigger(f, { ...f.trigger, nth: 1 })];
  if (nth - 1 > 1) out.push(withTrigger(f, { ...f.trigger, nth: nth - 1 }));
  return out;
};

const narrowAfter = (f: InjectedFault): InjectedFault[] => {
  const { nth, after, count } = f.trigger;
  if (nth !== undefined || count !== undefined) return [];
  return [withTrigger(f, { nth: (after ?? 0) + 1 })];
};

const earlierErrno = (f: InjectedFault, domain: ShrinkDomain): InjectedFault[] => {
  const { action } = f;
  if (action.kind !== 'deny') return [];
  const list = domain.errnos(f.keyword);
  const at = list.indexOf(action.errno);
  const earlier = at < 0 ? list : list.slice(0, at);
  // A transient errno is only ever tried on one call (nth): never swap one in for a lasting fault.
  return earlier
    .filter((errno) => f.trigger.nth !== undefined || !TRANSIENT_ERRNOS.has(errno))
    .map((errno) => ({ ...f, action: { kind: 'deny', errno } }));
};

const shorterDelay = (f: InjectedFault, domain: ShrinkDomain): InjectedFault[] => {
  const { action } = f;
  if (action.kind !== 'delay') return [];
  return domain.delayLadderMs.filter((ms) => ms < action.ms).map((ms) => ({ ...f, action: { kind: 'delay', ms } }));
};

/**
 * For always/after=n: the largest onset that still fails, by binary search between the current
 * onset (fails) and the recorded call count (after=count faults nothing). Undefined when the
 * onset cannot move; then after=onset+1 is known to pass.
 */
const raiseOnset: Step = async (set, i, domain, fails) => {
  const f = set[i]!;
  if (f.trigger.nth !== undefined || f.trigger.count !== undefined) return undefined;
  const count = domain.countFor(f);
  if (count === undefined) return undefined;
  const start = f.trigger.after ?? 0;
  let lo = start;
  let hi = count;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (await fails(replaced(set, i, withTrigger(f, { after: mid })))) lo = mid;
    else hi = mid;
  }
  return lo > start ? replaced(set, i, withTrigger(f, { after: lo })) : undefined;
};

const plainCrash = (f: InjectedFault): InjectedFault[] => {
  if (f.action.kind !== 'crash' || !f.action.loseUnsynced) return [];
  return [{ ...f, action: { kind: 'crash', loseUnsynced: false } }];
};

const STEPS: readonly Step[] = [
  firstFailing(earlierNth),
  raiseOnset,
  firstFailing(narrowAfter),
  firstFailing(earlierErrno),
  firstFailing(shorterDelay),
  firstFailing(plainCrash),
];

/**
 * Drop a fault while the others of its family keep hitting the calls they hit: with first-fire
 * counting, removing a rule shifts the counters of the rules after it on the same family.
 */
async function dropOneKeepingAim(set: InjectedFault[], domain: ShrinkDomain, fails: Fails): Promise<InjectedFault[] | undefined> {
  if (set.length < 2 || !domain.callSequence) return undefined;
  const seqFor = (f: InjectedFault) => domain.callSequence!(f);
  for (let i = 0; i < set.length; i++) {
    const candidate = dropKeepingAim(set, i, seqFor);
    if (candidate && (await fails(candidate))) return candidate;
  }
  return undefined;
}

async function simplifyOne(set: InjectedFault[], domain: ShrinkDomain, fails: Fails): Promise<InjectedFault[] | undefined> {
  for (let i = 0; i < set.length; i++) {
    for (const step of STEPS) {
      const next = await step(set, i, domain, fails);
      if (next) return next;
    }
  }
  return undefined;
}

/** Candidate re-runs needed before calling it passing, for a failure reproducing at `rate`. */
export function attemptsForRate(rate: number, maxAttempts = 6): number {
  if (rate >= 1) return 1;
  if (rate <= 0) return maxAttempts;
  // Enough runs that a still-failing candidate is missed with probability <= 5%.
  return Math.max(1, Math.min(maxAttempts, Math.ceil(Math.log(0.05) / Math.log(1 - rate))));
}

/**
 * "Does this candidate still fail the same way?" A remembered failure with the same symptom
 * answers yes at once; otherwise the candidate is run until it fails or has passed `attempts`
 * times in total. Other failures count as passing (the shrink must not slip to a different bug).
 */
export function failureOracle(args: {
  executor: CaseExecutor;
  scenario: string;
  /** Whether a failing verdict is the failure being shrunk (same symptom). */
  matches: (v: CaseVerdict) => boolean;
  attempts: number;
  signal: AbortSignal;
  /** Stop (answer 'stop') once this many runs were spent. */
  maxRuns: number;
  onRun?: () => void;
}): ShrinkOracle & { readonly runsSpent: () => number } {
  let spent = 0;
  let infraInARow = 0;
  const oracle = async (faults: InjectedFault[]): Promise<OracleAnswer> => {
    const c = { scenario: args.scenario, faults };
    const sameFailure = (o: { cls: string; verdict: CaseVerdict }) => o.cls === 'failure' && args.matches(o.verdict);
    const past = args.executor.history(c);
    if (past.some(sameFailure)) return 'fail';
    let passes = past.filter((o) => o.cls !== 'infra-error').length;
    while (passes < args.attempts) {
      if (spent >= args.maxRuns || args.signal.aborted) return 'stop';
      const o = await args.executor.execute(c, 'shrink', args.signal);
      if (!o) return 'stop';
      spent++;
      args.onRun?.();
      if (o.cls === 'infra-error') {
        if (++infraInARow >= 3) return 'stop';
        continue;
      }
      infraInARow = 0;
      if (sameFailure(o)) return 'fail';
      passes++;
    }
    return 'pass';
  };
  return Object.assign(oracle, { runsSpent: () => spent });
}
