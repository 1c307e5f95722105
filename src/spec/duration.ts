// Duration strings in specs ("100us", "500ms", "1.5s", "2m", "1m30s"), parsed once at the spec
// boundary into milliseconds, and rendered back the same way for decisions and summaries.

const UNIT_MS: Readonly<Record<string, number>> = {
  ns: 1e-6,
  us: 1e-3,
  'µs': 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

const PART = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/y;

/** Milliseconds for a duration string, or undefined when the text is not one. */
export function parseDurationMs(text: string): number | undefined {
  const s = text.trim();
  if (s === '') return undefined;
  if (s === '0') return 0;
  let total = 0;
  PART.lastIndex = 0;
  while (PART.lastIndex < s.length) {
    const at = PART.lastIndex;
    const m = PART.exec(s);
    if (!m || m.index !== at) return undefined;
    total += Number(m[1]) * UNIT_MS[m[2]];
  }
  return total;
}

/**
 * The longest duration a spec may give (a delay, a timeout): a day. Longer ones are typos, and
 * Node's timers fire at once beyond ~24.8 days, so such a value would silently mean "no wait".
 */
export const MAX_DURATION_TEXT = '24h';

export const MAX_DURATION_MS = parseDurationMs(MAX_DURATION_TEXT)!;

export const DURATION_HELP = 'a duration like "100us", "500ms", "1.5s" or "2m"';

/** Compact rendering: 250us, 500ms, 1.5s, 2m, 1m30s. */
export function formatDurationMs(ms: number): string {
  if (ms < 1) return `${trim(ms * 1000)}us`;
  if (ms < 1000) return `${trim(ms)}ms`;
  if (ms < 60_000) return `${trim(ms / 1000)}s`;
  const minutes = Math.floor(ms / 60_000);
  const rest = ms - minutes * 60_000;
  return rest === 0 ? `${minutes}m` : `${minutes}m${trim(rest / 1000)}s`;
}

function trim(n: number): string {
  return String(Math.round(n * 1000) / 1000);
}
