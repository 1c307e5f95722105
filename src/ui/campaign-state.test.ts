import { describe, expect, it } from 'vitest';
import { faultFromJson } from '../explorer/corpus/fault-json.js';
import type { CampaignSummary, FailureSummary, ProgressEvent } from '../explorer/campaign/progress.js';
import {
  elapsedMs,
  failingCases,
  initialCampaignView,
  openFailure,
  ratePerMinute,
  reduceCampaign,
  timeLeftMs,
  type CampaignAction,
  type CampaignView,
} from './campaign-state.js';

const T0 = 1_000_000;

function failure(id: string, over: Partial<FailureSummary> = {}): FailureSummary {
  return {
    id,
    scenario: 'checkout',
    kind: 'fail',
    message: `assert_eq failed for ${id}`,
    faults: [faultFromJson({ service: 'postgres', syscall: 'write', action: 'deny', errno: 'ENOSPC', nth: 3 })],
    reproduced: '5/5',
    known: false,
    replay: `faultbox explore replay --failure ${id}`,
    excerpt: [],
    ...over,
  };
}

function fold(actions: CampaignAction[], start: CampaignView = initialCampaignView(T0)): CampaignView {
  return actions.reduce(reduceCampaign, start);
}

const ev = (event: ProgressEvent, nowMs: number): CampaignAction => ({ type: 'event', event, nowMs });

describe('reduceCampaign: progress events', () => {
  it('tracks the phase, the current case and counts verdicts', () => {
    const view = fold([
      ev({ type: 'phase', phase: 'singles', atMs: 2_000 }, T0),
      ev({ type: 'case-start', index: 7, scenario: 'checkout', faults: failure('x').faults }, T0 + 10),
      ev({ type: 'case-end', index: 7, verdict: 'vacuous', durationMs: 900 }, T0 + 910),
      ev({ type: 'case-start', index: 8, scenario: 'refund', faults: [] }, T0 + 920),
      ev({ type: 'case-end', index: 8, verdict: 'crash', durationMs: 500 }, T0 + 1_420),
    ]);
    expect(view.phase).toBe('singles');
    expect(view.casesRun).toBe(2);
    expect(view.verdicts).toEqual({ vacuous: 1, crash: 1 });
    expect(failingCases(view)).toBe(1);
    expect(view.current).toEqual({ index: 8, scenario: 'refund', faults: [], verdict: 'crash', durationMs: 500 });
  });

  it('measures cases per minute over a sliding one-minute window', () => {
    // 30 cases in the first minute, then 5 in the second.
    const actions: CampaignAction[] = [ev({ type: 'phase', phase: 'singles', atMs: 0 }, T0)];
    for (let i = 0; i < 30; i++) actions.push(ev({ type: 'case-end', index: i, verdict: 'pass', durationMs: 2_000 }, T0 + 2_000 * (i + 1)));
    for (let i = 0; i < 5; i++) actions.push(ev({ type: 'case-end', index: 30 + i, verdict: 'pass', durationMs: 12_000 }, T0 + 60_000 + 12_000 * (i + 1)));
    const view = fold(actions);
    expect(view.casesRun).toBe(35);
    // At T0+120s the window (T0+60s, T0+120s] holds only the 5 slow cases.
    expect(ratePerMinute(view)).toBeCloseTo(5, 6);
    expect(view.recentCaseEnds).toHaveLength(5);
  });

  it('uses the time since start while the campaign is younger than the window', () => {
    const view = fold([
      ev({ type: 'phase', phase: 'record', atMs: 0 }, T0),
      ev({ type: 'case-end', index: 0, verdict: 'pass', durationMs: 5 }, T0 + 10_000),
      ev({ type: 'case-end', index: 1, verdict: 'pass', durationMs: 5 }, T0 + 20_000),
    ]);
    expect(ratePerMinute(view)).toBeCloseTo(6, 6);
  });

  it('gives no rate before a second has passed', () => {
    const view = fold([ev({ type: 'case-end', index: 0, verdict: 'pass', durationMs: 5 }, T0 + 10)]);
    expect(ratePerMinute(view)).toBeUndefined();
  });

  it('extrapolates elapsed time from the last budget report and computes time left', () => {
    const view = fold([
      ev({ type: 'phase', phase: 'record', atMs: 0 }, T0),
      ev({ type: 'budget', elapsedMs: 30_000, budgetMs: 600_000 }, T0 + 30_500),
      { type: 'tick', nowMs: T0 + 35_500 },
    ]);
    expect(elapsedMs(view)).toBe(35_000);
    expect(timeLeftMs(view)).toBe(565_000);
  });

  it('has no time left without a budget', () => {
    const view = fold([ev({ type: 'phase', phase: 'record', atMs: 0 }, T0), { type: 'tick', nowMs: T0 + 4_000 }]);
    expect(elapsedMs(view)).toBe(4_000);
    expect(timeLeftMs(view)).toBeUndefined();
  });

  it('keeps failures in the order found and updates a re-sent failure in place', () => {
    const view = fold([
      ev({ type: 'failure', failure: failure('a') }, T0),
      ev({ type: 'failure', failure: failure('b', { known: true }) }, T0 + 1),
      ev({ type: 'failure', failure: failure('a', { reproduced: '3/5', faults: [] }) }, T0 + 2),
    ]);
    expect(view.failures.map((f) => [f.id, f.reproduced])).toEqual([
      ['a', '3/5'],
      ['b', '5/5'],
    ]);
  });

  it('keeps only the last few log lines', () => {
    const view = fold(['one', 'two', 'three', 'four'].map((line, i) => ev({ type: 'log', line }, T0 + i)));
    expect(view.recentLog).toEqual(['two', 'three', 'four']);
  });

  it('takes the done summary as the final word', () => {
    const summary: CampaignSummary = {
      seed: 42,
      runs: 120,
      vacuous: 4,
      durationMs: 120_000,
      scenarios: ['checkout'],
      failures: [failure('a', { reproduced: '5/5' })],
      coverage: [{ service: 'postgres', family: 'write', tried: 3, possible: 9 }],
      stoppedBy: 'budget',
    };
    const view = fold([
      ev({ type: 'case-start', index: 1, scenario: 'checkout', faults: [] }, T0),
      ev({ type: 'failure', failure: failure('a', { reproduced: '2/5' }) }, T0 + 1),
      { type: 'stop-requested' },
      ev({ type: 'done', summary }, T0 + 500),
    ]);
    expect(view.phase).toBe('done');
    expect(view.stopping).toBe(false);
    expect(view.casesRun).toBe(120);
    expect(view.verdicts.vacuous).toBe(4);
    expect(view.failures[0]?.reproduced).toBe('5/5');
    expect(view.coverage).toEqual(summary.coverage);
    expect(view.current).toBeUndefined();
    expect(elapsedMs(view)).toBe(120_000);
    expect(ratePerMinute(view)).toBe(60);
  });
});

describe('reduceCampaign: navigation', () => {
  const withThree = fold(['a', 'b', 'c'].map((id, i) => ev({ type: 'failure', failure: failure(id) }, T0 + i)));

  it('moves the selection within the list and clamps at the ends', () => {
    expect(fold([{ type: 'select', delta: -1 }], withThree).selected).toBe(0);
    expect(fold([{ type: 'select', delta: 1 }, { type: 'select', delta: 1 }, { type: 'select', delta: 1 }], withThree).selected).toBe(2);
  });

  it('opens the selected failure and goes back', () => {
    const opened = fold([{ type: 'select', delta: 1 }, { type: 'open' }], withThree);
    expect(opened.screen).toEqual({ kind: 'detail', failureId: 'b' });
    expect(openFailure(opened)?.id).toBe('b');
    // The detail stays on its failure even if the list changes underneath.
    const moved = fold([ev({ type: 'failure', failure: failure('b', { reproduced: '4/5' }) }, T0 + 9)], opened);
    expect(openFailure(moved)?.reproduced).toBe('4/5');
    expect(fold([{ type: 'back' }], opened).screen).toEqual({ kind: 'list' });
  });

  it('ignores open with no failures and selection while in the detail', () => {
    const empty = initialCampaignView(T0);
    expect(reduceCampaign(empty, { type: 'open' })).toBe(empty);
    const opened = fold([{ type: 'open' }], withThree);
    expect(reduceCampaign(opened, { type: 'select', delta: 1 })).toBe(opened);
  });

  it('marks a stop request once and not after done', () => {
    const stopping = fold([{ type: 'stop-requested' }], withThree);
    expect(stopping.stopping).toBe(true);
    expect(reduceCampaign(stopping, { type: 'stop-requested' })).toBe(stopping);
  });
});
