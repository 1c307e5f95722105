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

export function armTrigger(t: Trigger, ruleId: string): ArmedTrigger {
  const int = (name: string, v: number | undefined, min: number): number => {
    if (v === undefined) return 0;
    if (!Number.isInteger(v) || v < min) {
      throw new RangeError(`rule ${ruleId}: ${name}=${v} (expected an integer >= ${min})`);
    }
    return v;
  };
  const p = t.probability ?? 1;
  if (!(p >= 0 && p <= 1)) throw new RangeError(`rule ${ruleId}: probability=${p} (expected 0..1)`);
  const count = t.count === undefined ? Infinity : int('count', t.count, 0);
  return { nth: int('nth', t.nth, 1), after: int('after', t.after, 0), count, probability: p };
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
