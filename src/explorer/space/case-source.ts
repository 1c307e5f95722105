// Where exploration cases come from, in order: every single fault of every scenario (round-robin
// over scenarios, canonical order within one), with pairs of tolerated simplest faults woven in
// once every target's simplest fault has run; then seeded combinations (round-robin again), each
// canonical combination yielded once. Sources depend only on (space, seed) and on the verdicts of
// the cases already run, so every shard sees the same sequence and keeps its own part of it.
import { canonicalFaultSet, faultSetKey, type InjectedFault } from '../faults.js';
import { combinationCount, combinationStream, enumerateCombinations, enumerateSingles, enumerateSinglesByTarget, hasCombinations, type DrawnCase } from './generate.js';
import type { ScenarioSpace } from './space.js';

export interface ExploreCase {
  readonly scenario: string;
  readonly faults: readonly InjectedFault[];
  /** fast-check path (sampled combinations only). */
  readonly path?: string;
  /** Singles: the index of the target (in its scenario's space) the fault was drawn from. */
  readonly target?: number;
  /** Singles: the index of the fault's trigger within its target. */
  readonly trigger?: number;
  /** Singles: trigger index + action index (0 = the target's simplest fault). */
  readonly level?: number;
}

/** Cycles over non-empty iterators, one item each turn, dropping those that run dry. */
function* roundRobin<T>(iterators: Iterator<T>[]): Generator<T> {
  let live = iterators.slice();
  while (live.length > 0) {
    const next: Iterator<T>[] = [];
    for (const it of live) {
      const r = it.next();
      if (!r.done) {
        yield r.value;
        next.push(it);
      }
    }
    live = next;
  }
}

/**
 * Every single fault; `tolerated` (when given) says whether a case that already ran passed with
 * its fault fired. A fault the service survives alone is often covered by a fallback, and the
 * bug is in the fallback: the classic double fault (the store is down and the journal append
 * fails too). So once a scenario's simplest faults (level 0) have all run, the pairs of those it
 * tolerated are tried — alternating with the remaining singles, so neither starves the other.
 * `hung` (when given) says whether a case that already ran timed out: the other errnos of the
 * same target and trigger, and for a lasting fault the same errno from another point on, then
 * wait until every other single has run. A hang costs a whole deadline, and the same call
 * failing at the same point with another errno, or from a later call on, mostly hangs the same
 * way (accept failing with EMFILE, then ENFILE, in a server's accept loop), while the faults
 * still waiting elsewhere may show something new.
 */
export function singlesSource(
  spaces: readonly ScenarioSpace[],
  tolerated?: (c: ExploreCase) => boolean,
  hung?: (c: ExploreCase) => boolean,
): Generator<ExploreCase> {
  return roundRobin(
    spaces.map(function* (space): Generator<ExploreCase> {
      const all = (function* (): Generator<ExploreCase> {
        for (const { fault, target, trigger, level } of enumerateSinglesByTarget(space)) yield { scenario: space.scenario, faults: [fault], target, trigger, level };
      })();
      const singles = hung ? afterHungSiblings(all, hung) : all;
      const simplest: ExploreCase[] = [];
      let next = singles.next();
      while (!next.done && next.value.level === 0) {
        simplest.push(next.value);
        yield next.value;
        next = singles.next();
      }
      // Every level-0 case has run by now: the consumer runs each case before asking for the next.
      const pairs = tolerated ? toleratedPairs(simplest.filter(tolerated)) : [][Symbol.iterator]();
      for (;;) {
        const pair = pairs.next();
        if (!pair.done) yield pair.value;
        if (!next.done) {
          yield next.value;
          next = singles.next();
        }
        if (pair.done && next.done) return;
      }
    }),
  );
}

/**
 * The places a single fault shares with others for `afterHungSiblings`: its target and trigger
 * (another errno at the same point), and for a lasting fault (always, after=) its target and
 * action (the same errno from another point on).
 */
function siblingKeys(c: ExploreCase): string[] {
  const f = c.faults[0]!;
  const keys = [`${c.target}/trigger ${c.trigger}`];
  if (f.trigger.nth === undefined) keys.push(`${c.target}/lasting ${JSON.stringify(f.action)}`);
  return keys;
}

/** `singles` with each fault that shares a target and trigger, or a lasting action, with one that hung moved to the end. */
function* afterHungSiblings(singles: Iterator<ExploreCase>, hung: (c: ExploreCase) => boolean): Generator<ExploreCase> {
  const ranAt = new Map<string, ExploreCase[]>();
  const waiting: ExploreCase[] = [];
  for (let next = singles.next(); !next.done; next = singles.next()) {
    const c = next.value;
    const keys = siblingKeys(c);
    if (keys.some((k) => ranAt.get(k)?.some(hung))) {
      waiting.push(c);
      continue;
    }
    for (const k of keys) {
      const ran = ranAt.get(k);
      if (ran) ran.push(c);
      else ranAt.set(k, [c]);
    }
    yield c;
  }
  yield* waiting;
}

/** Pairs in the order their later member ran (i < j, by j then i): the simplest pairs first. */
function* toleratedPairs(cases: readonly ExploreCase[]): Generator<ExploreCase> {
  for (let j = 1; j < cases.length; j++) {
    for (let i = 0; i < j; i++) {
      const a = cases[i]!;
      const b = cases[j]!;
      yield { scenario: a.scenario, faults: canonicalFaultSet([...a.faults, ...b.faults]) };
    }
  }
}

export interface CombinationOptions {
  /** Consecutive draws without a new combination before sampling is considered stalled. */
  readonly stallLimit?: number;
  /** Spaces with at most this many combinations are swept in canonical order once stalled. */
  readonly sweepLimit?: number;
  /** Called when a space too large to sweep stops yielding new draws (sampling gives up). */
  readonly onGiveUp?: (scenario: string, tried: number, total: number) => void;
}

/**
 * One scenario's combinations: fast-check draws first; when draws stop producing new sets and
 * the space is small, the remaining combinations are swept deterministically so the phase can
 * honestly end as exhausted.
 */
function* combinationsOf(space: ScenarioSpace, seed: number, maxFaults: number, opts: CombinationOptions): Generator<ExploreCase> {
  if (!hasCombinations(space, maxFaults)) return;
  const total = combinationCount(space.singles, maxFaults);
  const stallLimit = opts.stallLimit ?? 500;
  const sweepLimit = opts.sweepLimit ?? 50_000;
  const seen = new Set<string>();
  let stalled = 0;
  const draws: Iterator<DrawnCase> = combinationStream(space, seed, maxFaults);
  while (seen.size < total) {
    if (stalled >= stallLimit && total <= sweepLimit) break;
    if (stalled >= stallLimit * 100) {
      opts.onGiveUp?.(space.scenario, seen.size, total);
      return;
    }
    const d = draws.next().value as DrawnCase;
    const key = faultSetKey(d.faults);
    if (d.faults.length < 2 || seen.has(key)) {
      stalled++;
      continue;
    }
    stalled = 0;
    seen.add(key);
    yield { scenario: space.scenario, faults: d.faults, path: d.path };
  }
  if (seen.size >= total) return;
  const singles = [...enumerateSingles(space)];
  for (const faults of enumerateCombinations(singles, maxFaults)) {
    const key = faultSetKey(faults);
    if (seen.has(key)) continue;
    seen.add(key);
    yield { scenario: space.scenario, faults };
  }
}

export function combinationsSource(
  spaces: readonly ScenarioSpace[],
  seed: number,
  maxFaults: number,
  opts: CombinationOptions = {},
): Generator<ExploreCase> {
  return roundRobin(spaces.map((s) => combinationsOf(s, seed, maxFaults, opts)));
}
