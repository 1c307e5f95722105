import { describe, expect, it } from 'vitest';
import { singlesSource, type ExploreCase } from './case-source.js';
import { faultSetKey } from '../faults.js';
import type { ScenarioSpace } from './space.js';
import type { FamilyName } from '../../spec/syscall-families.js';

// Three targets, two triggers and one errno each: level 0 is nth=1 of each target, level 1 is `always`.
const space: ScenarioSpace = {
  scenario: 's',
  singles: 6,
  targets: (['connect', 'write', 'open'] as const).map((family: FamilyName) => ({
    service: 'api',
    family,
    count: 1,
    occurrences: [1],
    triggers: [{ kind: 'nth', n: 1 }, { kind: 'always' }],
    actions: [{ kind: 'deny', errno: 'EIO' }],
  })),
};

const text = (c: ExploreCase) => faultSetKey(c.faults).replace(/\|/g, ' ').replace(/ +/g, ' ').trim();

describe('singles with tolerated pairs', () => {
  it('after every simplest fault ran, pairs the ones the service survived, alternating with the remaining singles', () => {
    const ran: ExploreCase[] = [];
    // connect and open faults alone are survived (a fallback), the write fault fails the scenario.
    const tolerated = (c: ExploreCase) => ran.includes(c) && !c.faults.some((f) => f.keyword === 'write');
    const out: string[] = [];
    for (const c of singlesSource([space], tolerated)) {
      ran.push(c);
      out.push(text(c));
    }
    expect(out).toEqual([
      'api connect deny EIO 1',
      'api write deny EIO 1',
      'api open deny EIO 1',
      'api connect deny EIO 1 & api open deny EIO 1', // the one tolerated pair
      'api connect deny EIO',
      'api write deny EIO',
      'api open deny EIO',
    ]);
  });

  it('without a verdict source (a shard) yields the singles only', () => {
    expect([...singlesSource([space])].every((c) => c.faults.length === 1)).toBe(true);
  });
});
