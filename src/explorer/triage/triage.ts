// From a failing exploration case to a finding. Findings are grouped by symptom (symptom.ts): a
// failure whose symptom already has a finding is listed under it as one more fault set that
// triggers it, at no cost; a new symptom is confirmed by re-running (flake check), shrunk to a
// 1-minimal fault set that still shows that symptom, and its reproduction rate measured.
//
// Only faults that fired can have caused a failure, so triage starts from the fired subset. If
// that subset never fails again while the full set did, the failure came from merely arming a
// fault that never fired: an artifact, not a finding (counted with the vacuous cases).
import type { Census } from '../census/census.js';
import { failureKind, type CaseExecutor, type CaseOutcome } from '../campaign/case-executor.js';
import type { CorpusEntry } from '../corpus/corpus.js';
import { canonicalFaultSet, faultSetKey, type FaultSet, type InjectedFault } from '../faults.js';
import { verdictMessage, type CaseVerdict, type FailReason, type ServiceLog } from '../runner/runner.js';
import { attemptsForRate, failureOracle, shrinkFaultSet } from './shrink.js';
import { messageClass, signatureId, type FailureKind } from './signature.js';
import { symptomId, symptomOf, type Symptom } from './symptom.js';
import { shrinkDomainFor, type FaultSpace } from '../space/space.js';

export interface PendingFailure {
  readonly scenario: string;
  readonly faults: readonly InjectedFault[];
  readonly path?: string;
  readonly verdict: CaseVerdict;
}

/**
 * minimal:   confirmed, shrunk to a fixpoint (1-minimal), reproduction measured
 * partial:   confirmed, but the budget ended shrinking or reproduction early
 * flaky:     none of the confirmation re-runs failed again; not shrunk (filed under a confirmed
 *            group with the same scenario, kind and message class when there is one)
 * untriaged: the budget ended before this failure could be confirmed
 */
export type GroupState = 'minimal' | 'partial' | 'flaky' | 'untriaged';

export interface GroupRuns {
  readonly confirm: number;
  readonly shrink: number;
  readonly reproduce: number;
}

export interface FailureGroup {
  /** Hash of (scenario, symptom): the corpus id. */
  readonly id: string;
  /** What the user sees; the group's identity. */
  readonly symptom: Symptom;
  /** The finer, fault-set signature of the representative (the pre-symptom corpus id), for tools. */
  readonly faultKey: string;
  /**
   * Other fault sets that showed the same symptom (the fired faults of each, canonical), in the
   * order met; the representative `faults` is not among them.
   */
  readonly alternatives: readonly (readonly InjectedFault[])[];
  /** Why the group is not confirmed and minimal (budget, flakiness), in one sentence. */
  readonly why?: string;
  readonly scenario: string;
  readonly kind: FailureKind;
  readonly reason?: FailReason;
  readonly message: string;
  readonly messageClass: string;
  /** The minimal fault set (or the fired faults as found, when not shrunk). */
  readonly faults: readonly InjectedFault[];
  /** The fault set of the exploration case that first showed the failure. */
  readonly original: readonly InjectedFault[];
  readonly state: GroupState;
  /** Final reproduction of `faults` over fresh re-runs. */
  readonly reproduced: { readonly k: number; readonly n: number };
  readonly known: boolean;
  readonly seed: number;
  /** fast-check path of the first failing case (sampled combinations only). */
  readonly path?: string;
  /** Exploration failures filed under this group (the first included). */
  readonly rawHits: number;
  /** Runner executions spent triaging this group's raw failures. */
  readonly runs: GroupRuns;
  readonly excerpt: readonly string[];
  /** For crashes: the dead service's last log lines. */
  readonly serviceLog?: ServiceLog;
  readonly censusHash: string;
}

function serviceLogOf(v: CaseVerdict): { serviceLog?: ServiceLog } {
  return (v.kind === 'crash' || v.kind === 'unhealthy') && v.serviceLog ? { serviceLog: v.serviceLog } : {};
}

type MutableGroup = { -readonly [K in keyof FailureGroup]: FailureGroup[K] };

export type TriageStatus = 'new' | 'duplicate' | 'stopped' | 'artifact';

/** Runs a triage is expected to take for a fault set of this size (confirm + shrink + reproduce). */
export function expectedTriageRuns(faults: number, confirmRuns = 3, reproduceRuns = 5): number {
  return confirmRuns + reproduceRuns + 6 + 4 * faults;
}

export interface TriageOptions {
  readonly executor: CaseExecutor;
  readonly census: Census;
  readonly space: FaultSpace;
  readonly seed: number;
  /** Re-runs of a failing case before shrinking (default 3). */
  readonly confirmRuns?: number;
  /** Re-runs of the minimal case for the final rate (default 5). */
  readonly reproduceRuns?: number;
  /** Cap on candidate runs while shrinking one failure (default 150). */
  readonly maxShrinkRuns?: number;
}

/** The faults whose rules fired in `verdict` (rule ids f1..fk follow the canonical order). */
export function firedFaults(faults: FaultSet, verdict: CaseVerdict): InjectedFault[] {
  return canonicalFaultSet(faults).filter((_, i) => (verdict.fired[`f${i + 1}`] ?? 0) > 0);
}

const ZERO_RUNS: GroupRuns = { confirm: 0, shrink: 0, reproduce: 0 };

function addRuns(a: GroupRuns, b: GroupRuns): GroupRuns {
  return { confirm: a.confirm + b.confirm, shrink: a.shrink + b.shrink, reproduce: a.reproduce + b.reproduce };
}

export class Triage {
  private groups: MutableGroup[] = [];
  private artifactCount = 0;
  /** Symptom keys of failures found to be artifacts. */
  private readonly artifactSymptoms = new Set<string>();

  constructor(private readonly opts: TriageOptions) {}

  all(): readonly FailureGroup[] {
    return this.groups;
  }

  /** Failures that came from arming a fault that never fired. */
  get artifacts(): number {
    return this.artifactCount;
  }

  bySymptom(key: string): FailureGroup | undefined {
    return this.groups.find((g) => g.symptom.key === key);
  }

  /** Files a corpus entry that failed again on replay. */
  addKnown(entry: CorpusEntry, outcome: CaseOutcome): FailureGroup {
    const v = outcome.verdict;
    const message = verdictMessage(v);
    const symptom = symptomOf(entry.scenario, v)!;
    const existing = this.groups.find((g) => g.symptom.key === symptom.key);
    if (existing) {
      // Two corpus entries (e.g. from before symptom grouping) of one symptom: one finding.
      addAlternative(existing, entry.faults);
      return existing;
    }
    const group: MutableGroup = {
      id: entry.id,
      symptom,
      faultKey: fineKey(entry.scenario, entry.faults, v),
      alternatives: [],
      scenario: entry.scenario,
      kind: entry.failure.kind,
      ...(entry.failure.reason ? { reason: entry.failure.reason } : {}),
      message,
      messageClass: messageClass(message),
      faults: entry.faults,
      original: entry.faults,
      state: 'minimal',
      reproduced: { k: 1, n: 1 },
      known: true,
      seed: entry.seed,
      ...(entry.path !== undefined ? { path: entry.path } : {}),
      rawHits: 1,
      runs: ZERO_RUNS,
      excerpt: v.excerpt,
      ...serviceLogOf(v),
      censusHash: entry.census_hash,
    };
    this.groups.push(group);
    return group;
  }

  markKnown(id: string): void {
    for (const g of this.groups) if (g.id === id) g.known = true;
  }

  /**
   * A failure whose symptom already has a finding: listed under it, no runs spent. Undefined
   * when the symptom is new (or its finding only looked flaky, which deserves another try).
   */
  fileUnder(p: PendingFailure): FailureGroup | undefined {
    const symptom = symptomOf(p.scenario, p.verdict);
    if (!symptom) return undefined;
    const g = this.groups.find((x) => x.symptom.key === symptom.key);
    if (!g || g.state === 'flaky') return undefined;
    g.rawHits++;
    addAlternative(g, firedFaults(p.faults, p.verdict));
    return g;
  }

  /** Turns a pending failure into a finding (or files it under an existing one). */
  async triage(p: PendingFailure, signal: AbortSignal): Promise<{ group?: FailureGroup; status: TriageStatus }> {
    const kind = failureKind(p.verdict);
    const symptom = symptomOf(p.scenario, p.verdict);
    if (!kind || !symptom) throw new Error(`internal: triage of a non-failing verdict (${p.verdict.kind})`);
    const start = firedFaults(p.faults, p.verdict);
    if (start.length === 0) throw new Error('internal: triage of a vacuous case');
    const partlyFired = start.length < canonicalFaultSet(p.faults).length;
    if (partlyFired && this.artifactSymptoms.has(symptom.key)) {
      this.artifactCount++;
      return { status: 'artifact' };
    }
    const under = this.fileUnder(p);
    if (under) return { group: under, status: 'duplicate' };

    // A second failure of a symptom that looked flaky deserves another confirmation attempt.
    const prior = this.groups.find((g) => g.symptom.key === symptom.key);
    let carried: { rawHits: number; runs: GroupRuns; alternatives: readonly (readonly InjectedFault[])[] } = { rawHits: 0, runs: ZERO_RUNS, alternatives: [] };
    if (prior) {
      this.groups = this.groups.filter((g) => g !== prior);
      carried = { rawHits: prior.rawHits, runs: prior.runs, alternatives: [prior.faults, ...prior.alternatives] };
    }
    const domain = shrinkDomainFor(this.opts.census, this.opts.space, p.scenario);
    const outcome = await this.confirmShrinkReproduce(p, symptom, start, domain, signal);
    const runs = addRuns(carried.runs, outcome.runs);
    if (outcome.state === 'artifact') {
      this.artifactCount++;
      this.artifactSymptoms.add(symptom.key);
      if (prior) this.groups.push(prior); // leave the earlier evidence as it was
      return { status: 'artifact' };
    }
    const group = this.file(p, symptom, kind, outcome, runs, carried);
    return { group, status: outcome.stopped ? 'stopped' : 'new' };
  }

  private async confirmShrinkReproduce(
    p: PendingFailure,
    symptom: Symptom,
    start: InjectedFault[],
    domain: ReturnType<typeof shrinkDomainFor>,
    signal: AbortSignal,
  ): Promise<{ state: 'artifact'; runs: GroupRuns } | TriageResult> {
    const { executor } = this.opts;
    const same = sameSymptom(p.scenario, symptom);
    const sameOutcome = (o: CaseOutcome) => o.cls === 'failure' && same(o.verdict);

    // 1. Confirm.
    const confirmRuns = this.opts.confirmRuns ?? 3;
    let confirmN = 0;
    let confirmK = 0;
    for (let i = 0; i < confirmRuns; i++) {
      const o = await executor.execute({ scenario: p.scenario, faults: start }, 'confirm', signal);
      if (!o) {
        const runs = { ...ZERO_RUNS, confirm: confirmN };
        return { state: 'untriaged', faults: start, k: confirmK, n: confirmN, runs, stopped: true, why: `the budget ended ${confirmN} of ${confirmRuns} confirmation runs in` };
      }
      confirmN++;
      if (sameOutcome(o)) confirmK++;
    }
    if (confirmK === 0) {
      const runs = { ...ZERO_RUNS, confirm: confirmN };
      if (start.length < canonicalFaultSet(p.faults).length) return { state: 'artifact', runs };
      return { state: 'flaky', faults: start, k: 0, n: confirmN, runs, stopped: false, why: `it did not fail the same way again in ${confirmN} re-runs` };
    }

    // 2. Shrink, re-running candidates as often as the observed rate requires. 3. Reproduce the
    //    minimal case. A failure that ever passed is treated as reproducing at most half of the
    //    time (small samples overestimate the rate); if reproduction reveals flakiness the
    //    confirmation missed, the shrink is repeated once with the stricter re-run count.
    const reproduceRuns = this.opts.reproduceRuns ?? 5;
    const maxShrinkRuns = this.opts.maxShrinkRuns ?? 150;
    let seenK = 1 + confirmK;
    let seenN = 1 + confirmN;
    let faults = start;
    let attempts = 0;
    const runs = { confirm: confirmN, shrink: 0, reproduce: 0 };
    for (;;) {
      const rate = seenK === seenN ? 1 : Math.min(0.5, seenK / seenN);
      const needed = attemptsForRate(rate);
      if (needed <= attempts) break;
      attempts = needed;
      const oracle = failureOracle({
        executor,
        scenario: p.scenario,
        matches: same,
        attempts,
        signal,
        maxRuns: Math.max(0, maxShrinkRuns - runs.shrink),
      });
      const shrunk = await shrinkFaultSet(faults, domain, oracle);
      runs.shrink += oracle.runsSpent();
      faults = shrunk.faults;
      let k = 0;
      let n = 0;
      for (let i = 0; i < reproduceRuns; i++) {
        const o = await executor.execute({ scenario: p.scenario, faults }, 'reproduce', signal);
        if (!o) break;
        n++;
        if (sameOutcome(o)) k++;
      }
      runs.reproduce += n;
      const stopped = signal.aborted;
      if (stopped || !shrunk.minimal || n < reproduceRuns) {
        const why = !shrunk.minimal && !stopped
          ? `shrinking reached its cap of ${maxShrinkRuns} runs`
          : `the budget ended it ${runs.shrink} shrink and ${n} of ${reproduceRuns} reproduction runs in`;
        return { state: 'partial', faults, k, n, runs, stopped, why };
      }
      seenK += k;
      seenN += n;
      const again = attemptsForRate(seenK === seenN ? 1 : Math.min(0.5, seenK / seenN));
      if (again <= attempts) return { state: 'minimal', faults, k, n, runs, stopped: false };
    }
    throw new Error('internal: shrink loop ended without a result');
  }

  private file(
    p: PendingFailure,
    symptom: Symptom,
    kind: FailureKind,
    r: TriageResult,
    runs: GroupRuns,
    carried: { rawHits: number; alternatives: readonly (readonly InjectedFault[])[] },
  ): FailureGroup {
    // Describe the failure as the minimal case showed it, when it did.
    const same = sameSymptom(p.scenario, symptom);
    const shown = [...this.opts.executor.history({ scenario: p.scenario, faults: r.faults })]
      .reverse()
      .find((o) => o.cls === 'failure' && same(o.verdict));
    const v = shown?.verdict ?? p.verdict;
    const message = verdictMessage(v);
    const reason = v.kind === 'fail' ? v.reason : undefined;
    const group: MutableGroup = {
      id: symptomId(p.scenario, symptom),
      symptom,
      faultKey: fineKey(p.scenario, r.faults, v),
      alternatives: [],
      ...(r.why !== undefined ? { why: r.why } : {}),
      scenario: p.scenario,
      kind,
      ...(reason ? { reason } : {}),
      message,
      messageClass: messageClass(message),
      faults: r.faults,
      original: canonicalFaultSet(p.faults),
      state: r.state,
      reproduced: { k: r.k, n: r.n },
      known: false,
      seed: this.opts.seed,
      ...(p.path !== undefined ? { path: p.path } : {}),
      rawHits: 1 + carried.rawHits,
      runs,
      excerpt: v.excerpt,
      ...serviceLogOf(v),
      censusHash: this.opts.census.hash,
    };
    for (const alt of carried.alternatives) addAlternative(group, alt);
    addAlternative(group, firedFaults(p.faults, p.verdict));
    this.groups.push(group);
    return group;
  }
}

interface TriageResult {
  readonly state: GroupState;
  readonly faults: readonly InjectedFault[];
  readonly k: number;
  readonly n: number;
  readonly runs: GroupRuns;
  readonly stopped: boolean;
  readonly why?: string;
}

/** Does a verdict show this very symptom? (What "still fails" means while shrinking.) */
export function sameSymptom(scenario: string, symptom: Symptom): (v: CaseVerdict) => boolean {
  return (v) => symptomOf(scenario, v)?.key === symptom.key;
}

/** The pre-symptom signature: scenario, fault set, kind, reason and message class. */
function fineKey(scenario: string, faults: readonly InjectedFault[], v: CaseVerdict): string {
  const kind = failureKind(v) ?? 'fail';
  const reason = v.kind === 'fail' ? v.reason : undefined;
  return signatureId({ scenario, faults, kind, ...(reason ? { reason } : {}), messageClass: messageClass(verdictMessage(v)) });
}

/** Adds a fault set to a group's alternatives unless it is the representative or already listed. */
function addAlternative(g: MutableGroup, faults: readonly InjectedFault[]): void {
  if (faults.length === 0) return;
  const key = faultSetKey(faults);
  if (key === faultSetKey(g.faults) || g.alternatives.some((a) => faultSetKey(a) === key)) return;
  g.alternatives = [...g.alternatives, canonicalFaultSet(faults)];
}
