import { describe, expect, it } from 'vitest';
import { faultFromJson } from '../explorer/corpus/fault-json.js';
import {
  coverageBar,
  formatClock,
  formatDuration,
  formatFault,
  formatFaultSet,
  formatPercent,
  formatRate,
  formatReproduction,
} from './summary-text.js';
import type { FailureSummary } from '../explorer/campaign/progress.js';
import { failureLine } from './plain.js';

describe('formatFault', () => {
  it('renders a deny with errno and occurrence the way a spec writes it', () => {
    expect(formatFault(faultFromJson({ service: 'postgres', syscall: 'write', action: 'deny', errno: 'ENOSPC', nth: 3 }))).toBe(
      'postgres write=deny(ENOSPC, nth=3)',
    );
  });

  it('renders a delay with every trigger field and a quoted path', () => {
    expect(
      formatFault(faultFromJson({ service: 'api', syscall: 'connect', action: 'delay', delay_ms: 1500, after: 2, count: 1, path: '/var/lib/a b' })),
    ).toBe('api connect=delay(1.5s, after=2, count=1, path="/var/lib/a b")');
    expect(formatFault(faultFromJson({ service: 'api', syscall: 'read', action: 'delay', delay_ms: 2000 }))).toBe('api read=delay(2s)');
  });

  it('joins a fault set with + and names an empty one', () => {
    expect(
      formatFaultSet([
        faultFromJson({ service: 'a', syscall: 'write', action: 'deny', errno: 'EIO' }),
        faultFromJson({ service: 'b', syscall: 'connect', action: 'delay', delay_ms: 300 }),
      ]),
    ).toBe('a write=deny(EIO) + b connect=delay(300ms)');
    expect(formatFaultSet([])).toBe('(no faults)');
  });
});

describe('durations and rates', () => {
  it('gets coarser as durations grow', () => {
    expect(formatDuration(0)).toBe('0ms');
    expect(formatDuration(450)).toBe('450ms');
    expect(formatDuration(12_345)).toBe('12.3s');
    expect(formatDuration(185_000)).toBe('3m05s');
    expect(formatDuration(3_720_000)).toBe('1h02m');
    expect(formatDuration(-5)).toBe('0ms');
  });

  it('stamps log lines with an elapsed clock', () => {
    expect(formatClock(185_999)).toBe('03:05');
    expect(formatClock(3_723_000)).toBe('1:02:03');
  });

  it('writes delays the way a spec would', () => {
    const delay = (ms: number) => formatFault(faultFromJson({ service: 's', syscall: 'write', action: 'delay', delay_ms: ms }));
    expect(delay(500)).toBe('s write=delay(500ms)');
    expect(delay(3000)).toBe('s write=delay(3s)');
    expect(delay(1001)).toBe('s write=delay(1.001s)');
  });

  it('shows one decimal for slow rates and none for fast ones', () => {
    expect(formatRate(undefined)).toBe('—/min');
    expect(formatRate(4.25)).toBe('4.3/min');
    expect(formatRate(84.6)).toBe('85/min');
  });
});

describe('coverageBar', () => {
  it('fills in proportion to tried / possible', () => {
    expect(coverageBar(5, 10, 10)).toBe('█████░░░░░');
    expect(coverageBar(0, 10, 4)).toBe('░░░░');
    expect(coverageBar(10, 10, 4)).toBe('████');
  });

  it('never shows something tried as empty, nor almost-done as full', () => {
    expect(coverageBar(1, 1000, 10)).toBe('█░░░░░░░░░');
    expect(coverageBar(999, 1000, 10)).toBe('█████████░');
  });

  it('handles an empty space', () => {
    expect(coverageBar(0, 0, 3)).toBe('░░░');
    expect(formatPercent(0, 0)).toBe('—');
    expect(formatPercent(12, 30)).toBe('40%');
  });
});

describe('formatReproduction', () => {
  const failure = (over: Partial<FailureSummary>): FailureSummary => ({
    id: 'a1',
    scenario: 'checkout',
    kind: 'fail',
    message: 'm',
    faults: [],
    reproduced: '5/5',
    known: false,
    replay: 'faultbox replay corpus/a1.json',
    excerpt: [],
    ...over,
  });

  it('gives the rate of a triaged failure', () => {
    expect(formatReproduction(failure({ state: 'minimal' }))).toBe('reproduced 5/5');
    expect(formatReproduction(failure({}))).toBe('reproduced 5/5');
    expect(formatReproduction(failure({ state: 'partial', reproduced: '2/3' }))).toBe('reproduced 2/3, shrinking cut short');
    expect(formatReproduction(failure({ state: 'flaky', reproduced: '0/3' }))).toBe('flaky: reproduced 0/3');
  });

  it('never shows the meaningless 0/0 of a failure the budget left untriaged', () => {
    const text = formatReproduction(failure({ state: 'untriaged', reproduced: '0/0' }));
    expect(text).toBe('untriaged: no time was left to confirm it');
    expect(failureLine(failure({ state: 'untriaged', reproduced: '0/0' }))).toContain('(untriaged: no time was left to confirm it)');
    expect(failureLine(failure({ state: 'untriaged', reproduced: '0/0' }))).not.toContain('0/0');
  });
});

describe('formatFault of a crash', () => {
  it('shows the crash point and, for a power loss, lose_unsynced last', () => {
    expect(formatFault(faultFromJson({ service: 'kv', syscall: 'write', action: 'crash', nth: 2, path: '**/data*' }))).toBe('kv write=crash(nth=2, path="**/data*")');
    expect(formatFault(faultFromJson({ service: 'kv', syscall: 'fsync', action: 'crash', nth: 1, lose_unsynced: true }))).toBe('kv fsync=crash(nth=1, lose_unsynced=True)');
  });
});
