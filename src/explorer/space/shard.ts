// `--shard i/n`: deterministic split of the case stream across processes. A case belongs to shard
// i when the hash of its canonical key falls in bucket i-1, so the split does not depend on the
// order cases are drawn in: shards are disjoint and together cover the unsharded stream.
import { hash32 } from '../content-hash.js';
import { UsageError } from '../../errors.js';

export interface Shard {
  /** 1-based */
  readonly index: number;
  readonly count: number;
}

export function parseShard(text: string): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (!m) throw new UsageError(`--shard: expected i/n (e.g. 2/4), got "${text}"`);
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1 || index < 1 || index > count) {
    throw new UsageError(`--shard: need 1 <= i <= n, got "${text}"`);
  }
  return { index, count };
}

export function inShard(shard: Shard | undefined, caseKey: string): boolean {
  if (!shard || shard.count === 1) return true;
  return hash32(caseKey) % shard.count === shard.index - 1;
}
