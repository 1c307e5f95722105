// How fast and how far along a running campaign is: cases per minute over a sliding window and
// elapsed time extrapolated from the engine's last report. Pure; callers pass wall-clock times.

/** The rate is measured over the last minute: recent enough to show a slowdown, long enough to be steady. */
export const RATE_WINDOW_MS = 60_000;

/** Below this much observed time a rate is noise, so none is given. */
const MIN_RATE_SPAN_MS = 1_000;

/** Keeps only the case-end times inside the window ending at `nowMs`. */
export function trimWindow(endTimesMs: readonly number[], nowMs: number, windowMs = RATE_WINDOW_MS): number[] {
  const from = nowMs - windowMs;
  return endTimesMs.filter((t) => t > from && t <= nowMs);
}

/**
 * Cases per minute: cases that ended in the window, over the window's length (or over the time
 * since the campaign started, while that is shorter than the window).
 */
export function casesPerMinute(
  endTimesMs: readonly number[],
  nowMs: number,
  startedAtMs: number,
  windowMs = RATE_WINDOW_MS,
): number | undefined {
  const span = Math.min(windowMs, nowMs - startedAtMs);
  if (span < MIN_RATE_SPAN_MS) return undefined;
  const inWindow = trimWindow(endTimesMs, nowMs, windowMs).length;
  return (inWindow * 60_000) / span;
}

/** The engine's own elapsed time, and the wall-clock moment we learned it. */
export interface ElapsedSample {
  readonly engineMs: number;
  readonly atWallMs: number;
}

/**
 * Elapsed campaign time: the engine's last figure plus the wall time since, so the clock moves
 * between reports; without any engine figure, time since the first event.
 */
export function estimateElapsed(sample: ElapsedSample | undefined, startedAtMs: number, nowMs: number): number {
  if (sample) return sample.engineMs + Math.max(0, nowMs - sample.atWallMs);
  return Math.max(0, nowMs - startedAtMs);
}
