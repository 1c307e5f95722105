// The campaign loop: known findings first, then every single fault, then seeded combinations.
// The first failure of each kind is triaged (confirm → shrink → reproduce) the moment it is met,
// so a person watching sees it with its minimal faults while exploring goes on; later failures
// of a kind already triaged wait until exploration ends (most fold into the same group).
// It owns the stop rules (run count, hard time budget, user stop, exhaustion), the accounting
// (executed / deduped / vacuous) and the progress events; the roles it drives live in their own
// files.
import type { Census } from './census.js';
import { CaseExecutor, failureKind, type CasePurpose } from './case-executor.js';
import { combinationsSource, singlesSource, type ExploreCase } from './case-source.js';
import type { CorpusEntry } from './corpus.js';
import { InfraError, UsageError } from '../errors.js';
import { caseKey, hasCompetingFaults } from './faults.js';
import type {
  CampaignSummary,
  CoverageRow,
  FailureSummary,
  FaultSpec,
  Phase,
  ProgressEvent,
  ProgressListener,
} from './progress.js';
import { Budget, type StopReason } from './budget.js';
import type { ScenarioRunner } from './runner.js';
import { inShard, type Shard } from './shard.js';
import type { FaultSpace } from './space.js';
import { messageClass } from './signature.js';
import { Triage, type FailureGroup, type PendingFailure, type TriageStatus } from './triage.js';
import { verdictMessage } from './runner.js';

export const DEFAULT_CASE_TIMEOUT_MS = 30_000;

export interface CampaignScenario {
  readonly name: string;
  /** Case timeout; default 30 s. */
  readonly timeoutMs?: number;
}

export interface CampaignOptions {
  readonly runner: ScenarioRunner;
  readonly census: Census;
  readonly space: FaultSpace;
  /** Scenarios to explore, in this order (must all be in `space`). */
  readonly scenarios: readonly CampaignScenario[];
  readonly seed: number;
  /** Max exploration cases (known replays + singles + combinations). */
  readonly runs?: number;
  /** Hard wall-clock budget; the case in flight is aborted at the deadline. */
  readonly budgetMs?: number;
  readonly shard?: Shard;
  /** Corpus entries to replay first. */
  readonly known?: readonly CorpusEntry[];
  readonly confirmRuns?: number;
  readonly reproduceRuns?: number;
  readonly maxShrinkRuns?: number;
  /** Share of the budget kept for triage once a failure is pending (default 0.25). */
  readonly shrinkReserve?: number;
  /** Extra time past a case's timeout before the engine aborts a runner that has not returned. */
  readonly graceMs?: number;
  /** How a finding is replayed (default `faultbox replay corpus/<id>.json`). */
  readonly replayCommand?: (id: string) => string;
  /** Where a group's regression file is exported at the end, if it is exported. */
  readonly regressionPath?: (g: FailureGroup) => string | undefined;
  readonly signal?: AbortSignal;
  readonly onProgress?: ProgressListener;
  readonly now?: () => number;
}

export interface CampaignStats {
  /** Exploration cases run (what `--runs` bounds). */
  readonly executed: number;
  /** Exploration cases skipped because the same canonical case already ran (or competes for one call). */
  readonly deduped: number;
  readonly vacuous: number;
  readonly infraErrors: number;
  readonly singlesTotal: number;
  readonly singlesRun: number;
  readonly combinationsRun: number;
  readonly knownReplayed: number;
  /** Corpus ids that no longer fail. */
  readonly knownFixed: readonly string[];
  /** Runner executions spent on triage. */
  readonly confirmRuns: number;
  readonly shrinkRuns: number;
  readonly reproduceRuns: number;
  /** Exploration failures filed under an existing group instead of opening a new one. */
  readonly duplicateFailures: number;
  /** Failures that needed a fault that never fired (only arming it); counted as vacuous. */
  readonly artifacts: number;
}

export interface TrailEntry {
  readonly phase: 'known' | 'singles' | 'combinations';
  readonly key: string;
  readonly cls: string;
}

export interface CampaignResult {
  readonly summary: CampaignSummary;
  readonly groups: readonly FailureGroup[];
  readonly stats: CampaignStats;
  /** Exploration cases in the order they ran. */
  readonly trail: readonly TrailEntry[];
  /** Set when the campaign stopped on an infrastructure error. */
  readonly error?: string;
}

const MAX_INFRA_ERRORS_IN_A_ROW = 3;

function regressionOf(path: string | undefined): { regression?: string } {
  return path === undefined ? {} : { regression: path };
}

/** Failures of one class usually shrink to the same group: (scenario, kind, message class). */
function failureClass(p: PendingFailure): string {
  return `${p.scenario}\u0000${failureKind(p.verdict)}\u0000${messageClass(verdictMessage(p.verdict))}`;
}

export async function runCampaign(opts: CampaignOptions): Promise<CampaignResult> {
  return new Campaign(opts).run();
}

class Campaign {
  private readonly now: () => number;
  private readonly startedAt: number;
  private readonly budget: Budget;
  private readonly executor: CaseExecutor;
  private readonly triage: Triage;
  private readonly pending: PendingFailure[] = [];
  /** (scenario, kind, message class) of failures already triaged or queued first. */
  private readonly triagedClasses = new Set<string>();
  /** Canonical keys of the exploration cases (known replays included) run so far. */
  private readonly exploredKeys = new Set<string>();
  private readonly trail: TrailEntry[] = [];
  private readonly scenarioNames: Set<string>;
  private readonly coverage = new Map<string, { tried: number; possible: number }>();
  private stoppedBy: CampaignSummary['stoppedBy'] | undefined;
  private error: string | undefined;
  private infraInARow = 0;
  private readonly counts = {
    executed: 0,
    deduped: 0,
    vacuous: 0,
    infraErrors: 0,
    singlesRun: 0,
    combinationsRun: 0,
    knownReplayed: 0,
    duplicateFailures: 0,
  };
  private readonly knownFixed: string[] = [];
  private readonly knownIds = new Set<string>();

  constructor(private readonly opts: CampaignOptions) {
    this.now = opts.now ?? Date.now;
    this.startedAt = this.now();
    this.scenarioNames = new Set(opts.scenarios.map((s) => s.name));
    for (const s of opts.scenarios) {
      if (!opts.space.scenarios.some((sp) => sp.scenario === s.name)) throw new UsageError(`scenario "${s.name}" has no fault space`);
    }
    this.budget = new Budget({
      runs: opts.runs,
      budgetMs: opts.budgetMs,
      shrinkReserve: opts.shrinkReserve,
      userSignal: opts.signal,
      now: this.now,
    });
    const timeouts = new Map(opts.scenarios.map((s) => [s.name, s.timeoutMs ?? DEFAULT_CASE_TIMEOUT_MS]));
    this.executor = new CaseExecutor({
      runner: opts.runner,
      seed: opts.seed,
      timeoutFor: (s) => timeouts.get(s) ?? DEFAULT_CASE_TIMEOUT_MS,
      graceMs: opts.graceMs,
      emit: (e) => this.emit(e),
      now: this.now,
    });
    this.triage = new Triage({
      executor: this.executor,
      census: opts.census,
      space: opts.space,
      seed: opts.seed,
      confirmRuns: opts.confirmRuns,
      reproduceRuns: opts.reproduceRuns,
      maxShrinkRuns: opts.maxShrinkRuns,
    });
    for (const sp of this.spaces()) {
      for (const t of sp.targets) {
        const row = this.coverageRow(t.service, t.family);
        row.possible += t.triggers.length * t.actions.length;
      }
    }
  }

  private spaces() {
    return this.opts.space.scenarios.filter((s) => this.scenarioNames.has(s.scenario));
  }

  private emit(e: ProgressEvent): void {
    this.opts.onProgress?.(e);
  }

  private phase(phase: Phase): void {
    this.emit({ type: 'phase', phase, atMs: this.now() - this.startedAt });
  }

  private coverageRow(service: string, family: string) {
    const k = `${service}\u0000${family}`;
    let row = this.coverage.get(k);
    if (!row) this.coverage.set(k, (row = { tried: 0, possible: 0 }));
    return row;
  }

  private coverageRows(): CoverageRow[] {
    return [...this.coverage.entries()]
      .map(([k, v]) => {
        const [service, family] = k.split('\u0000') as [string, string];
        return { service, family, tried: v.tried, possible: v.possible };
      })
      .sort((a, b) => (a.service < b.service ? -1 : a.service > b.service ? 1 : a.family < b.family ? -1 : a.family > b.family ? 1 : 0));
  }

  private emitCoverage(): void {
    this.emit({ type: 'coverage', rows: this.coverageRows() });
    this.emit({ type: 'budget', elapsedMs: this.budget.elapsedMs(), ...(this.opts.budgetMs !== undefined ? { budgetMs: this.opts.budgetMs } : {}) });
  }

  async run(): Promise<CampaignResult> {
    for (const sp of this.spaces()) {
      if (sp.singles === 0) this.emit({ type: 'log', line: `scenario ${sp.scenario}: no recorded syscalls to fault (empty fault space)` });
    }
    try {
      this.phase('known');
      if (await this.replayKnown()) {
        this.phase('singles');
        if (await this.explore('singles', singlesSource(this.spaces()))) {
          const maxFaults = this.opts.space.settings.maxFaults;
          if (maxFaults >= 2) {
            this.phase('combinations');
            const source = combinationsSource(this.spaces(), this.opts.seed, maxFaults, {
              onGiveUp: (s, tried, total) =>
                this.emit({ type: 'log', line: `combinations of ${s}: sampling stalled after ${tried} of ${total}; moving on` }),
            });
            if (await this.explore('combinations', source)) this.stoppedBy = 'exhausted';
          } else {
            this.stoppedBy = 'exhausted';
          }
        }
      }
      this.emitCoverage();
      this.phase('shrinking');
      await this.triageAll();
    } catch (err) {
      if (!(err instanceof InfraError)) throw err;
      this.error = err.message;
      this.stoppedBy = 'error';
      this.emit({ type: 'log', line: `stopped: ${err.message}` });
    } finally {
      this.budget.dispose();
    }
    const summary = this.summary();
    this.phase('done');
    this.emit({ type: 'done', summary });
    return {
      summary,
      groups: this.triage.all(),
      stats: {
        ...this.counts,
        singlesTotal: this.spaces().reduce((n, s) => n + s.singles, 0),
        knownFixed: this.knownFixed,
        confirmRuns: this.executor.runs('confirm'),
        shrinkRuns: this.executor.runs('shrink'),
        reproduceRuns: this.executor.runs('reproduce'),
        artifacts: this.triage.artifacts,
        vacuous: this.counts.vacuous + this.triage.artifacts,
      },
      trail: this.trail,
      ...(this.error !== undefined ? { error: this.error } : {}),
    };
  }

  /** Records why exploration stopped; returns false when it must stop. */
  private mayContinue(): boolean {
    const stop: StopReason | undefined = this.budget.explorationStop(this.pending.length);
    if (stop) {
      this.stoppedBy ??= stop;
      return false;
    }
    return true;
  }

  /** Runs one exploration case unless it already ran or belongs to another shard. */
  private async exploreCase(c: ExploreCase, phase: TrailEntry['phase'], purpose: CasePurpose): Promise<'ran' | 'skipped' | 'stop'> {
    if (!this.mayContinue()) return 'stop';
    const key = caseKey(c.scenario, c.faults);
    if (!inShard(this.opts.shard, key)) return 'skipped';
    if (this.exploredKeys.has(key) || hasCompetingFaults(c.faults)) {
      this.counts.deduped++;
      return 'skipped';
    }
    // Triage may already have run this very case (a shrink step or confirmation): its verdict
    // stands for the exploration case, so the explored set does not depend on when triage ran.
    const outcome = this.executor.history(c).at(-1) ?? (await this.executor.execute(c, purpose, this.budget.signal));
    if (!outcome) {
      this.stoppedBy ??= this.budget.hardStop() ?? 'user';
      return 'stop';
    }
    this.exploredKeys.add(key);
    this.budget.noteExplorationRun();
    this.counts.executed++;
    this.trail.push({ phase, key, cls: outcome.cls });
    if (outcome.cls === 'infra-error') {
      this.counts.infraErrors++;
      this.emit({ type: 'log', line: `infrastructure error: ${verdictMessage(outcome.verdict)}` });
      if (++this.infraInARow >= MAX_INFRA_ERRORS_IN_A_ROW) {
        throw new InfraError(`${MAX_INFRA_ERRORS_IN_A_ROW} cases in a row could not run: ${verdictMessage(outcome.verdict)}`);
      }
    } else {
      this.infraInARow = 0;
    }
    if (outcome.cls === 'vacuous') this.counts.vacuous++;
    if (this.counts.executed % 10 === 0) this.emitCoverage();
    if (outcome.cls === 'failure' && phase !== 'known') {
      const p: PendingFailure = { scenario: c.scenario, faults: c.faults, ...(c.path !== undefined ? { path: c.path } : {}), verdict: outcome.verdict };
      const cls = failureClass(p);
      if (this.triagedClasses.has(cls)) {
        this.pending.push(p);
      } else {
        this.triagedClasses.add(cls);
        if (!(await this.triageNow(p, phase))) return 'stop';
      }
    }
    return 'ran';
  }

  /** Triages a fresh kind of failure in the middle of exploring; false when the campaign must stop. */
  private async triageNow(p: PendingFailure, resume: 'singles' | 'combinations'): Promise<boolean> {
    this.phase('shrinking');
    const { group, status } = await this.triage.triage(p, this.budget.signal);
    this.noteTriaged(group, status);
    if (status === 'stopped') {
      this.stoppedBy ??= this.budget.hardStop() ?? 'user';
      return false;
    }
    this.phase(resume);
    return true;
  }

  private async replayKnown(): Promise<boolean> {
    for (const entry of this.opts.known ?? []) {
      this.knownIds.add(entry.id);
      if (!this.scenarioNames.has(entry.scenario)) continue;
      const c = { scenario: entry.scenario, faults: entry.faults };
      const r = await this.exploreCase(c, 'known', 'known');
      if (r === 'stop') return false;
      if (r === 'skipped') continue;
      this.counts.knownReplayed++;
      const outcome = this.executor.history(c).at(-1)!;
      if (outcome.cls === 'failure' && failureKind(outcome.verdict) === entry.failure.kind) {
        const group = this.triage.addKnown(entry, outcome);
        this.emit({ type: 'failure', failure: this.failureSummary(group) });
      } else {
        this.knownFixed.push(entry.id);
        this.emit({ type: 'log', line: `known failure ${entry.id} no longer reproduces (${outcome.cls})` });
      }
    }
    return true;
  }

  /** Drains a case source; true when it ran dry (exhausted), false when stopped. */
  private async explore(phase: 'singles' | 'combinations', source: Iterable<ExploreCase>): Promise<boolean> {
    for (const c of source) {
      const r = await this.exploreCase(c, phase, 'explore');
      if (r === 'stop') return false;
      if (r !== 'ran') continue;
      if (phase === 'singles') {
        this.counts.singlesRun++;
        const f = c.faults[0]!;
        this.coverageRow(f.service, f.syscall).tried++;
      } else {
        this.counts.combinationsRun++;
      }
    }
    return true;
  }

  private async triageAll(): Promise<void> {
    const order = this.pending;
    let i = 0;
    for (; i < order.length; i++) {
      const hard = this.budget.hardStop();
      if (hard) {
        this.stoppedBy ??= hard;
        break;
      }
      const { group, status } = await this.triage.triage(order[i]!, this.budget.signal);
      this.noteTriaged(group, status);
      if (status === 'stopped') {
        this.stoppedBy ??= this.budget.hardStop() ?? 'user';
        i++;
        break;
      }
    }
    // Out of time: still report what failed, as found.
    for (; i < order.length; i++) {
      const { group, status } = this.triage.fileUntriaged(order[i]!);
      this.noteTriaged(group, status);
    }
  }

  private noteTriaged(group: FailureGroup | undefined, status: TriageStatus): void {
    if (group && this.knownIds.has(group.id)) this.triage.markKnown(group.id);
    if (status === 'duplicate') this.counts.duplicateFailures++;
    else if (group && status !== 'artifact') this.emit({ type: 'failure', failure: this.failureSummary(group) });
  }

  private failureSummary(g: FailureGroup): FailureSummary {
    return {
      id: g.id,
      scenario: g.scenario,
      kind: g.kind,
      message: g.message,
      faults: g.faults as FaultSpec[],
      reproduced: `${g.reproduced.k}/${g.reproduced.n}`,
      known: g.known || this.knownIds.has(g.id),
      replay: (this.opts.replayCommand ?? ((id) => `faultbox replay corpus/${id}.json`))(g.id),
      ...regressionOf(this.opts.regressionPath?.(g)),
      excerpt: g.excerpt,
      ...(g.serviceLog ? { serviceLog: g.serviceLog } : {}),
      state: g.state,
    };
  }

  private summary(): CampaignSummary {
    return {
      seed: this.opts.seed,
      runs: this.counts.executed,
      vacuous: this.counts.vacuous + this.triage.artifacts,
      durationMs: this.now() - this.startedAt,
      scenarios: this.opts.scenarios.map((s) => s.name),
      failures: this.triage.all().map((g) => this.failureSummary(g)),
      coverage: this.coverageRows(),
      stoppedBy: this.stoppedBy ?? 'exhausted',
    };
  }
}
