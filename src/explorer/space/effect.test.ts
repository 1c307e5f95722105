import { describe, expect, it } from 'vitest';
import { callSequenceOf, decidedCalls, dropKeepingAim } from './effect.js';
import { canonicalFaultSet } from '../faults.js';
import { faultFromJson, type FaultJson } from '../corpus/fault-json.js';

// db writes: 1 wal, 2 table, 3 wal, 4 wal, 5 table
const SEQ = callSequenceOf({
  count: 5,
  sites: [
    { key: 'file:/wal/*', kind: 'file', glob: '/wal/*', count: 3, occurrences: [1, 3, 4] },
    { key: 'file:/t/*', kind: 'file', glob: '/t/*', count: 2, occurrences: [2, 5] },
  ],
});
const w = (over: Partial<FaultJson>) => faultFromJson({ service: 'db', syscall: 'write', action: 'deny', errno: 'EIO', ...over });

describe('decided calls (first-fire counting)', () => {
  it('lets the first firing rule decide and hides that call from later rules', () => {
    const faults = canonicalFaultSet([w({ action: 'delay', errno: undefined, delay_ms: 100, nth: 1 }), w({ nth: 1, path: '/wal/*' })]);
    // The family-level delay decides call 1, so the WAL rule's first call is call 3.
    expect([...decidedCalls(faults, SEQ)!]).toEqual([
      [1, 0],
      [3, 1],
    ]);
  });

  it('handles after= and count=', () => {
    expect([...decidedCalls([w({ after: 3 })], SEQ)!.keys()]).toEqual([4, 5]);
    expect([...decidedCalls([w({ after: 1, count: 2, path: '/wal/*' })], SEQ)!.keys()]).toEqual([3, 4]);
  });

  it('gives up on a glob the census does not know', () => {
    expect(decidedCalls([w({ nth: 1, path: '/elsewhere/*' })], SEQ)).toBeUndefined();
  });
});

describe('dropping a fault while keeping the others aimed', () => {
  it('re-aims the remaining rule at the call it really hit', () => {
    const set = canonicalFaultSet([w({ action: 'delay', errno: undefined, delay_ms: 100, nth: 1 }), w({ nth: 1, path: '/wal/*' })]);
    expect(dropKeepingAim(set, 0, () => SEQ)).toEqual([w({ nth: 3 })]);
  });

  it('keeps faults of other families untouched and declines when nothing needs re-aiming', () => {
    const fsync = faultFromJson({ service: 'db', syscall: 'fsync', action: 'deny', errno: 'EIO', nth: 1 });
    const set = canonicalFaultSet([fsync, w({ nth: 1 }), w({ nth: 2, errno: 'ENOSPC' })]);
    // The nth=1 rule decides call 1, which the nth=2 rule then never counts: it hits call 3.
    // Without the first rule it must say nth=3 to keep hitting call 3.
    const i = set.findIndex((f) => f.keyword === 'write' && f.trigger.nth === 1);
    expect(dropKeepingAim(set, i, () => SEQ)).toEqual(canonicalFaultSet([fsync, w({ nth: 3, errno: 'ENOSPC' })]));
    expect(dropKeepingAim(set, set.indexOf(fsync), () => SEQ)).toBeUndefined();
  });
});
