// Case generation over a scenario's fault space: a deterministic enumeration of every single fault
// (the k=1 space is exhausted before anything else), and seeded fast-check arbitraries for fault
// sets. A fault is drawn as integer indices mapped onto the space (`.map`, never `.chain`), laid out
// so fast-check's own shrinking heads for fewer faults, earlier occurrences, the family's first
// errno and shorter delays; `scenarioProperty` makes a recorded {seed, path} replayable in fc.check.
import fc from 'fast-check';
import { canonicalFaultSet, faultKey, type FaultSet, type InjectedFault } from '../faults.js';
import { faultAt, type ScenarioSpace } from './space.js';

/**
 * Every single fault of the space, once, in canonical order: by "level" = trigger index + action
 * index (so the simplest variant of every target comes first), then target order, then action.
 */
export function* enumerateSingles(space: ScenarioSpace): Generator<InjectedFault> {
  for (const { fault } of enumerateSinglesByTarget(space)) yield fault;
}

/** enumerateSingles, with the index in `space.targets` of the target each fault was drawn from, its trigger's index there, and its level. */
export function* enumerateSinglesByTarget(
  space: ScenarioSpace,
): Generator<{ readonly fault: InjectedFault; readonly target: number; readonly trigger: number; readonly level: number }> {
  const maxLevel = space.targets.reduce((m, t) => Math.max(m, t.triggers.length - 1 + t.actions.length - 1), -1);
  for (let level = 0; level <= maxLevel; level++) {
    for (let g = 0; g < space.targets.length; g++) {
      const target = space.targets[g]!;
      const A = target.actions.length;
      const T = target.triggers.length;
      for (let a = 0; a < A && a <= level; a++) {
        const t = level - a;
        if (t < T) yield { fault: faultAt(target, t, a), target: g, trigger: t, level };
      }
    }
  }
}

/** Integer ranges used to draw a fault; indices are scaled onto each target's own lists. */
function drawRanges(space: ScenarioSpace): { maxT: number; maxA: number } {
  let maxT = 1;
  let maxA = 1;
  for (const t of space.targets) {
    maxT = Math.max(maxT, t.triggers.length);
    maxA = Math.max(maxA, t.actions.length);
  }
  return { maxT, maxA };
}

/** One fault of the space. Tuple order = shrink priority: occurrence, then action, then target. */
export function faultArbitrary(space: ScenarioSpace): fc.Arbitrary<InjectedFault> {
  if (space.targets.length === 0) throw new Error(`internal: scenario ${space.scenario} has an empty fault space`);
  const { maxT, maxA } = drawRanges(space);
  return fc
    .tuple(
      fc.integer({ min: 0, max: maxT - 1 }),
      fc.integer({ min: 0, max: maxA - 1 }),
      fc.integer({ min: 0, max: space.targets.length - 1 }),
    )
    .map(([t, a, g]) => {
      const target = space.targets[g]!;
      // Monotone scaling: a smaller draw never maps to a later trigger or action.
      const ti = Math.floor((t * target.triggers.length) / maxT);
      const ai = Math.floor((a * target.actions.length) / maxA);
      return faultAt(target, ti, ai);
    });
}

/** A canonical fault set of `minFaults..maxFaults` distinct faults. */
export function faultSetArbitrary(
  space: ScenarioSpace,
  opts: { minFaults: number; maxFaults: number },
): fc.Arbitrary<InjectedFault[]> {
  return fc
    .uniqueArray(faultArbitrary(space), { minLength: opts.minFaults, maxLength: opts.maxFaults, selector: faultKey })
    .map((faults) => canonicalFaultSet(faults));
}

/** The arbitrary the combinations phase samples from. */
export function combinationArbitrary(space: ScenarioSpace, maxFaults: number): fc.Arbitrary<InjectedFault[]> {
  return faultSetArbitrary(space, { minFaults: 2, maxFaults });
}

/** Can the space hold a combination at all? */
export function hasCombinations(space: ScenarioSpace, maxFaults: number): boolean {
  return maxFaults >= 2 && space.singles >= 2;
}

export interface DrawnCase {
  /** fast-check path of this value: its index in the seeded stream. */
  readonly path: string;
  readonly faults: FaultSet;
}

/**
 * The seeded, infinite stream of combinations for one scenario. Value i is exactly what
 * `fc.check(scenarioProperty(...), { seed, path: String(i), endOnFailure: true })` evaluates first.
 */
export function* combinationStream(space: ScenarioSpace, seed: number, maxFaults: number, batch = 256): Generator<DrawnCase> {
  const arb = combinationArbitrary(space, maxFaults);
  for (let start = 0; ; start += batch) {
    const values = fc.sample(arb, { seed, path: String(start), numRuns: batch });
    for (let i = 0; i < values.length; i++) yield { path: String(start + i), faults: values[i]! };
  }
}

/** One property per scenario: "with these faults armed, the scenario still holds". */
export function scenarioProperty(
  space: ScenarioSpace,
  maxFaults: number,
  predicate: (faults: InjectedFault[]) => Promise<boolean>,
): fc.IAsyncProperty<[InjectedFault[]]> {
  return fc.asyncProperty(combinationArbitrary(space, maxFaults), predicate);
}

/** Number of distinct fault sets of size 2..maxFaults over `singles` faults. */
export function combinationCount(singles: number, maxFaults: number): number {
  let total = 0;
  let c = 1;
  for (let k = 1; k <= Math.min(maxFaults, singles); k++) {
    c = (c * (singles - k + 1)) / k;
    if (k >= 2) total += c;
  }
  return Math.round(total);
}

/**
 * Every combination of size 2..maxFaults in canonical index order (for sweeping what sampling
 * missed once a small space stalls). Faults are taken from `singles` (the enumeration order).
 */
export function* enumerateCombinations(singles: readonly InjectedFault[], maxFaults: number): Generator<InjectedFault[]> {
  const n = singles.length;
  for (let k = 2; k <= Math.min(maxFaults, n); k++) {
    const idx = Array.from({ length: k }, (_, i) => i);
    for (;;) {
      yield canonicalFaultSet(idx.map((i) => singles[i]!));
      let p = k - 1;
      while (p >= 0 && idx[p] === n - k + p) p--;
      if (p < 0) break;
      idx[p]!++;
      for (let q = p + 1; q < k; q++) idx[q] = idx[q - 1]! + 1;
    }
  }
}
