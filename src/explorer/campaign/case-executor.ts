// Runs one case through the runner and classifies the verdict. Every outcome is kept per canonical
// case key, so identical cases (during shrinking, or drawn twice) are answered from memory unless a
// fresh run is asked for (flake confirmation). It also restores health after each case and stops a
// runner that overstays its timeout.
import type { FaultRule } from '../../spec/model.js';
import { errnoFits } from '../../spec/errno-fit.js';
import { familyOf } from '../../spec/syscall-families.js';
import { caseKey, faultSetToRules, type FaultSet, type InjectedFault } from '../faults.js';
import type { ProgressListener } from './progress.js';
import { InfraError } from '../../errors.js';
import type { CaseVerdict, ScenarioRunner } from '../runner/runner.js';
import type { FailureKind } from '../triage/signature.js';

export interface CaseSpec {
  readonly scenario: string;
  readonly faults: FaultSet;
}

/** What the campaign makes of a verdict. */
export type CaseClass = 'pass' | 'failure' | 'vacuous' | 'infra-error';

export type CasePurpose = 'known' | 'explore' | 'confirm' | 'shrink' | 'reproduce';

export interface CaseOutcome {
  readonly key: string;
  readonly verdict: CaseVerdict;
  readonly cls: CaseClass;
}

/** How long a case may run, and the fault-free durations it was derived from (when it was). */
export interface CaseDeadline {
  readonly ms: number;
  /** Shortest and longest fault-free run of the census, when the deadline came from them. */
  readonly faultFreeMs?: readonly [number, number];
}

export interface CaseExecutorOptions {
  readonly runner: ScenarioRunner;
  readonly seed: number;
  readonly deadlineFor: (scenario: string, faults: FaultSet) => CaseDeadline;
  /** Families whose errnos the user listed (tried wherever they land); absent: no fit check. */
  readonly errnoAsked?: ErrnoAsked;
  /** Extra time past the case timeout before the engine itself aborts the runner (default 10 s). */
  readonly graceMs?: number;
  readonly emit?: ProgressListener;
  readonly now?: () => number;
}

/** The kind a failure is matched on while confirming and shrinking. */
export function failureKind(v: CaseVerdict): FailureKind | undefined {
  return v.kind === 'fail' || v.kind === 'crash' || v.kind === 'unhealthy' || v.kind === 'timeout' ? v.kind : undefined;
}

/** Whether a rule may deny with an errno its hit call cannot return (the user listed the errno). */
export type ErrnoAsked = (family: string) => boolean;

/**
 * Rules whose errno the call they denied could not return, by what it acted on in this case: an
 * earlier fault moved their nth onto another kind of call (the journal file a refused connect
 * falls back to, where the census saw a socket write). Such a case is not something that can
 * happen; `asked` exempts errnos the user listed.
 */
export function unfitRules(verdict: CaseVerdict, rules: readonly FaultRule[], asked: ErrnoAsked = () => false): FaultRule[] {
  return rules.filter((r) => {
    const cls = verdict.deniedClasses?.[r.id];
    if (r.action.kind !== 'deny' || cls === undefined) return false;
    const family = familyOf(r.syscalls[0]!).name;
    return !asked(family) && !errnoFits(family, r.action.errno, cls);
  });
}

export function classify(verdict: CaseVerdict, rules: readonly FaultRule[], asked?: ErrnoAsked): CaseClass {
  if (verdict.kind === 'infra-error') return 'infra-error';
  // Armed faults that never fired: the case tested nothing, whatever the verdict says.
  if (rules.length > 0 && rules.every((r) => (verdict.fired[r.id] ?? 0) === 0)) return 'vacuous';
  // A fault that landed where its errno cannot come from tested nothing that can happen either.
  if (asked !== undefined && unfitRules(verdict, rules, asked).length > 0) return 'vacuous';
  return verdict.kind === 'pass' ? 'pass' : 'failure';
}

export class CaseExecutor {
  private readonly outcomes = new Map<string, CaseOutcome[]>();
  private readonly runCounts = new Map<CasePurpose, number>();
  private caseIndex = 0;
  private readonly now: () => number;
  /** Wall time of every run (body plus the health restore after it), per scenario: for estimates. */
  private readonly wall = new Map<string, { total: number; n: number }>();
  private readonly restartCounts = new Map<string, number>();

  constructor(private readonly opts: CaseExecutorOptions) {
    this.now = opts.now ?? Date.now;
  }

  /** Every outcome recorded for this case, oldest first. */
  history(c: CaseSpec): readonly CaseOutcome[] {
    return this.outcomes.get(caseKey(c.scenario, c.faults)) ?? [];
  }

  hasRun(c: CaseSpec): boolean {
    return this.history(c).length > 0;
  }

  /** Runner executions so far, optionally for one purpose. */
  runs(purpose?: CasePurpose): number {
    if (purpose) return this.runCounts.get(purpose) ?? 0;
    let n = 0;
    for (const v of this.runCounts.values()) n += v;
    return n;
  }

  /** Mean wall time of one run of `scenario` so far (body and health restore), if any ran. */
  meanRunMs(scenario?: string): number | undefined {
    let total = 0;
    let n = 0;
    for (const [s, w] of this.wall) {
      if (scenario !== undefined && s !== scenario) continue;
      total += w.total;
      n += w.n;
    }
    return n > 0 ? total / n : undefined;
  }

  /** Services restarted between cases so far, per service. */
  restarts(): Record<string, number> {
    return Object.fromEntries([...this.restartCounts].sort(([a], [b]) => (a < b ? -1 : 1)));
  }

  /** Latest remembered outcome, or a fresh run when there is none. */
  async memoized(c: CaseSpec, purpose: CasePurpose, signal: AbortSignal): Promise<{ outcome: CaseOutcome; cached: boolean } | undefined> {
    const past = this.history(c);
    if (past.length > 0) return { outcome: past[past.length - 1]!, cached: true };
    const outcome = await this.execute(c, purpose, signal);
    return outcome && { outcome, cached: false };
  }

  /** Always runs the case. Undefined when `signal` aborted it (the result is discarded). */
  async execute(c: CaseSpec, purpose: CasePurpose, signal: AbortSignal): Promise<CaseOutcome | undefined> {
    if (signal.aborted) return undefined;
    const key = caseKey(c.scenario, c.faults);
    const rules = faultSetToRules(c.faults);
    const faults: InjectedFault[] = [...c.faults];
    const index = ++this.caseIndex;
    this.opts.emit?.({ type: 'case-start', index, scenario: c.scenario, faults });
    const started = this.now();
    const deadline = this.opts.deadlineFor(c.scenario, c.faults);
    const raw = await this.runGuarded(c.scenario, rules, deadline.ms, signal);
    if (raw === undefined) return undefined;
    const verdict: CaseVerdict = raw.kind === 'timeout' && deadline.faultFreeMs ? { ...raw, faultFreeMs: deadline.faultFreeMs } : raw;
    this.runCounts.set(purpose, (this.runCounts.get(purpose) ?? 0) + 1);
    const cls = classify(verdict, rules, this.opts.errnoAsked);
    // Excerpts of passing cases are never shown; keep the memo small on long campaigns.
    const kept = cls === 'pass' || cls === 'vacuous' ? { ...verdict, excerpt: [] } : verdict;
    const outcome: CaseOutcome = { key, verdict: kept, cls };
    let list = this.outcomes.get(key);
    if (!list) this.outcomes.set(key, (list = []));
    list.push(outcome);
    this.opts.emit?.({
      type: 'case-end',
      index,
      verdict: cls === 'vacuous' ? 'vacuous' : verdict.kind,
      durationMs: this.now() - started,
      ...(purpose === 'confirm' || purpose === 'shrink' || purpose === 'reproduce' ? { triage: true } : {}),
    });
    await this.restoreHealth(signal);
    const w = this.wall.get(c.scenario) ?? { total: 0, n: 0 };
    this.wall.set(c.scenario, { total: w.total + (this.now() - started), n: w.n + 1 });
    return outcome;
  }

  private async runGuarded(scenario: string, rules: readonly FaultRule[], timeoutMs: number, signal: AbortSignal): Promise<CaseVerdict | undefined> {
    const watchdog = new AbortController();
    const caseSignal = AbortSignal.any([signal, watchdog.signal]);
    let timer: NodeJS.Timeout | undefined;
    let onAbort: (() => void) | undefined;
    // Settles when the campaign aborts or the runner overstays; the runner's own promise may
    // linger, but the engine never waits for it.
    const stopped = new Promise<'aborted' | 'overstayed'>((resolve) => {
      onAbort = () => resolve('aborted');
      signal.addEventListener('abort', onAbort, { once: true });
      timer = setTimeout(() => {
        watchdog.abort(new Error('case overstayed its timeout'));
        resolve('overstayed');
      }, timeoutMs + (this.opts.graceMs ?? 10_000));
      timer.unref?.();
    });
    const started = this.now();
    try {
      const result = await Promise.race([
        this.opts.runner
          .runCase(scenario, rules, { timeoutMs, seed: this.opts.seed }, caseSignal)
          .then((v): { v: CaseVerdict } => ({ v }))
          .catch((err: unknown): { err: unknown } => ({ err })),
        stopped,
      ]);
      if (signal.aborted || result === 'aborted') return undefined;
      if (result === 'overstayed') {
        return {
          kind: 'infra-error',
          message: `the runner did not finish the case within its ${timeoutMs}ms timeout plus grace; it was aborted`,
          fired: {},
          excerpt: [],
          durationMs: this.now() - started,
        };
      }
      if ('err' in result) {
        return { kind: 'infra-error', message: `runner failed: ${(result.err as Error)?.message ?? String(result.err)}`, fired: {}, excerpt: [], durationMs: this.now() - started };
      }
      return result.v;
    } finally {
      if (timer) clearTimeout(timer);
      if (onAbort) signal.removeEventListener('abort', onAbort);
    }
  }

  private async restoreHealth(signal: AbortSignal): Promise<void> {
    if (signal.aborted) return;
    let restarted: readonly string[];
    try {
      ({ restarted } = await this.opts.runner.ensureHealthy(signal));
    } catch (err) {
      if (signal.aborted) return;
      throw new InfraError(`could not restore healthy services between cases: ${(err as Error).message}`);
    }
    if (restarted.length === 0) return;
    for (const s of restarted) this.restartCounts.set(s, (this.restartCounts.get(s) ?? 0) + 1);
    this.opts.emit?.({ type: 'restart', services: restarted });
  }
}
