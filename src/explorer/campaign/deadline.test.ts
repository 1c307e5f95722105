import { describe, expect, it } from 'vitest';
import { caseDeadline, censusDeadline, DEFAULT_RESTART_ALLOWANCE_MS } from './deadline.js';
import { faultFromJson } from '../corpus/fault-json.js';

describe('case deadlines', () => {
  it('are ten times the slowest fault-free run, at least a second, with the range they came from', () => {
    expect(censusDeadline({ services: {}, durationMs: 30, durationsMs: [18, 25, 21] })).toEqual({ ms: 1000, faultFreeMs: [18, 25] });
    expect(censusDeadline({ services: {}, durationMs: 300, durationsMs: [240, 310] })).toEqual({ ms: 3100, faultFreeMs: [240, 310] });
    // A census from before timing runs: its recorded run.
    expect(censusDeadline({ services: {}, durationMs: 150 })).toEqual({ ms: 1500, faultFreeMs: [150, 150] });
  });

  it('stretch by what delay faults hold, never a spec timeout', () => {
    const base = { ms: 1000, faultFreeMs: [10, 20] as const };
    const delay = (extra: object) => faultFromJson({ service: 'a', syscall: 'write', action: 'delay', delay_ms: 2000, ...extra });
    expect(caseDeadline(base, [delay({ nth: 1 })], () => 5).ms).toBe(3000);
    expect(caseDeadline(base, [delay({ after: 1 })], () => 3).ms).toBe(7000);
    expect(caseDeadline(base, [delay({})], () => 1000).ms).toBe(61_000);
    expect(caseDeadline(base, [faultFromJson({ service: 'a', syscall: 'write', action: 'deny', errno: 'EIO' })], () => 5)).toBe(base);
    expect(caseDeadline({ ms: 1800 }, [delay({ nth: 1 })], () => 1)).toEqual({ ms: 1800 });
  });

  it('stretch by the time a crashed service may take to come back', () => {
    const base = { ms: 1000, faultFreeMs: [10, 20] as const };
    const crash = (service: string) => faultFromJson({ service, syscall: 'write', action: 'crash', nth: 1 });
    expect(caseDeadline(base, [crash('pg')], () => 1, (s) => (s === 'pg' ? 30_000 : undefined)).ms).toBe(31_000);
    expect(caseDeadline(base, [crash('kv')], () => 1).ms).toBe(1000 + DEFAULT_RESTART_ALLOWANCE_MS);
    expect(caseDeadline({ ms: 1800 }, [crash('pg')], () => 1, () => 30_000)).toEqual({ ms: 1800 });
  });
});
