// How long a case may run. A spec can say (explore(timeout=), a scenario's timeout); otherwise
// the deadline comes from the census, which timed the scenario fault-free: a hang is then met
// after about a second, not after a fixed 30 s that would eat a two-minute budget in three cases.
import type { CaseDeadline } from './case-executor.js';
import type { ScenarioCensus } from '../census/census.js';
import type { InjectedFault } from '../faults.js';

/** No census-derived deadline is shorter: process start-up jitter alone can take a few hundred ms. */
export const MIN_CENSUS_DEADLINE_MS = 1000;
/** A case may take this many times the slowest fault-free run before it counts as hung. */
export const DEADLINE_FACTOR = 10;
/** A case with delay faults never waits longer than this for them (always-on delays can add up). */
export const MAX_DELAY_ALLOWANCE_MS = 60_000;
/** How long a crashed service may take to come back when its healthcheck gives no timeout. */
export const DEFAULT_RESTART_ALLOWANCE_MS = 10_000;

/** The fault-free durations a census measured for one scenario (older censuses: the recorded run). */
export function faultFreeDurations(sc: ScenarioCensus): readonly number[] {
  return sc.durationsMs && sc.durationsMs.length > 0 ? sc.durationsMs : [sc.durationMs];
}

/** max(1 s, 10 × the slowest fault-free run), with the range it came from. */
export function censusDeadline(sc: ScenarioCensus): CaseDeadline {
  const d = faultFreeDurations(sc);
  const min = Math.round(Math.min(...d));
  const max = Math.round(Math.max(...d));
  return { ms: Math.max(MIN_CENSUS_DEADLINE_MS, DEADLINE_FACTOR * max), faultFreeMs: [min, max] };
}

/**
 * A census deadline stretched by the time the case's delay faults hold calls: a delay of 2 s on
 * one call makes any correct program 2 s slower, which is not a hang. `callsHit` says how many
 * calls a fault can hold (1 for nth, the recorded count for always/after). A crash fault adds the
 * time its service may take to restart (`restartMs`: its healthcheck's timeout), since the
 * scenario's next steps wait for it. A spec's own timeout is the user's deadline and is never
 * stretched.
 */
export function caseDeadline(
  base: CaseDeadline,
  faults: readonly InjectedFault[],
  callsHit: (f: InjectedFault) => number,
  restartMs: (service: string) => number | undefined = () => undefined,
): CaseDeadline {
  if (!base.faultFreeMs) return base;
  let delays = 0;
  let restarts = 0;
  for (const f of faults) {
    if (f.action.kind === 'delay' && f.action.ms) delays += f.action.ms * Math.max(1, f.trigger.nth !== undefined ? 1 : callsHit(f));
    if (f.action.kind === 'crash') restarts += restartMs(f.service) ?? DEFAULT_RESTART_ALLOWANCE_MS;
  }
  const allowance = Math.min(delays, MAX_DELAY_ALLOWANCE_MS) + restarts;
  return allowance === 0 ? base : { ...base, ms: base.ms + allowance };
}
