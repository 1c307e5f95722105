// When a matching call is faulted — the one definition, used by the supervisor, the explorer's
// effect prediction and the simulated runner. Pure functions of the rule's trigger, the 1-based occurrence
// number and how often the rule already fired; probability is a hash of (seed, rule id,
// occurrence), never a shared RNG, so a seed replays the same decisions whatever the threads do.
import type { Trigger } from './model.js';

/** The trigger in flat numeric form, checked once when rules are armed (0 / 1 = "not set"). */
export interface ArmedTrigger {
  readonly nth: number;
  readonly after: number;
  /** Infinity when unlimited. */
  readonly count: number;
  /** 1 means always. */
  readonly probability: number;
}

/** The least value of each trigger number: nth and count count calls from 1; after may let none pass. */
const TRIGGER_MINIMUMS = { nth: 1, after: 0, count: 1 } as const;

/**
 * What is wrong with a trigger, said so a user can fix it; undefined when nothing is. The one set
 * of rules, applied where a spec writes a trigger, where a saved fault is read and when a rule is armed.
 */
export function triggerProblem(t: Trigger): string | undefined {
  for (const name of ['nth', 'after', 'count'] as const) {
    const v = t[name];
    const min = TRIGGER_MINIMUMS[name];
    if (v !== undefined && !(Number.isInteger(v) && v >= min)) return `${name} must be an integer >= ${min}, got ${v}`;
  }
  if (t.probability !== undefined && !(t.probability >= 0 && t.probability <= 1)) return `probability must be between 0 and 1, got ${t.probability}`;
  if (t.nth !== undefined && (t.after !== undefined || t.count !== undefined)) {
    return 'nth= fires on exactly one call, so it cannot be combined with after= or count= (use after=N-1, count=1 for the same effect)';
  }
  return undefined;
}

export function armTrigger(t: Trigger, ruleId: string): ArmedTrigger {
  const problem = triggerProblem(t);
  if (problem !== undefined) throw new RangeError(`rule ${ruleId}: ${problem}`);
  return { nth: t.nth ?? 0, after: t.after ?? 0, count: t.count ?? Infinity, probability: t.probability ?? 1 };
}

/**
 * Does the `occurrence`-th matching call (1-based) fire, given the rule fired `firedSoFar` times?
 * nth=N: only the N-th; after=N: every call after the first N; count=N: at most N fires (counted
 * after `after`); probability: a pure draw per occurrence.
 */
export function shouldFire(t: ArmedTrigger, occurrence: number, firedSoFar: number, seed: number, ruleHash: number): boolean {
  if (t.nth !== 0 && occurrence !== t.nth) return false;
  if (occurrence <= t.after) return false;
  if (firedSoFar >= t.count) return false;
  if (t.probability < 1 && draw(seed, ruleHash, occurrence) >= t.probability) return false;
  return true;
}

/** FNV-1a over the rule id's UTF-16 units: a stable 32-bit key for the draw. */
export function hashRuleId(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    h ^= id.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Uniform in [0, 1), a pure function of its inputs (a murmur3-style finaliser over the mix). */
export function draw(seed: number, ruleHash: number, occurrence: number): number {
  let h = (seed | 0) ^ Math.imul(ruleHash, 0x9e3779b1);
  h = mix(h ^ Math.imul(occurrence | 0, 0x85ebca77));
  h = mix(h ^ Math.floor(seed / 0x100000000));
  return (h >>> 0) / 0x100000000;
}

function mix(x: number): number {
  let h = x;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h;
}
