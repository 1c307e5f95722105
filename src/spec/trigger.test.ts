import { describe, expect, it } from 'vitest';
import { armTrigger, draw, hashRuleId, shouldFire, triggerProblem } from './trigger.js';

/** Runs `calls` matching calls through a trigger and lists the occurrences that fired. */
function firing(trigger: Parameters<typeof armTrigger>[0], calls: number, seed = 1, id = 'r1'): number[] {
  const t = armTrigger(trigger, id);
  const fired: number[] = [];
  for (let occ = 1; occ <= calls; occ++) {
    if (shouldFire(t, occ, fired.length, seed, hashRuleId(id))) fired.push(occ);
  }
  return fired;
}

describe('triggers', () => {
  it('fires on every call with no trigger', () => {
    expect(firing({}, 4)).toEqual([1, 2, 3, 4]);
  });

  it('nth fires only on the n-th matching call', () => {
    expect(firing({ nth: 3 }, 6)).toEqual([3]);
  });

  it('after lets n calls pass, then fires on every later one', () => {
    expect(firing({ after: 2 }, 5)).toEqual([3, 4, 5]);
  });

  it('count caps the number of fires, counted after `after`', () => {
    expect(firing({ count: 2 }, 5)).toEqual([1, 2]);
    expect(firing({ after: 2, count: 2 }, 6)).toEqual([3, 4]);
  });

  it('probability 0 never fires and 1 always does', () => {
    expect(firing({ probability: 0 }, 50)).toEqual([]);
    expect(firing({ probability: 1 }, 5)).toEqual([1, 2, 3, 4, 5]);
  });

  it('probability decisions are a pure function of seed, rule id and occurrence', () => {
    const a = firing({ probability: 0.5 }, 200, 42, 'db.write');
    const b = firing({ probability: 0.5 }, 200, 42, 'db.write');
    expect(a).toEqual(b);
    expect(a.length).toBeGreaterThan(60);
    expect(a.length).toBeLessThan(140);
    expect(firing({ probability: 0.5 }, 200, 43, 'db.write')).not.toEqual(a);
    expect(firing({ probability: 0.5 }, 200, 42, 'db.fsync')).not.toEqual(a);
    // The same occurrence gets the same draw whatever came before it.
    expect(draw(42, hashRuleId('x'), 17)).toBe(draw(42, hashRuleId('x'), 17));
  });

  it('spreads draws uniformly enough that p tracks the fire rate', () => {
    let fired = 0;
    const h = hashRuleId('rate');
    for (let occ = 1; occ <= 20000; occ++) if (draw(7, h, occ) < 0.1) fired++;
    expect(fired).toBeGreaterThan(1700);
    expect(fired).toBeLessThan(2300);
  });

  it('uses the high bits of large seeds', () => {
    const h = hashRuleId('r');
    expect(draw(2 ** 40, h, 1)).not.toBe(draw(2 ** 41, h, 1));
  });

  it('rejects out-of-range triggers, naming the rule', () => {
    expect(() => armTrigger({ nth: 0 }, 'r9')).toThrow('rule r9: nth must be an integer >= 1, got 0');
    expect(() => armTrigger({ after: -1 }, 'r9')).toThrow('rule r9: after must be an integer >= 0, got -1');
    expect(() => armTrigger({ probability: 1.5 }, 'r9')).toThrow('rule r9: probability must be between 0 and 1, got 1.5');
  });
});

describe('trigger rules (one set, for specs, saved faults and armed rules)', () => {
  it('say what is wrong in words a user can act on', () => {
    expect(triggerProblem({ nth: 3 })).toBeUndefined();
    expect(triggerProblem({ after: 0, count: 2 })).toBeUndefined();
    expect(triggerProblem({ nth: 0 })).toBe('nth must be an integer >= 1, got 0');
    expect(triggerProblem({ after: 1.5 })).toBe('after must be an integer >= 0, got 1.5');
    expect(triggerProblem({ probability: 2 })).toBe('probability must be between 0 and 1, got 2');
    expect(triggerProblem({ nth: 2, count: 1 })).toMatch(/^nth= fires on exactly one call/);
  });

  it('are what arming checks: the cases the runtime used to accept and the spec refused now fail here too', () => {
    expect(() => armTrigger({ count: 0 }, 'f1')).toThrow('rule f1: count must be an integer >= 1, got 0');
    expect(() => armTrigger({ nth: 2, after: 1 }, 'f1')).toThrow(/rule f1: nth= fires on exactly one call/);
    expect(armTrigger({ after: 2, count: 1 }, 'f1')).toEqual({ nth: 0, after: 2, count: 1, probability: 1 });
  });
});
