// Stable JSON (object keys sorted, no whitespace) and short SHA-256 digests of it. Census hashes,
// failure ids and shard assignment all hash through here so they never depend on key order.
import { createHash } from 'node:crypto';

export function stableStringify(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (value === undefined) return 'null';
    if (typeof value === 'number' && !Number.isFinite(value)) throw new Error(`internal: cannot hash non-finite number ${value}`);
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(',')}}`;
}

/** Hex SHA-256 of `text`, truncated to `length` characters. */
export function sha256Hex(text: string, length = 64): string {
  return createHash('sha256').update(text).digest('hex').slice(0, length);
}

export function contentHash(value: unknown, length = 16): string {
  return sha256Hex(stableStringify(value), length);
}

/** A 32-bit unsigned integer derived from `text` (for shard assignment). */
export function hash32(text: string): number {
  return createHash('sha256').update(text).digest().readUInt32BE(0);
}
