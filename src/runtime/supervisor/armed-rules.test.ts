import { describe, expect, it } from 'vitest';
import type { FaultRule } from '../../spec/model.js';
import { syscallNumber } from '../kernel/syscall-table.js';
import { ArmedRuleSet, DECISION_DELAY, DECISION_DENY, DECISION_TRACE } from './armed-rules.js';

const rule = (over: Partial<FaultRule> & Pick<FaultRule, 'id'>): FaultRule => ({
  service: 'db',
  keyword: 'write',
  syscalls: ['write', 'writev'],
  action: { kind: 'deny', errno: 'EIO' },
  trigger: {},
  ...over,
});

const at = (path: string | undefined, peer?: string) => ({ path: () => path, peer: () => peer, onRuntimeFd: () => path?.startsWith('anon_inode:') === true });
const WRITE = syscallNumber('write');

describe('ArmedRuleSet', () => {
  it('indexes rules by syscall number and leaves others unwatched', () => {
    const set = ArmedRuleSet.arm('db', [rule({ id: 'a' })], 1);
    expect(set.rulesFor(WRITE)?.map((r) => r.id)).toEqual(['a']);
    expect(set.rulesFor(syscallNumber('writev'))?.map((r) => r.id)).toEqual(['a']);
    expect(set.rulesFor(syscallNumber('read'))).toBeUndefined();
    expect(set.rulesFor(100000)).toBeUndefined();
  });

  it('lets the first rule that fires decide, in spec order', () => {
    const set = ArmedRuleSet.arm('db', [
      rule({ id: 'slow', action: { kind: 'delay', ms: 5 }, trigger: { nth: 2 } }),
      rule({ id: 'fail', action: { kind: 'deny', errno: 'ENOSPC' } }),
    ], 1);
    const rules = set.rulesFor(WRITE)!;
    const first = set.match(rules, at('/x'))!;
    expect([first.id, first.decision, first.errno]).toEqual(['fail', DECISION_DENY, 28]);
    const second = set.match(rules, at('/x'))!;
    expect([second.id, second.decision, second.delayMs]).toEqual(['slow', DECISION_DELAY, 5]);
    // `fail` did not see the second call: the first rule that fired stopped the walk.
    expect(set.counters().get('fail')).toEqual({ matched: 1, fired: 1, unresolved: 0 });
  });

  it('counts occurrences only over calls whose path matches the glob', () => {
    const set = ArmedRuleSet.arm('db', [rule({ id: 'wal', pathGlob: '/data/*.wal', trigger: { nth: 2 } })], 1);
    const rules = set.rulesFor(WRITE)!;
    expect(set.match(rules, at('/data/a.wal'))).toBeUndefined();
    expect(set.match(rules, at('/tmp/log'))).toBeUndefined();
    expect(set.match(rules, at(undefined))).toBeUndefined();
    expect(set.match(rules, at('/data/b.wal'))?.id).toBe('wal');
    expect(set.counters().get('wal')).toEqual({ matched: 2, fired: 1, unresolved: 1 });
  });

  it('leaves runtime descriptors to path-less deny/delay rules out of matching and counting', () => {
    const set = ArmedRuleSet.arm('db', [rule({ id: 'third', trigger: { nth: 2 } })], 1);
    const rules = set.rulesFor(WRITE)!;
    expect(set.match(rules, at('/data/a'))).toBeUndefined();
    expect(set.match(rules, at('anon_inode:[eventfd]'))).toBeUndefined();
    expect(set.match(rules, at('/data/a'))?.id).toBe('third');
    expect(set.counters().get('third')).toEqual({ matched: 2, fired: 1, unresolved: 0 });
  });

  it('matches and counts only calls whose peer matches the peer glob', () => {
    const CONNECT = syscallNumber('connect');
    const set = ArmedRuleSet.arm('db', [rule({ id: 'redis', keyword: 'connect', syscalls: ['connect'], peerGlob: '*:6379', trigger: { nth: 2 } })], 1);
    const rules = set.rulesFor(CONNECT)!;
    expect(set.match(rules, at(undefined, '127.0.0.1:6379'))).toBeUndefined(); // 1st redis connect
    expect(set.match(rules, at(undefined, '127.0.0.11:53'))).toBeUndefined(); // DNS: not counted
    expect(set.match(rules, at(undefined, undefined))).toBeUndefined(); // no peer: unresolved
    expect(set.match(rules, at(undefined, '[::1]:6379'))?.id).toBe('redis'); // 2nd redis connect
    expect(set.counters().get('redis')).toEqual({ matched: 2, fired: 1, unresolved: 1 });
  });

  it('reaches runtime descriptors through an explicit glob', () => {
    const set = ArmedRuleSet.arm('db', [rule({ id: 'wake', pathGlob: 'anon_inode:*' })], 1);
    const rules = set.rulesFor(WRITE)!;
    expect(set.match(rules, at('anon_inode:[eventfd]'))?.id).toBe('wake');
    expect(set.match(rules, at('/data/a'))).toBeUndefined();
  });

  it('does not ask for the path when no rule has a glob', () => {
    const set = ArmedRuleSet.arm('db', [rule({ id: 't', action: { kind: 'trace' } })], 1);
    let asked = 0;
    const r = set.match(set.rulesFor(WRITE)!, { path: () => { asked++; return '/x'; }, peer: () => { asked++; return undefined; }, onRuntimeFd: () => { asked++; return false; } });
    expect(r?.decision).toBe(DECISION_TRACE);
    expect(asked).toBe(0);
  });

  it('never fires allow() rules and keeps them out of matching', () => {
    const set = ArmedRuleSet.arm('db', [rule({ id: 'obs', action: { kind: 'allow' } })], 1);
    expect(set.rulesFor(WRITE)).toBeUndefined();
    expect(set.counters().get('obs')).toEqual({ matched: 0, fired: 0, unresolved: 0 });
  });

  it('carries counters of rules kept across a re-arm when asked', () => {
    const first = ArmedRuleSet.arm('db', [rule({ id: 'a', trigger: { nth: 2 } })], 1);
    first.match(first.rulesFor(WRITE)!, at('/x'));
    const again = ArmedRuleSet.arm('db', [rule({ id: 'a', trigger: { nth: 2 } })], 1, first.counters());
    expect(again.match(again.rulesFor(WRITE)!, at('/x'))?.id).toBe('a');
    const fresh = ArmedRuleSet.arm('db', [rule({ id: 'a', trigger: { nth: 2 } })], 1);
    expect(fresh.match(fresh.rulesFor(WRITE)!, at('/x'))).toBeUndefined();
  });

  it('refuses rules armed on the wrong service', () => {
    expect(() => ArmedRuleSet.arm('api', [rule({ id: 'a' })], 1)).toThrow(/rule a is for service "db"/);
  });
});
