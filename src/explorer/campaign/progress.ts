// Progress events the campaign emits. The Ink UI, the plain CI log and the reports consume
// them; the engine never imports UI code.
import type { InjectedFault } from '../faults.js';
import type { CaseVerdictKind, ServiceLog } from '../runner/runner.js';
import type { Severity } from '../triage/symptom.js';

export type Phase = 'record' | 'known' | 'singles' | 'combinations' | 'shrinking' | 'done';

/** A case's verdict as reported: the runner's kinds, plus vacuous (no armed fault fired). */
export type VerdictKind = CaseVerdictKind | 'vacuous';

export interface FailureSummary {
  readonly id: string;
  readonly scenario: string;
  readonly kind: VerdictKind;
  readonly message: string;
  readonly faults: readonly InjectedFault[];
  /** "k/n" */
  readonly reproduced: string;
  readonly known: boolean;
  readonly replay: string;
  readonly regression?: string;
  /** Syscall event lines around the injected fault, for the detail view and reports. */
  readonly excerpt: readonly string[];
  /** For crashes: the dead service's last log lines. */
  readonly serviceLog?: ServiceLog;
  /**
   * minimal: confirmed and shrunk to a 1-minimal set; partial: the budget cut shrinking short;
   * flaky: did not fail again when re-run; untriaged: no time was left to confirm it.
   */
  readonly state?: 'minimal' | 'partial' | 'flaky' | 'untriaged';
  /** safety (wrong or lost data), availability (crash, unhealthy, step error), liveness (timeout). */
  readonly severity?: Severity;
  /** What the finding's symptom is made of, e.g. `assertion at spec.star:31:5`. */
  readonly symptom?: string;
  /** Other fault sets that showed the same symptom (the representative is `faults`). */
  readonly alternatives?: readonly (readonly InjectedFault[])[];
  /** Why the finding is not confirmed and minimal, when it is not. */
  readonly why?: string;
}

/** Failures of a symptom the user declared expected: counted, never reported as findings. */
export interface ExpectedTally {
  readonly scenario: string;
  /** The symptom, as FailureSummary.symptom words it. */
  readonly symptom: string;
  /** The expectation that matched (`explore(expect=...)` or an accepted corpus entry). */
  readonly by: string;
  readonly cases: number;
  /** The first fault set that showed it. */
  readonly example: readonly InjectedFault[];
}

/** How much of the fault space's targets (service, family, path/peer) had at least one fault. */
export interface TargetShare {
  readonly touched: number;
  readonly total: number;
}

export interface CoverageRow {
  readonly service: string;
  readonly family: string;
  readonly tried: number;
  readonly possible: number;
}

export interface CampaignSummary {
  readonly seed: number;
  /** Explored cases (known replays, singles, combinations). */
  readonly runs: number;
  /** Runs spent confirming, shrinking and reproducing findings; every run is one or the other. */
  readonly triageRuns?: number;
  readonly vacuous: number;
  readonly durationMs: number;
  readonly scenarios: readonly string[];
  readonly failures: readonly FailureSummary[];
  readonly coverage: readonly CoverageRow[];
  readonly stoppedBy: 'exhausted' | 'runs' | 'budget' | 'user' | 'error';
  readonly targets?: TargetShare;
  /** Restarts of crashed or unhealthy services between cases, per service. */
  readonly restarts?: Readonly<Record<string, number>>;
  readonly expected?: readonly ExpectedTally[];
}

export type ProgressEvent =
  | { readonly type: 'phase'; readonly phase: Phase; readonly atMs: number }
  | { readonly type: 'case-start'; readonly index: number; readonly scenario: string; readonly faults: readonly InjectedFault[] }
  /** `triage`: a confirmation, shrink or reproduction run (counted apart from the explored cases). */
  | { readonly type: 'case-end'; readonly index: number; readonly verdict: VerdictKind; readonly durationMs: number; readonly triage?: boolean }
  | { readonly type: 'coverage'; readonly rows: readonly CoverageRow[]; readonly targets?: TargetShare }
  /** Services restarted between cases (counted by the reports, not printed one by one). */
  | { readonly type: 'restart'; readonly services: readonly string[] }
  /** A failure whose id was reported before replaces that report (e.g. a flaky one confirmed later). */
  | { readonly type: 'failure'; readonly failure: FailureSummary }
  | { readonly type: 'budget'; readonly elapsedMs: number; readonly budgetMs?: number }
  | { readonly type: 'log'; readonly line: string }
  | { readonly type: 'done'; readonly summary: CampaignSummary };

export type ProgressListener = (event: ProgressEvent) => void;
