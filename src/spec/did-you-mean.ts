// "Did you mean X?" for misspelt names: the closest candidate by edit distance, when close enough.
import { editDistance } from '../starlark/index.js';

/** The candidate nearest to `name` (case-insensitive), if within a third of its length (min 2). */
export function closest(name: string, candidates: readonly string[]): string | undefined {
  const n = name.toLowerCase();
  const limit = Math.max(2, Math.floor(name.length / 3));
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const d = editDistance(n, c.toLowerCase());
    if (d < bestD) {
      best = c;
      bestD = d;
    }
  }
  return bestD <= limit ? best : undefined;
}

export function didYouMean(name: string, candidates: readonly string[]): string {
  const c = closest(name, candidates);
  return c === undefined ? '' : ` (did you mean ${c}?)`;
}
