// The campaign loop: known findings first, then every single fault, then seeded combinations.
// A failure with a new symptom is triaged (confirm → shrink → reproduce) the moment it is met,
// so a person watching sees it with its minimal faults while exploring goes on; a failure whose
// symptom already has a finding is listed under it at no cost, and one the user declared
// expected is only counted. Exploration stops early enough to leave the budget a triage needs.
// It owns the stop rules (run count, hard time budget, user stop, exhaustion), the accounting
// (executed / deduped / vacuous) and the progress events; the roles it drives live in their own
// files.
import type { Census } from '../census/census.js';
import { CaseExecutor, failureKind, unfitRules, type CaseDeadline, type CasePurpose } from './case-executor.js';
import { combinationsSource, singlesSource, type ExploreCase } from '../space/case-source.js';
import type { CorpusEntry } from '../corpus/corpus.js';
import { InfraError, UsageError } from '../../errors.js';
import { canonicalFaultSet, caseKey, faultSetToRules, hasCompetingFaults, type InjectedFault } from '../faults.js';
import { errnoFits } from '../../spec/errno-fit.js';
import { familyOf } from '../../spec/syscall-families.js';
import type {
  CampaignSummary,
  CoverageRow,
  ExpectedTally,
  FailureSummary,
  Phase,
  ProgressEvent,
  ProgressListener,
} from './progress.js';
import { Budget, type StopReason } from './budget.js';
import type { ScenarioRunner } from '../runner/runner.js';
import { inShard, type Shard } from '../space/shard.js';
import type { FaultSpace } from '../space/space.js';
import { Triage, expectedTriageRuns, type FailureGroup, type PendingFailure, type TriageStatus } from '../triage/triage.js';
import { verdictMessage } from '../runner/runner.js';
import { SEVERITY_ORDER, symptomOf } from '../triage/symptom.js';
import { expectationFor, type Expectation } from '../triage/expectations.js';
import { errnosIn, shrinkDomainFor } from '../space/space.js';
import { caseDeadline } from './deadline.js';

export const DEFAULT_CASE_TIMEOUT_MS = 30_000;

export interface CampaignScenario {
  readonly name: string;
  /** Case deadline; default 30 s. */
  readonly deadline?: CaseDeadline;
}

export interface CampaignOptions {
  readonly runner: ScenarioRunner;
  readonly census: Census;
  readonly space: FaultSpace;
  /** Scenarios to explore, in this order (must all be in `space`). */
  readonly scenarios: readonly CampaignScenario[];
  readonly seed: number;
  /** How long each service may take to restart after a crash fault (its healthcheck timeout). */
  readonly restartMs?: (service: string) => number | undefined;
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
  /** Largest share of the budget kept back for triaging a late finding (default 0.25). */
  readonly shrinkReserve?: number;
  /** Symptoms the user accepts: counted, never reported or triaged. */
  readonly expectations?: readonly Expectation[];
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
  /** Exploration failures of an expected symptom (counted, not triaged). */
  readonly expectedFailures: number;
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

export async function runCampaign(opts: CampaignOptions): Promise<CampaignResult> {
  return new Campaign(opts).run();
}

class Campaign {
  private readonly now: () => number;
  private readonly startedAt: number;
  private readonly budget: Budget;
  private readonly executor: CaseExecutor;
  private readonly triage: Triage;
  /** Failures of accepted symptoms, per (scenario, symptom). */
  private readonly expected = new Map<string, { -readonly [K in keyof ExpectedTally]: ExpectedTally[K] }>();
  /** Targets (scenario, index in its space) that had at least one single fault. */
  private readonly touchedTargets = new Set<string>();
  private readonly targetTotal: number;
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
    expectedFailures: 0,
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
    const deadlines = new Map(opts.scenarios.map((s) => [s.name, s.deadline ?? { ms: DEFAULT_CASE_TIMEOUT_MS }]));
    const domains = new Map(opts.scenarios.map((s) => [s.name, shrinkDomainFor(opts.census, opts.space, s.name)]));
    this.executor = new CaseExecutor({
      runner: opts.runner,
      seed: opts.seed,
      errnoAsked: (family) => opts.space.settings.explicitErrnos?.includes(family) ?? false,
      deadlineFor: (s, faults) => caseDeadline(deadlines.get(s) ?? { ms: DEFAULT_CASE_TIMEOUT_MS }, faults, (f) => domains.get(s)?.countFor(f) ?? 1, opts.restartMs),
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
    let targets = 0;
    for (const sp of this.spaces()) {
      targets += sp.targets.length;
      for (const t of sp.targets) {
        const row = this.coverageRow(t.service, t.family);
        row.possible += t.triggers.length * t.actions.length;
      }
    }
    this.targetTotal = targets;
  }

  private targetShare() {
    return { touched: this.touchedTargets.size, total: this.targetTotal };
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
    this.emit({ type: 'coverage', rows: this.coverageRows(), targets: this.targetShare() });
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
        // A shard sees only its own verdicts, so pairs chosen by them would differ between shards and
        // the shards would no longer split one campaign: sharded runs leave pairs to the combinations.
        // Pairs are fault sets of two: only when the space allows them. A crash is survived by design
        // (faultbox restarts the service), so crash points are not paired this way.
        const pairs = !this.opts.shard && this.opts.space.settings.maxFaults >= 2;
        const tolerated = pairs
          ? (c: ExploreCase) => !c.faults.some((f) => f.action.kind === 'crash') && this.executor.history(c).at(-1)?.cls === 'pass'
          : undefined;
        // Deferring the siblings of a hung fault reorders singles by verdicts too: not in shards either.
        const hung = this.opts.shard ? undefined : (c: ExploreCase) => this.executor.history(c).at(-1)?.verdict.kind === 'timeout';
        if (await this.explore('singles', singlesSource(this.spaces(), tolerated, hung))) {
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
      groups: this.orderedGroups(),
      stats: {
        ...this.counts,
        singlesTotal: this.spaces().reduce((n, s) => n + s.singles, 0),
        knownFixed: this.knownFixed,
        expectedFailures: this.counts.expectedFailures,
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

  /**
   * Budget kept back so that a finding met near the end can still be confirmed and shrunk: one
   * triage's expected runs at the mean run time measured so far (at most `shrinkReserve`).
   */
  private triageReserveMs(): number {
    const mean = this.executor.meanRunMs();
    return mean === undefined ? 0 : expectedTriageRuns(1, this.opts.confirmRuns, this.opts.reproduceRuns) * mean;
  }

  /** Records why exploration stopped; returns false when it must stop. */
  private mayContinue(): boolean {
    const stop: StopReason | undefined = this.budget.explorationStop(this.triageReserveMs());
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
      if (this.noteExpected(p)) return 'ran';
      const under = this.triage.fileUnder(p);
      if (under) this.noteTriaged(under, 'duplicate');
      else if (!(await this.triageNow(p, phase))) return 'stop';
    }
    return 'ran';
  }

  /** Counts a failure of an accepted symptom; true when it was one. */
  private noteExpected(p: PendingFailure): boolean {
    const symptom = symptomOf(p.scenario, p.verdict);
    if (!symptom) return false;
    const by = expectationFor(this.opts.expectations ?? [], p.scenario, symptom, p.verdict);
    if (by === undefined) return false;
    this.counts.expectedFailures++;
    const key = `${p.scenario}\u0000${symptom.key}`;
    const tally = this.expected.get(key);
    if (tally) tally.cases++;
    else this.expected.set(key, { scenario: p.scenario, symptom: symptom.label, by, cases: 1, example: p.faults });
    return true;
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
      // A fault that landed on another kind of call than the census predicted, with an errno that
      // call cannot return, is retried at once with the first errno of its family that fits.
      const refit = this.refitted(c);
      if (refit && (await this.exploreCase(refit, phase, 'explore')) === 'stop') return false;
      if (phase === 'singles' && c.faults.length === 1) {
        this.counts.singlesRun++;
        const f = c.faults[0]!;
        this.coverageRow(f.service, f.keyword).tried++;
        if (c.target !== undefined) this.touchedTargets.add(`${c.scenario}\u0000${c.target}`);
      } else {
        this.counts.combinationsRun++;
      }
    }
    return true;
  }

  /** The case with each unfit fault's errno replaced by the first that fits what it hit; undefined if none is unfit. */
  private refitted(c: ExploreCase): ExploreCase | undefined {
    const outcome = this.executor.history(c).at(-1);
    const denied = outcome?.verdict.deniedClasses;
    if (!outcome || outcome.cls !== 'vacuous' || !denied) return undefined;
    const faults = canonicalFaultSet(c.faults);
    const rules = faultSetToRules(faults);
    const asked = (family: string) => this.opts.space.settings.explicitErrnos?.includes(family) ?? false;
    const unfit = new Set(unfitRules(outcome.verdict, rules, asked).map((r) => r.id));
    if (unfit.size === 0) return undefined;
    const refit: InjectedFault[] = [];
    for (const [i, f] of faults.entries()) {
      const rule = rules[i]!;
      if (!unfit.has(rule.id)) {
        refit.push(f);
        continue;
      }
      const family = familyOf(rule.syscalls[0]!).name;
      const errno = errnosIn(this.opts.space, family).find((e) => errnoFits(family, e, denied[rule.id]!));
      if (errno === undefined) return undefined;
      refit.push({ ...f, action: { kind: 'deny', errno } });
    }
    return { scenario: c.scenario, faults: canonicalFaultSet(refit) };
  }

  private noteTriaged(group: FailureGroup | undefined, status: TriageStatus): void {
    if (group && this.knownIds.has(group.id)) this.triage.markKnown(group.id);
    if (status === 'duplicate') this.counts.duplicateFailures++;
    // A duplicate re-sends its group (one more alternative); the reports print a line only
    // when what they show changed.
    if (group && status !== 'artifact') this.emit({ type: 'failure', failure: this.failureSummary(group) });
  }

  /** A group cut short by the budget says how much more would have finished it. */
  private whyWithHint(g: FailureGroup): string | undefined {
    if (g.why === undefined) return undefined;
    if (g.state !== 'partial' && g.state !== 'untriaged') return g.why;
    const mean = this.executor.meanRunMs(g.scenario);
    if (mean === undefined || !/budget/.test(g.why)) return g.why;
    const spent = g.runs.confirm + g.runs.shrink + g.runs.reproduce;
    const left = Math.max(1, expectedTriageRuns(g.faults.length, this.opts.confirmRuns, this.opts.reproduceRuns) - spent);
    return `${g.why}; about ${Math.ceil((left * mean) / 1000)} s more budget would have finished it`;
  }

  private failureSummary(g: FailureGroup): FailureSummary {
    return {
      id: g.id,
      scenario: g.scenario,
      kind: g.kind,
      message: g.message,
      faults: g.faults as InjectedFault[],
      reproduced: `${g.reproduced.k}/${g.reproduced.n}`,
      known: g.known || this.knownIds.has(g.id),
      replay: (this.opts.replayCommand ?? ((id) => `faultbox replay corpus/${id}.json`))(g.id),
      ...regressionOf(this.opts.regressionPath?.(g)),
      excerpt: g.excerpt,
      ...(g.serviceLog ? { serviceLog: g.serviceLog } : {}),
      state: g.state,
      severity: g.symptom.severity,
      symptom: g.symptom.label,
      alternatives: g.alternatives as InjectedFault[][],
      ...(g.why !== undefined ? { why: this.whyWithHint(g)! } : {}),
    };
  }

  private summary(): CampaignSummary {
    return {
      seed: this.opts.seed,
      runs: this.counts.executed,
      triageRuns: this.executor.runs('confirm') + this.executor.runs('shrink') + this.executor.runs('reproduce'),
      vacuous: this.counts.vacuous + this.triage.artifacts,
      durationMs: this.now() - this.startedAt,
      scenarios: this.opts.scenarios.map((s) => s.name),
      failures: this.orderedGroups().map((g) => this.failureSummary(g)),
      coverage: this.coverageRows(),
      stoppedBy: this.stoppedBy ?? 'exhausted',
      targets: this.targetShare(),
      restarts: this.executor.restarts(),
      expected: [...this.expected.values()],
    };
  }

  /** Safety findings first, then availability, then liveness; new before known; as found within. */
  private orderedGroups(): FailureGroup[] {
    const rank = (g: FailureGroup) => SEVERITY_ORDER.indexOf(g.symptom.severity) * 2 + (g.known ? 1 : 0);
    return [...this.triage.all()].map((g, i) => ({ g, i })).sort((a, b) => rank(a.g) - rank(b.g) || a.i - b.i).map((x) => x.g);
  }
}
