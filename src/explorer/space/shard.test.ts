import { describe, expect, it } from 'vitest';
import { inShard, parseShard } from './shard.js';

describe('--shard i/n', () => {
  it('parses i/n and rejects anything else with the offending text', () => {
    expect(parseShard('2/4')).toEqual({ index: 2, count: 4 });
    expect(parseShard(' 1 / 1 ')).toEqual({ index: 1, count: 1 });
    expect(() => parseShard('0/4')).toThrow('--shard: need 1 <= i <= n, got "0/4"');
    expect(() => parseShard('5/4')).toThrow(/need 1 <= i <= n/);
    expect(() => parseShard('half')).toThrow('--shard: expected i/n (e.g. 2/4), got "half"');
  });

  it('puts every case key in exactly one shard, spreading them out', () => {
    const keys = Array.from({ length: 3000 }, (_, i) => `checkout :: db|write||deny|EIO||${i}|||`);
    const counts = [0, 0, 0, 0];
    for (const k of keys) {
      const owners = [1, 2, 3, 4].filter((index) => inShard({ index, count: 4 }, k));
      expect(owners).toHaveLength(1);
      counts[owners[0]! - 1]!++;
    }
    for (const c of counts) expect(c).toBeGreaterThan(600);
    expect(keys.every((k) => inShard(undefined, k) && inShard({ index: 1, count: 1 }, k))).toBe(true);
  });
});
