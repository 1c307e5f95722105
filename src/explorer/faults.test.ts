import { describe, expect, it } from 'vitest';
import {
  canonicalFaultSet,
  caseKey,
  faultSetToRules,
  faultToRule,
  faultSpecText,
  faultSetSpecText,
  hasCompetingFaults,
  ruleToFault,
  type InjectedFault,
} from './faults.js';
import { faultFromJson } from './corpus/fault-json.js';

const w3 = faultFromJson({ service: 'db', syscall: 'write', action: 'deny', errno: 'ENOSPC', nth: 3, path: '/data/*' });
const c1 = faultFromJson({ service: 'api', syscall: 'connect', action: 'delay', delay_ms: 200, after: 2 });
const withTrigger = (f: InjectedFault, trigger: InjectedFault['trigger']): InjectedFault => ({ ...f, trigger });

describe('fault sets', () => {
  it('have one canonical order and drop duplicates', () => {
    const a = canonicalFaultSet([w3, c1, { ...w3 }]);
    const b = canonicalFaultSet([c1, w3]);
    expect(a).toEqual(b);
    expect(a.map((f) => f.service)).toEqual(['api', 'db']);
    expect(caseKey('s', [w3, c1])).toBe(caseKey('s', [c1, w3, w3]));
    expect(caseKey('s', [w3])).not.toBe(caseKey('t', [w3]));
  });

  it('order numbers numerically and drop fields that do not apply', () => {
    const n10 = withTrigger(w3, { nth: 10 });
    const n9 = withTrigger(w3, { nth: 9 });
    expect(canonicalFaultSet([n10, n9]).map((f) => f.trigger.nth)).toEqual([9, 10]);
    const noisy: InjectedFault = { ...c1, trigger: { after: 2, probability: 1 }, pathGlob: undefined };
    expect(Object.keys(canonicalFaultSet([noisy])[0]!)).toEqual(['service', 'keyword', 'action', 'trigger']);
    expect(canonicalFaultSet([noisy])[0]!.trigger).toEqual({ after: 2 });
  });

  it('carry a peer glob through every form: key, text, rule, rule back', () => {
    const redis = faultFromJson({ service: 'api', syscall: 'connect', action: 'deny', errno: 'ECONNREFUSED', nth: 1, peer: '*:6379' });
    const anyPeer = faultFromJson({ service: 'api', syscall: 'connect', action: 'deny', errno: 'ECONNREFUSED', nth: 1 });
    expect(caseKey('s', [redis])).not.toBe(caseKey('s', [anyPeer]));
    expect(caseKey('s', [anyPeer])).toBe('s :: api|connect||deny|ECONNREFUSED||1||'); // unchanged without a peer
    expect(faultSpecText(redis)).toBe('api.connect=deny("ECONNREFUSED", nth=1, peer="*:6379")');
    const rule = faultToRule(redis, 'f1');
    expect(rule.peerGlob).toBe('*:6379');
    expect(ruleToFault(rule)).toEqual(redis);
    // The same trigger on the same peer competes for one call; another peer does not.
    expect(hasCompetingFaults([redis, { ...redis, action: { kind: 'deny', errno: 'ETIMEDOUT' } }])).toBe(true);
    expect(hasCompetingFaults([redis, { ...redis, peerGlob: '*:5432' }])).toBe(false);
  });

  it('carry a crash and its lost writes through every form: key, text, rule, rule back', () => {
    const power = faultFromJson({ service: 'kv', syscall: 'write', action: 'crash', lose_unsynced: true, nth: 2, path: '/data/*' });
    const plain = faultFromJson({ service: 'kv', syscall: 'write', action: 'crash', nth: 2, path: '/data/*' });
    expect(caseKey('s', [power])).not.toBe(caseKey('s', [plain]));
    expect(caseKey('s', [power])).toBe('s :: kv|write|/data/*|crash|||2|||lose_unsynced');
    expect(faultSpecText(power)).toBe('kv.write=crash(nth=2, path="/data/*", lose_unsynced=True)');
    const rule = faultToRule(power, 'f1');
    expect(rule.action).toEqual({ kind: 'crash', loseUnsynced: true });
    expect(ruleToFault(rule)).toEqual(power);
    expect(ruleToFault(faultToRule(plain, 'f1'))).toEqual(plain);
    // A crash and a deny at the same call compete for it; two crash points are never one case.
    expect(hasCompetingFaults([plain, { ...plain, action: { kind: 'deny', errno: 'EIO' } }])).toBe(true);
    expect(hasCompetingFaults([plain, { ...plain, keyword: 'fsync', trigger: { nth: 1 } }])).toBe(true);
    expect(hasCompetingFaults([plain, { ...w3, pathGlob: '/other/*' }])).toBe(false);
  });

  it('print in the spec spelling', () => {
    expect(faultSpecText(w3)).toBe('db.write=deny("ENOSPC", nth=3, path="/data/*")');
    expect(faultSpecText({ ...c1, action: { kind: 'delay', ms: 2000 } })).toBe('api.connect=delay("2s", after=2)');
    expect(faultSetSpecText([w3, c1])).toBe('api.connect=delay("200ms", after=2) + db.write=deny("ENOSPC", nth=3, path="/data/*")');
    expect(faultSetSpecText([])).toBe('(no faults)');
  });

  it('convert to rules with family expansion and back', () => {
    const r = faultToRule(w3, 'f1');
    expect(r).toEqual({
      id: 'f1',
      service: 'db',
      keyword: 'write',
      syscalls: ['write', 'writev', 'pwrite64', 'pwritev', 'pwritev2'],
      action: { kind: 'deny', errno: 'ENOSPC' },
      trigger: { nth: 3 },
      pathGlob: '/data/*',
    });
    expect(ruleToFault(r)).toEqual(w3);
    expect(ruleToFault(faultToRule(c1, 'x'))).toEqual(c1);
    expect(faultToRule({ ...w3, keyword: 'pwrite64' }, 'f').syscalls).toEqual(['pwrite64']);
    expect(ruleToFault({ ...r, trigger: { nth: 3, probability: 1 } })).toEqual(w3);
    expect(ruleToFault({ ...r, action: { kind: 'trace' } })).toBeUndefined();
    expect(ruleToFault({ ...r, trigger: { probability: 0.5 } })).toBeUndefined();
  });

  it('number rule ids f1..fk in canonical order', () => {
    expect(faultSetToRules([w3, c1]).map((r) => [r.id, r.service])).toEqual([
      ['f1', 'api'],
      ['f2', 'db'],
    ]);
  });

  it('spot faults competing for the same call', () => {
    expect(hasCompetingFaults([w3, { ...w3, action: { kind: 'deny', errno: 'EIO' } }])).toBe(true);
    expect(hasCompetingFaults([w3, withTrigger(w3, { nth: 4 })])).toBe(false);
    const always = faultFromJson({ service: 'db', syscall: 'write', action: 'deny', errno: 'EIO' });
    expect(hasCompetingFaults([always, { ...always, action: { kind: 'delay', ms: 100 } }])).toBe(true);
    expect(hasCompetingFaults([always, withTrigger(always, { nth: 1 })])).toBe(false);
  });
});
