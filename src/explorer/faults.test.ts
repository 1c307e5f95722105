import { describe, expect, it } from 'vitest';
import {
  canonicalFaultSet,
  caseKey,
  faultSetToRules,
  faultToRule,
  formatFault,
  formatFaultSet,
  hasCompetingFaults,
  parseFaultSpec,
  ruleToFault,
} from './faults.js';
import type { FaultSpec } from './progress.js';

const w3: FaultSpec = { service: 'db', syscall: 'write', action: 'deny', errno: 'ENOSPC', nth: 3, path: '/data/*' };
const c1: FaultSpec = { service: 'api', syscall: 'connect', action: 'delay', delay_ms: 200, after: 2 };

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
    const n10: FaultSpec = { ...w3, nth: 10 };
    const n9: FaultSpec = { ...w3, nth: 9 };
    expect(canonicalFaultSet([n10, n9]).map((f) => f.nth)).toEqual([9, 10]);
    const noisy = { service: 'db', syscall: 'write', action: 'deny', errno: 'EIO', delay_ms: 5 } as FaultSpec;
    expect(canonicalFaultSet([noisy])[0]).toEqual({ service: 'db', syscall: 'write', action: 'deny', errno: 'EIO' });
  });

  it('carry a peer glob through every form: key, text, rule, rule back, file', () => {
    const redis: FaultSpec = { service: 'api', syscall: 'connect', action: 'deny', errno: 'ECONNREFUSED', nth: 1, peer: '*:6379' };
    const anyPeer: FaultSpec = { service: 'api', syscall: 'connect', action: 'deny', errno: 'ECONNREFUSED', nth: 1 };
    expect(caseKey('s', [redis])).not.toBe(caseKey('s', [anyPeer]));
    expect(caseKey('s', [anyPeer])).toBe('s :: api|connect||deny|ECONNREFUSED||1||'); // unchanged without a peer
    expect(formatFault(redis)).toBe('api.connect=deny("ECONNREFUSED", nth=1, peer="*:6379")');
    const rule = faultToRule(redis, 'f1');
    expect(rule.peerGlob).toBe('*:6379');
    expect(ruleToFault(rule)).toEqual(redis);
    expect(parseFaultSpec(JSON.parse(JSON.stringify(redis)), 'x.json')).toEqual(redis);
    expect(() => parseFaultSpec({ ...redis, peer: 7 }, 'x.json')).toThrow('x.json: "peer" must be a string');
    // The same trigger on the same peer competes for one call; another peer does not.
    expect(hasCompetingFaults([redis, { ...redis, errno: 'ETIMEDOUT' }])).toBe(true);
    expect(hasCompetingFaults([redis, { ...redis, peer: '*:5432' }])).toBe(false);
  });

  it('carry a crash and its lost writes through every form: key, text, rule, rule back, file', () => {
    const power: FaultSpec = { service: 'kv', syscall: 'write', action: 'crash', lose_unsynced: true, nth: 2, path: '/data/*' };
    const plain: FaultSpec = { service: 'kv', syscall: 'write', action: 'crash', nth: 2, path: '/data/*' };
    expect(caseKey('s', [power])).not.toBe(caseKey('s', [plain]));
    expect(canonicalFaultSet([{ ...plain, lose_unsynced: false }])).toEqual([plain]);
    expect(formatFault(power)).toBe('kv.write=crash(nth=2, path="/data/*", lose_unsynced=True)');
    const rule = faultToRule(power, 'f1');
    expect(rule.action).toEqual({ kind: 'crash', loseUnsynced: true });
    expect(ruleToFault(rule)).toEqual(power);
    expect(ruleToFault(faultToRule(plain, 'f1'))).toEqual(plain);
    expect(parseFaultSpec(JSON.parse(JSON.stringify(power)), 'x.json')).toEqual(power);
    expect(() => parseFaultSpec({ ...w3, lose_unsynced: true }, 'x.json')).toThrow('x.json: "lose_unsynced" must be true or false, and only on a crash');
    // A crash and a deny at the same call compete for it; two crash points are never one case.
    expect(hasCompetingFaults([plain, { ...plain, action: 'deny', errno: 'EIO' }])).toBe(true);
    expect(hasCompetingFaults([plain, { ...plain, syscall: 'fsync', nth: 1 }])).toBe(true);
    expect(hasCompetingFaults([plain, { ...w3, path: '/other/*' }])).toBe(false);
  });

  it('print in the spec spelling', () => {
    expect(formatFault(w3)).toBe('db.write=deny("ENOSPC", nth=3, path="/data/*")');
    expect(formatFault({ ...c1, delay_ms: 2000 })).toBe('api.connect=delay("2s", after=2)');
    expect(formatFaultSet([w3, c1])).toBe('api.connect=delay("200ms", after=2) + db.write=deny("ENOSPC", nth=3, path="/data/*")');
    expect(formatFaultSet([])).toBe('(no faults)');
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
    expect(faultToRule({ ...w3, syscall: 'pwrite64' }, 'f').syscalls).toEqual(['pwrite64']);
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
    expect(hasCompetingFaults([w3, { ...w3, errno: 'EIO' }])).toBe(true);
    expect(hasCompetingFaults([w3, { ...w3, nth: 4 }])).toBe(false);
    const always: FaultSpec = { service: 'db', syscall: 'write', action: 'deny', errno: 'EIO' };
    expect(hasCompetingFaults([always, { ...always, action: 'delay', errno: undefined, delay_ms: 100 }])).toBe(true);
    expect(hasCompetingFaults([always, { ...always, nth: 1 }])).toBe(false);
  });

  it('validate faults read from files with messages naming the field', () => {
    expect(parseFaultSpec({ ...w3 }, 'c.json: faults[0]')).toEqual(w3);
    expect(() => parseFaultSpec({ ...w3, errno: 'EBOGUS' }, 'c.json: faults[0]')).toThrow(/c\.json: faults\[0\]: "errno" must be one of/);
    expect(() => parseFaultSpec({ ...w3, syscall: 'frobnicate' }, 'x')).toThrow(/x: "syscall" must be a syscall family or name/);
    expect(() => parseFaultSpec({ ...w3, nth: 0 }, 'x')).toThrow(/"nth" must be an integer >= 1/);
    expect(() => parseFaultSpec({ ...w3, after: 1 }, 'x')).toThrow(/cannot both be set/);
    expect(() => parseFaultSpec({ ...c1, delay_ms: -1 }, 'x')).toThrow(/"delay_ms" must be a non-negative integer/);
    expect(() => parseFaultSpec(null, 'x')).toThrow(/expected a fault object/);
  });
});
