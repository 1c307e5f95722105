import { describe, expect, it } from 'vitest';
import type { CaseVerdict } from '../runner/runner.js';
import { expectationFor, specExpectationMatches } from './expectations.js';
import { symptomOf } from './symptom.js';

const base = { fired: { f1: 1 }, excerpt: [], durationMs: 5 };
const redisCrash: CaseVerdict = { ...base, kind: 'crash', service: 'redis', exitCode: 1, serviceLog: { service: 'redis', lines: ["Can't write to the append only file: Input/output error"] } };

describe('expected symptoms', () => {
  it('match on every field given: kind, service, and a glob over the message or the last log lines', () => {
    expect(specExpectationMatches({ kind: 'crash', service: 'redis', shown: '' }, redisCrash)).toBe(true);
    expect(specExpectationMatches({ kind: 'crash', service: 'api', shown: '' }, redisCrash)).toBe(false);
    expect(specExpectationMatches({ kind: 'timeout', shown: '' }, redisCrash)).toBe(false);
    expect(specExpectationMatches({ message: '*append only file*', shown: '' }, redisCrash)).toBe(true);
    expect(specExpectationMatches({ message: '*fsync*', shown: '' }, redisCrash)).toBe(false);
    const stepError: CaseVerdict = { ...base, kind: 'fail', reason: 'step-error', message: 'redis: connection reset' };
    expect(specExpectationMatches({ kind: 'step-error', shown: '' }, stepError)).toBe(true);
    expect(specExpectationMatches({ kind: 'fail', shown: '' }, stepError)).toBe(false);
  });

  it('say which expectation matched: the spec, or an accepted corpus entry of the same symptom', () => {
    const sym = symptomOf('s', redisCrash)!;
    const spec = { from: 'spec' as const, symptom: { service: 'redis', kind: 'crash' as const, shown: 'service="redis", kind="crash"' } };
    expect(expectationFor([spec], 's', sym, redisCrash)).toBe('explore(expect=[{service="redis", kind="crash"}])');
    const accepted = { from: 'corpus' as const, id: 'abc', scenario: 's', symptomKey: sym.key };
    expect(expectationFor([accepted], 's', sym, redisCrash)).toBe('accepted corpus entry abc');
    expect(expectationFor([accepted], 'other', sym, redisCrash)).toBeUndefined();
  });
});
