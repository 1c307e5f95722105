// Folds the explorer's progress events (and the person's key presses) into what the terminal UI
// shows. Pure: every action carries the wall-clock time it happened, so tests replay exactly.
import type {
  CampaignSummary,
  CoverageRow,
  FailureSummary,
  Phase,
  ProgressEvent,
  TargetShare,
  VerdictKind,
} from '../explorer/campaign/progress.js';
import type { InjectedFault } from '../explorer/faults.js';
import { casesPerMinute, estimateElapsed, trimWindow, type ElapsedSample } from '../report/pace.js';
import { bySeverity } from '../report/summary-text.js';

export interface CurrentCase {
  readonly index: number;
  readonly scenario: string;
  readonly faults: readonly InjectedFault[];
  /** Set once the case has ended and no newer case has started. */
  readonly verdict?: VerdictKind;
  readonly durationMs?: number;
}

export type Screen = { readonly kind: 'list' } | { readonly kind: 'detail'; readonly failureId: string };

export interface CampaignView {
  /** Wall clock of the latest action; selectors compute "now" figures from it. */
  readonly nowMs: number;
  /** Wall clock of the first progress event (the campaign start as the UI saw it). */
  readonly startedAtMs?: number;
  readonly phase?: Phase;
  readonly casesRun: number;
  readonly verdicts: Readonly<Partial<Record<VerdictKind, number>>>;
  /** Wall-clock end times of the cases inside the rate window. */
  readonly recentCaseEnds: readonly number[];
  readonly elapsed?: ElapsedSample;
  readonly budgetMs?: number;
  readonly coverage: readonly CoverageRow[];
  /** Share of the space's targets that had a fault so far. */
  readonly targets?: TargetShare;
  /** Restarts of services between cases, per service. */
  readonly restarts: Readonly<Record<string, number>>;
  readonly current?: CurrentCase;
  /** In the order first found; a later event with the same id updates the entry in place. */
  readonly failures: readonly FailureSummary[];
  readonly recentLog: readonly string[];
  readonly summary?: CampaignSummary;
  /** The person asked to stop; the engine has not said `done` yet. */
  readonly stopping: boolean;
  readonly selected: number;
  readonly screen: Screen;
}

export type CampaignAction =
  | { readonly type: 'event'; readonly event: ProgressEvent; readonly nowMs: number }
  | { readonly type: 'tick'; readonly nowMs: number }
  | { readonly type: 'select'; readonly delta: number }
  | { readonly type: 'open' }
  | { readonly type: 'back' }
  | { readonly type: 'stop-requested' };

const LOG_LINES_KEPT = 3;

export function initialCampaignView(nowMs: number): CampaignView {
  return {
    nowMs,
    casesRun: 0,
    verdicts: {},
    recentCaseEnds: [],
    coverage: [],
    restarts: {},
    failures: [],
    recentLog: [],
    stopping: false,
    selected: 0,
    screen: { kind: 'list' },
  };
}

export function reduceCampaign(view: CampaignView, action: CampaignAction): CampaignView {
  switch (action.type) {
    case 'event':
      return foldEvent({ ...view, nowMs: action.nowMs, startedAtMs: view.startedAtMs ?? action.nowMs }, action.event);
    case 'tick':
      return { ...view, nowMs: action.nowMs, recentCaseEnds: trimWindow(view.recentCaseEnds, action.nowMs) };
    case 'select': {
      if (view.failures.length === 0 || view.screen.kind !== 'list') return view;
      const selected = clamp(view.selected + action.delta, 0, view.failures.length - 1);
      return selected === view.selected ? view : { ...view, selected };
    }
    case 'open': {
      const failure = view.failures[view.selected];
      if (!failure || view.screen.kind !== 'list') return view;
      return { ...view, screen: { kind: 'detail', failureId: failure.id } };
    }
    case 'back':
      return view.screen.kind === 'list' ? view : { ...view, screen: { kind: 'list' } };
    case 'stop-requested':
      return view.stopping || view.summary ? view : { ...view, stopping: true };
  }
}

function foldEvent(view: CampaignView, event: ProgressEvent): CampaignView {
  switch (event.type) {
    case 'phase':
      return {
        ...view,
        phase: event.phase,
        elapsed: { engineMs: event.atMs, atWallMs: view.nowMs },
      };
    case 'case-start':
      return { ...view, current: { index: event.index, scenario: event.scenario, faults: event.faults } };
    case 'case-end': {
      const current =
        view.current && view.current.index === event.index
          ? { ...view.current, verdict: event.verdict, durationMs: event.durationMs }
          : view.current;
      return {
        ...view,
        current,
        casesRun: view.casesRun + 1,
        verdicts: { ...view.verdicts, [event.verdict]: (view.verdicts[event.verdict] ?? 0) + 1 },
        recentCaseEnds: [...trimWindow(view.recentCaseEnds, view.nowMs), view.nowMs],
      };
    }
    case 'coverage':
      return { ...view, coverage: event.rows, ...(event.targets ? { targets: event.targets } : {}) };
    case 'restart': {
      const restarts = { ...view.restarts };
      for (const s of event.services) restarts[s] = (restarts[s] ?? 0) + 1;
      return { ...view, restarts };
    }
    case 'failure':
      return { ...view, failures: upsertFailure(view.failures, event.failure) };
    case 'budget':
      return {
        ...view,
        elapsed: { engineMs: event.elapsedMs, atWallMs: view.nowMs },
        budgetMs: event.budgetMs ?? view.budgetMs,
      };
    case 'log':
      return { ...view, recentLog: [...view.recentLog, event.line].slice(-LOG_LINES_KEPT) };
    case 'done':
      return foldDone(view, event.summary);
  }
}

/** The summary is authoritative: its failures, counts and coverage replace what events built up. */
function foldDone(view: CampaignView, summary: CampaignSummary): CampaignView {
  const failures = summary.failures.length > 0 || view.failures.length === 0 ? summary.failures : view.failures;
  const screen: Screen =
    view.screen.kind === 'detail' && !failures.some((f) => view.screen.kind === 'detail' && f.id === view.screen.failureId)
      ? { kind: 'list' }
      : view.screen;
  return {
    ...view,
    phase: 'done',
    summary,
    stopping: false,
    casesRun: summary.runs + (summary.triageRuns ?? 0), // every run, as counted live
    verdicts: { ...view.verdicts, vacuous: summary.vacuous },
    elapsed: { engineMs: summary.durationMs, atWallMs: view.nowMs },
    coverage: summary.coverage.length > 0 ? summary.coverage : view.coverage,
    failures,
    selected: clamp(view.selected, 0, Math.max(0, failures.length - 1)),
    screen,
    current: undefined,
  };
}

/** In severity order (safety first), then as found; a re-sent failure updates its entry. */
function upsertFailure(failures: readonly FailureSummary[], failure: FailureSummary): FailureSummary[] {
  const at = failures.findIndex((f) => f.id === failure.id);
  const next = [...failures];
  if (at === -1) next.push(failure);
  else next[at] = failure;
  return bySeverity(next);
}

function clamp(n: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, n));
}

// ---- selectors: derived figures the components print ----

export function elapsedMs(view: CampaignView): number {
  if (view.summary) return view.summary.durationMs;
  return estimateElapsed(view.elapsed, view.startedAtMs ?? view.nowMs, view.nowMs);
}

export function timeLeftMs(view: CampaignView): number | undefined {
  if (view.budgetMs === undefined) return undefined;
  return Math.max(0, view.budgetMs - elapsedMs(view));
}

/** Sliding-window rate while running; the whole campaign's average once it is done. */
export function ratePerMinute(view: CampaignView): number | undefined {
  if (view.summary) {
    return view.summary.durationMs > 0 ? (view.summary.runs * 60_000) / view.summary.durationMs : undefined;
  }
  if (view.startedAtMs === undefined) return undefined;
  return casesPerMinute(view.recentCaseEnds, view.nowMs, view.startedAtMs);
}

export function openFailure(view: CampaignView): FailureSummary | undefined {
  const screen = view.screen;
  return screen.kind === 'detail' ? view.failures.find((f) => f.id === screen.failureId) : undefined;
}

/** Cases whose verdict was a finding (not pass, not vacuous). */
export function failingCases(view: CampaignView): number {
  const v = view.verdicts;
  return (v.fail ?? 0) + (v.crash ?? 0) + (v.timeout ?? 0) + (v.unhealthy ?? 0);
}
