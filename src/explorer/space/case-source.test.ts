import { describe, expect, it } from 'vitest';
import { singlesSource, type ExploreCase } from './case-source.js';
import { faultSetKey, faultSetSpecText } from '../faults.js';
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

describe('singles after a hang', () => {
  // accept: two triggers and three errnos; write: one trigger and two errnos.
  const server: ScenarioSpace = {
    scenario: 's',
    singles: 8,
    targets: [
      {
        service: 'api', family: 'accept', count: 2, occurrences: [1, 2],
        triggers: [{ kind: 'always' }, { kind: 'nth', n: 1 }],
        actions: [{ kind: 'deny', errno: 'EMFILE' }, { kind: 'deny', errno: 'ENFILE' }, { kind: 'deny', errno: 'ENOMEM' }],
      },
      {
        service: 'api', family: 'write', count: 1, occurrences: [1],
        triggers: [{ kind: 'nth', n: 1 }],
        actions: [{ kind: 'deny', errno: 'EIO' }, { kind: 'deny', errno: 'ENOSPC' }],
      },
    ],
  };

  /** The singles in the order they come when the case spelled `hangs` times out once it ran. */
  function orderWhenHanging(space: ScenarioSpace, hangs: string): string[] {
    const ran: ExploreCase[] = [];
    const shown = (c: ExploreCase) => faultSetSpecText(c.faults);
    const hung = (c: ExploreCase) => ran.includes(c) && shown(c) === hangs;
    const out: string[] = [];
    for (const c of singlesSource([space], undefined, hung)) {
      ran.push(c);
      out.push(shown(c));
    }
    return out;
  }

  it('moves the other errnos of a hung target and trigger behind every other single', () => {
    // accept always failing with EMFILE hangs the accept loop.
    expect(orderWhenHanging(server, 'api.accept=deny("EMFILE")')).toEqual([
      'api.accept=deny("EMFILE")',
      'api.write=deny("EIO", nth=1)',
      'api.accept=deny("EMFILE", nth=1)', // same target and errno, but one call only: not a sibling
      'api.write=deny("ENOSPC", nth=1)',
      'api.accept=deny("ENFILE", nth=1)',
      'api.accept=deny("ENOMEM", nth=1)',
      'api.accept=deny("ENFILE")', // the hung fault's siblings, last
      'api.accept=deny("ENOMEM")',
    ]);
  });

  it('also moves the same errno from a later call on (after=) behind the rest', () => {
    const lasting: ScenarioSpace = {
      ...server,
      targets: [{ ...server.targets[0]!, triggers: [{ kind: 'always' }, { kind: 'after', n: 1 }, { kind: 'nth', n: 1 }] }, server.targets[1]!],
    };
    expect(orderWhenHanging(lasting, 'api.accept=deny("EMFILE")')).toEqual([
      'api.accept=deny("EMFILE")',
      'api.write=deny("EIO", nth=1)',
      'api.write=deny("ENOSPC", nth=1)',
      'api.accept=deny("EMFILE", nth=1)', // one call only: not like the hang
      'api.accept=deny("ENFILE", after=1)', // another errno from another point: nothing like it hung
      'api.accept=deny("ENFILE", nth=1)',
      'api.accept=deny("ENOMEM", after=1)',
      'api.accept=deny("ENOMEM", nth=1)',
      'api.accept=deny("EMFILE", after=1)', // waited: the errno that hung, from a later call on
      'api.accept=deny("ENFILE")', // waited: another errno at the point that hung
      'api.accept=deny("ENOMEM")',
    ]);
  });

  it('keeps the canonical order when nothing hung', () => {
    const plain = [...singlesSource([server])].map(text);
    expect([...singlesSource([server], undefined, () => false)].map(text)).toEqual(plain);
    expect(plain.indexOf('api accept deny ENFILE')).toBeLessThan(plain.indexOf('api accept deny ENFILE 1'));
  });
});
