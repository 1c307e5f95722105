// From a failing exploration case to a finding: file it under a known finding when it is one in
// disguise, confirm it by re-running (flake check), shrink it to a 1-minimal fault set, measure
// how often the minimal case reproduces, and file it under its signature.
//
// Only faults that fired can have caused a failure, so triage starts from the fired subset. If
// that subset never fails again while the full set did, the failure came from merely arming a
// fault that never fired: an artifact, not a finding (counted with the vacuous cases).
import type { Census } from './census.js';
import { failureKind, type CaseExecutor, type CaseOutcome } from './case-executor.js';
import type { CorpusEntry } from './corpus.js';
import { canonicalFaultSet, faultKey, faultSetKey, type FaultSet } from './faults.js';
import type { FaultSpec } from './progress.js';
import { verdictMessage, type CaseVerdict, type FailReason, type ServiceLog } from './runner.js';
import { attemptsForRate, cachedOracle, failureOracle, shrinkFaultSet, type ShrinkOracle } from './shrink.js';
import { messageClass, signatureId, type FailureKind } from './signature.js';
import { shrinkDomainFor, type FaultSpace } from './space.js';

export interface PendingFailure {
  readonly scenario: string;
  readonly faults: readonly FaultSpec[];
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
  readonly id: string;
  readonly scenario: string;
  readonly kind: FailureKind;
  readonly reason?: FailReason;
  readonly message: string;
  readonly messageClass: string;
  /** The minimal fault set (or the fired faults as found, when not shrunk). */
  readonly faults: readonly FaultSpec[];
  /** The fault set of the exploration case that first showed the failure. */
  readonly original: readonly FaultSpec[];
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
export function firedFaults(faults: FaultSet, verdict: CaseVerdict): FaultSpec[] {
  return canonicalFaultSet(faults).filter((_, i) => (verdict.fired[`f${i + 1}`] ?? 0) > 0);
}

const ZERO_RUNS: GroupRuns = { confirm: 0, shrink: 0, reproduce: 0 };

function addRuns(a: GroupRuns, b: GroupRuns): GroupRuns {
  return { confirm: a.confirm + b.confirm, shrink: a.shrink + b.shrink, reproduce: a.reproduce + b.reproduce };
}

export class Triage {
  private groups: MutableGroup[] = [];
  private artifactCount = 0;
  /** (scenario, kind, message class) of failures found to be artifacts. */
  private readonly artifactClasses = new Set<string>();

  constructor(private readonly opts: TriageOptions) {}

  all(): readonly FailureGroup[] {
    return this.groups;
  }

  /** Failures that came from arming a fault that never fired. */
  get artifacts(): number {
    return this.artifactCount;
  }

  /** Files a corpus entry that failed again on replay. */
  addKnown(entry: CorpusEntry, outcome: CaseOutcome): FailureGroup {
    const v = outcome.verdict;
    const message = verdictMessage(v);
    const group: MutableGroup = {
      id: entry.id,
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

  private sameFinding(g: FailureGroup, scenario: string, kind: FailureKind): boolean {
    return g.scenario === scenario && g.kind === kind;
  }

  /** A group whose fault set is contained in `faults` (same scenario and kind). */
  private subsuming(scenario: string, kind: FailureKind, faults: FaultSet): MutableGroup | undefined {
    const keys = new Set(faults.map(faultKey));
    return this.groups.find((g) => this.sameFinding(g, scenario, kind) && g.faults.every((f) => keys.has(faultKey(f))));
  }

  private withKey(scenario: string, kind: FailureKind, key: string): MutableGroup | undefined {
    return this.groups.find((g) => this.sameFinding(g, scenario, kind) && faultSetKey(g.faults) === key);
  }

  /** Turns a pending failure into a finding (or files it under an existing one). */
  async triage(p: PendingFailure, signal: AbortSignal): Promise<{ group?: FailureGroup; status: TriageStatus }> {
    const { executor } = this.opts;
    const kind = failureKind(p.verdict);
    if (!kind) throw new Error(`internal: triage of a non-failing verdict (${p.verdict.kind})`);
    const start = firedFaults(p.faults, p.verdict);
    if (start.length === 0) throw new Error('internal: triage of a vacuous case');
    const partlyFired = start.length < canonicalFaultSet(p.faults).length;
    const artifactClass = `${p.scenario}\u0000${kind}\u0000${messageClass(verdictMessage(p.verdict))}`;
    if (partlyFired && this.artifactClasses.has(artifactClass)) {
      this.artifactCount++;
      return { status: 'artifact' };
    }

    const domain = shrinkDomainFor(this.opts.census, this.opts.space, p.scenario);
    let prior = this.subsuming(p.scenario, kind, start);
    if (!prior) {
      // A free shrink over remembered outcomes often lands on a finding already filed.
      const dry = await shrinkFaultSet(start, domain, cachedOracle(executor, p.scenario, kind));
      prior = this.withKey(p.scenario, kind, faultSetKey(dry.faults));
    }
    if (prior && prior.state !== 'flaky') {
      prior.rawHits++;
      return { group: prior, status: 'duplicate' };
    }
    // A second failure of a group that looked flaky deserves another confirmation attempt.
    let carried: { rawHits: number; runs: GroupRuns } = { rawHits: 0, runs: ZERO_RUNS };
    if (prior) {
      this.groups = this.groups.filter((g) => g !== prior);
      carried = { rawHits: prior.rawHits, runs: prior.runs };
    }
    const outcome = await this.confirmShrinkReproduce(p, kind, start, domain, signal);
    const runs = addRuns(carried.runs, outcome.runs);
    if (outcome.state === 'artifact') {
      this.artifactCount++;
      this.artifactClasses.add(artifactClass);
      if (prior) this.groups.push(prior); // leave the earlier evidence as it was
      return { status: 'artifact' };
    }
    if (outcome.state === 'flaky') {
      // Unconfirmed and not shrinkable: when it looks like a confirmed finding (same scenario,
      // kind and message class), it is most likely that finding, not a new one.
      const alike = this.groups.find((g) => this.sameFinding(g, p.scenario, kind) && g.state !== 'flaky' && g.messageClass === messageClass(verdictMessage(p.verdict)));
      if (alike) {
        alike.rawHits += 1 + carried.rawHits;
        alike.runs = addRuns(alike.runs, runs);
        return { group: alike, status: 'duplicate' };
      }
    }
    if (outcome.state === 'converged') {
      const into = outcome.into;
      into.rawHits += 1 + carried.rawHits;
      into.runs = addRuns(into.runs, runs);
      return { group: into, status: 'duplicate' };
    }
    const filed = this.file(p, kind, outcome.faults, outcome.state, outcome.k, outcome.n, runs, carried.rawHits);
    return { group: filed.group, status: outcome.stopped ? 'stopped' : filed.status };
  }

  private async confirmShrinkReproduce(
    p: PendingFailure,
    kind: FailureKind,
    start: FaultSpec[],
    domain: ReturnType<typeof shrinkDomainFor>,
    signal: AbortSignal,
  ): Promise<
    | { state: 'artifact'; runs: GroupRuns }
    | { state: 'converged'; into: MutableGroup; runs: GroupRuns }
    | { state: GroupState; faults: readonly FaultSpec[]; k: number; n: number; runs: GroupRuns; stopped: boolean }
  > {
    const { executor } = this.opts;
    const sameKind = (o: CaseOutcome) => o.cls === 'failure' && failureKind(o.verdict) === kind;

    // 1. Confirm.
    const confirmRuns = this.opts.confirmRuns ?? 3;
    let confirmN = 0;
    let confirmK = 0;
    for (let i = 0; i < confirmRuns; i++) {
      const o = await executor.execute({ scenario: p.scenario, faults: start }, 'confirm', signal);
      if (!o) {
        const runs = { ...ZERO_RUNS, confirm: confirmN };
        return { state: 'untriaged', faults: start, k: confirmK, n: confirmN, runs, stopped: true };
      }
      confirmN++;
      if (sameKind(o)) confirmK++;
    }
    if (confirmK === 0) {
      const runs = { ...ZERO_RUNS, confirm: confirmN };
      if (start.length < canonicalFaultSet(p.faults).length) return { state: 'artifact', runs };
      return { state: 'flaky', faults: start, k: 0, n: confirmN, runs, stopped: false };
    }

    // 2. Shrink, re-running candidates as often as the observed rate requires; stop early when
    //    the shrink walks onto a finding already filed. 3. Reproduce the minimal case. A failure
    //    that ever passed is treated as reproducing at most half of the time (small samples
    //    overestimate the rate); if reproduction reveals flakiness the confirmation missed, the
    //    shrink is repeated once with the stricter re-run count.
    const reproduceRuns = this.opts.reproduceRuns ?? 5;
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
      const base = failureOracle({
        executor,
        scenario: p.scenario,
        kind,
        attempts,
        signal,
        maxRuns: Math.max(0, (this.opts.maxShrinkRuns ?? 150) - runs.shrink),
      });
      let into: MutableGroup | undefined;
      const oracle: ShrinkOracle = async (candidate) => {
        const hit = this.withKey(p.scenario, kind, faultSetKey(candidate));
        if (hit && hit.state !== 'flaky') {
          into = hit;
          return 'stop';
        }
        return base(candidate);
      };
      const shrunk = await shrinkFaultSet(faults, domain, oracle);
      runs.shrink += base.runsSpent();
      const converged = into as MutableGroup | undefined;
      if (converged) return { state: 'converged', into: converged, runs };
      faults = shrunk.faults;
      let k = 0;
      let n = 0;
      for (let i = 0; i < reproduceRuns; i++) {
        const o = await executor.execute({ scenario: p.scenario, faults }, 'reproduce', signal);
        if (!o) break;
        n++;
        if (sameKind(o)) k++;
      }
      runs.reproduce += n;
      const stopped = signal.aborted;
      if (stopped || !shrunk.minimal || n < reproduceRuns) {
        return { state: 'partial', faults, k, n, runs, stopped };
      }
      seenK += k;
      seenN += n;
      const again = attemptsForRate(seenK === seenN ? 1 : Math.min(0.5, seenK / seenN));
      if (again <= attempts) return { state: 'minimal', faults, k, n, runs, stopped: false };
    }
    throw new Error('internal: shrink loop ended without a result');
  }

  /** Files a failure the budget left no time to triage (its fired faults, as found). */
  fileUntriaged(p: PendingFailure): { group?: FailureGroup; status: TriageStatus } {
    const kind = failureKind(p.verdict)!;
    const start = firedFaults(p.faults, p.verdict);
    const covering = this.subsuming(p.scenario, kind, start);
    if (covering) {
      covering.rawHits++;
      return { group: covering, status: 'duplicate' };
    }
    return this.file(p, kind, start, 'untriaged', 0, 0, ZERO_RUNS, 0);
  }

  private file(
    p: PendingFailure,
    kind: FailureKind,
    faults: readonly FaultSpec[],
    state: GroupState,
    k: number,
    n: number,
    runs: GroupRuns,
    carriedHits: number,
  ): { group: FailureGroup; status: 'new' | 'duplicate' } {
    // Describe the failure as the minimal case showed it, when it did.
    const shown = [...this.opts.executor.history({ scenario: p.scenario, faults })]
      .reverse()
      .find((o) => o.cls === 'failure' && failureKind(o.verdict) === kind);
    const v = shown?.verdict ?? p.verdict;
    const message = verdictMessage(v);
    const reason = v.kind === 'fail' ? v.reason : undefined;
    const cls = messageClass(message);
    const id = signatureId({ scenario: p.scenario, faults, kind, ...(reason ? { reason } : {}), messageClass: cls });
    const same = this.groups.find((g) => g.id === id);
    if (same) {
      same.rawHits += 1 + carriedHits;
      same.runs = addRuns(same.runs, runs);
      return { group: same, status: 'duplicate' };
    }
    const group: MutableGroup = {
      id,
      scenario: p.scenario,
      kind,
      ...(reason ? { reason } : {}),
      message,
      messageClass: cls,
      faults,
      original: canonicalFaultSet(p.faults),
      state,
      reproduced: { k, n },
      known: false,
      seed: this.opts.seed,
      ...(p.path !== undefined ? { path: p.path } : {}),
      rawHits: 1 + carriedHits,
      runs,
      excerpt: v.excerpt,
      ...serviceLogOf(v),
      censusHash: this.opts.census.hash,
    };
    this.groups.push(group);
    return { group, status: 'new' };
  }
}
