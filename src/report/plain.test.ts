import { describe, expect, it } from 'vitest';
import { faultFromJson } from '../explorer/corpus/fault-json.js';
import type { CampaignSummary, FailureSummary } from '../explorer/campaign/progress.js';
import { createPlainReporter } from './plain.js';

function harness() {
  let clock = 50_000;
  const lines: string[] = [];
  const reporter = createPlainReporter({ write: (l) => lines.push(l), now: () => clock });
  return { lines, listener: reporter.listener, at: (ms: number) => (clock = 50_000 + ms) };
}

const diskFull: FailureSummary = {
  id: 'f1',
  scenario: 'checkout',
  kind: 'fail',
  message: 'assert_eq: expected 200, got 500\n(from checkout.star:12:5)',
  faults: [faultFromJson({ service: 'postgres', syscall: 'write', action: 'deny', errno: 'ENOSPC', nth: 3 })],
  reproduced: '5/5',
  known: false,
  replay: 'faultbox explore replay shop.star --failure f1',
  regression: 'corpus/regressions/f1.star',
  excerpt: ['#118 postgres pwrite64 deny(ENOSPC)'],
};

describe('plain reporter', () => {
  it('prints one line per phase change', () => {
    const h = harness();
    h.listener({ type: 'phase', phase: 'record', atMs: 0 });
    h.at(5_000);
    h.listener({ type: 'phase', phase: 'singles', atMs: 5_000 });
    h.listener({ type: 'phase', phase: 'singles', atMs: 5_000 });
    expect(h.lines).toEqual(['[00:00] phase: record', '[00:05] phase: single faults']);
  });

  it('counts triage runs beside the explored ones, as the final summary does', () => {
    const h = harness();
    h.at(0);
    h.listener({ type: 'phase', phase: 'singles', atMs: 0 });
    h.listener({ type: 'case-end', index: 0, verdict: 'fail', durationMs: 5 });
    h.listener({ type: 'case-end', index: 1, verdict: 'fail', durationMs: 5, triage: true });
    h.at(11_000);
    h.listener({ type: 'case-end', index: 2, verdict: 'fail', durationMs: 5, triage: true });
    expect(h.lines.at(-1)).toMatch(/progress: 3 runs \(1 explored, 2 triage\), /);
  });

  it('prints a progress line at most every 10 s, with cases, rate and elapsed/budget', () => {
    const h = harness();
    h.listener({ type: 'phase', phase: 'singles', atMs: 0 });
    h.listener({ type: 'budget', elapsedMs: 0, budgetMs: 300_000 });
    // A case ends every 3 s for 39 s: progress is due at 12 s, 24 s and 36 s only.
    for (let t = 3_000; t <= 39_000; t += 3_000) {
      h.at(t);
      h.listener({ type: 'case-end', index: t / 3_000, verdict: 'pass', durationMs: 3_000 });
    }
    const progress = h.lines.filter((l) => l.includes('progress:'));
    expect(progress).toEqual([
      '[00:12] progress: 4 runs, 20/min, elapsed 12.0s / 5m00s (4m48s left), 0 failures',
      '[00:24] progress: 8 runs, 20/min, elapsed 24.0s / 5m00s (4m36s left), 0 failures',
      '[00:36] progress: 12 runs, 20/min, elapsed 36.0s / 5m00s (4m24s left), 0 failures',
    ]);
  });

  it('lets budget reports carry progress when cases are slow', () => {
    const h = harness();
    h.listener({ type: 'phase', phase: 'singles', atMs: 0 });
    h.at(5_000);
    h.listener({ type: 'budget', elapsedMs: 5_000 });
    h.at(11_000);
    h.listener({ type: 'budget', elapsedMs: 11_000 });
    expect(h.lines.at(-1)).toBe('[00:11] progress: 0 runs, 0.0/min, elapsed 11.0s, 0 failures');
    expect(h.lines.filter((l) => l.includes('progress:'))).toHaveLength(1);
  });

  it('prints each failure once, on one line with faults, reproduction, marker and replay', () => {
    const h = harness();
    h.at(63_000);
    h.listener({ type: 'failure', failure: diskFull });
    h.listener({ type: 'failure', failure: diskFull });
    expect(h.lines).toEqual([
      '[00:00] failure NEW fail in checkout: postgres write=deny(ENOSPC, nth=3) (reproduced 5/5): ' +
        'assert_eq: expected 200, got 500 … · replay: faultbox explore replay shop.star --failure f1',
    ]);
    // Re-sent with a new reproduction rate: printed again so the log shows the change.
    h.listener({ type: 'failure', failure: { ...diskFull, reproduced: '4/5' } });
    expect(h.lines).toHaveLength(2);
    expect(h.lines[1]).toContain('(reproduced 4/5)');
  });

  it('passes engine log lines through with a timestamp', () => {
    const h = harness();
    h.listener({ type: 'phase', phase: 'record', atMs: 0 });
    h.at(2_000);
    h.listener({ type: 'log', line: 'census: 3 services, 412 call sites' });
    expect(h.lines.at(-1)).toBe('[00:02] census: 3 services, 412 call sites');
  });

  it('ends with the final summary: runs, vacuous, failures, coverage table', () => {
    const h = harness();
    const summary: CampaignSummary = {
      seed: 42,
      runs: 230,
      triageRuns: 12,
      vacuous: 7,
      durationMs: 600_000,
      scenarios: ['checkout', 'refund'],
      failures: [
        diskFull,
        {
          ...diskFull, id: 'f2', known: true, kind: 'crash', message: 'exit 139', regression: undefined,
          serviceLog: { service: 'postgres', lines: ['l1', 'l2', 'l3', 'l4', 'l5', 'PANIC: could not write to file'] },
        },
      ],
      coverage: [
        { service: 'postgres', family: 'write', tried: 6, possible: 12 },
        { service: 'postgres', family: 'fsync', tried: 0, possible: 4 },
      ],
      stoppedBy: 'budget',
    };
    h.listener({ type: 'done', summary });
    expect(h.lines).toEqual([
      'campaign finished: time budget used after 10m00s (seed 42)',
      '  findings: 2 (1 new, 1 known)',
      '    NEW   fail         checkout: assert_eq: expected 200, got 500 … — postgres write=deny(ENOSPC, nth=3) (reproduced 5/5)',
      '    KNOWN crash        checkout: exit 139 — postgres write=deny(ENOSPC, nth=3) (reproduced 5/5)',
      '  scenarios: checkout, refund',
      '  242 runs (230 explored, 12 triage), vacuous: 7',
      '  NEW fail in checkout: postgres write=deny(ENOSPC, nth=3) (reproduced 5/5)',
      '          assert_eq: expected 200, got 500',
      '          (from checkout.star:12:5)',
      '          replay: faultbox explore replay shop.star --failure f1',
      '          regression: corpus/regressions/f1.star',
      '  KNOWN crash in checkout: postgres write=deny(ENOSPC, nth=3) (reproduced 5/5)',
      '          exit 139',
      "          last lines of postgres's log:",
      '          | l2',
      '          | l3',
      '          | l4',
      '          | l5',
      '          | PANIC: could not write to file',
      '          replay: faultbox explore replay shop.star --failure f1',
      '  coverage (tried / possible):',
      '    postgres  ████████░░░░░░░░░░░░       6/16   37%',
      '      write   ██████████░░░░░░░░░░       6/12   50%',
      '      fsync   ░░░░░░░░░░░░░░░░░░░░        0/4    0%',
    ]);
  });
});
