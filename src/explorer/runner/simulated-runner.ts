// A ScenarioRunner that simulates services instead of running them: each scenario is a fixed
// script of syscalls, rules are matched the way the runtime matches them (per-rule occurrence
// counters over matching calls, first firing rule decides), and planted bugs turn particular
// faulted calls into verdicts. It drives the explorer's tests, and lets the UI be exercised
// without a kernel. Deterministic: flaky bugs draw from a seeded generator.
import type { SyscallEvent, TraceEvent } from '../../spec/events.js';
import type { ErrnoName } from '../../spec/errno.js';
import type { FaultRule } from '../../spec/model.js';
import { familyOf, type SyscallName } from '../../spec/syscall-families.js';
import type { CaseVerdict, FailReason, RecordResult, RunCaseOptions, ScenarioRunner } from './runner.js';
import { globMatches } from '../census/site-target.js';
import { armTrigger, hashRuleId, shouldFire } from '../../spec/trigger.js';
import { seededRandom } from '../seeded-random.js';

export interface SimCall {
  readonly service: string;
  readonly syscall: SyscallName;
  readonly path?: string;
  readonly peer?: string;
  /** Made only while recording (so faults on it never fire in cases). */
  readonly recordOnly?: boolean;
}

/** A call a rule fired on during a simulated case. */
export interface FaultedCall {
  readonly service: string;
  readonly family: string;
  readonly path?: string;
  /** 1-based index among the service's calls of this family in the case. */
  readonly occurrence: number;
  readonly action: 'deny' | 'delay' | 'crash';
  readonly errno?: ErrnoName;
  readonly delayMs?: number;
  /** A crash that lost the unsynced writes (a power loss). */
  readonly loseUnsynced?: boolean;
  readonly ruleId: string;
}

type VerdictCore =
  | { readonly kind: 'fail'; readonly reason: FailReason; readonly message: string }
  | { readonly kind: 'crash'; readonly service: string; readonly exitCode?: number; readonly signal?: string }
  | { readonly kind: 'unhealthy'; readonly service: string; readonly message?: string }
  | { readonly kind: 'timeout'; readonly timeoutMs: number };

export interface PlantedBug {
  readonly name: string;
  readonly scenario: string;
  /** Does the case hit the bug? Sees the faulted calls and every armed rule. */
  readonly hits: (faulted: readonly FaultedCall[], rules: readonly FaultRule[]) => boolean;
  /** The verdict when it hits; `run` counts cases so messages can carry volatile numbers. */
  readonly verdict: (run: number, opts: RunCaseOptions) => VerdictCore;
  /** Chance the bug shows when hit (default 1). */
  readonly probability?: number;
}

export interface SimulatedRunnerOptions {
  readonly scenarios: Readonly<Record<string, readonly SimCall[]>>;
  readonly bugs?: readonly PlantedBug[];
  /** Seed for flaky bugs. */
  readonly seed?: number;
  /** Cases never finish on their own (they only end when aborted): for budget tests. */
  readonly hang?: boolean;
}

export interface SimulatedCaseLog {
  readonly scenario: string;
  readonly rules: readonly FaultRule[];
  readonly verdict?: CaseVerdict['kind'];
  readonly aborted: boolean;
}

export class SimulatedRunner implements ScenarioRunner {
  readonly cases: SimulatedCaseLog[] = [];
  readonly records: string[] = [];
  healthChecks = 0;
  closed = false;
  private readonly random: () => number;
  private runCount = 0;
  private lastCrashed: string | undefined;

  constructor(private readonly opts: SimulatedRunnerOptions) {
    this.random = seededRandom(opts.seed ?? 1);
  }

  private script(scenario: string): readonly SimCall[] {
    const s = this.opts.scenarios[scenario];
    if (!s) throw new Error(`simulated runner: no scenario ${scenario}`);
    return s;
  }

  async record(scenario: string, families: readonly string[], signal: AbortSignal): Promise<RecordResult> {
    await new Promise((r) => setImmediate(r));
    if (signal.aborted) throw new Error('aborted');
    this.records.push(scenario);
    const events: TraceEvent[] = [
      { type: 'lifecycle', seq: 1, tsMs: 0, service: 'sim', phase: 'ready' },
    ];
    let seq = 1;
    const fromSeq = seq + 1;
    for (const call of this.script(scenario)) {
      if (!families.includes(familyOf(call.syscall).name)) continue;
      const ev: SyscallEvent = {
        type: 'syscall',
        seq: ++seq,
        tsMs: seq,
        service: call.service,
        pid: 100,
        syscall: call.syscall,
        decision: 'trace',
        ...(call.path !== undefined ? { path: call.path } : {}),
        ...(call.peer !== undefined ? { peer: call.peer } : {}),
      };
      events.push(ev);
    }
    const toSeq = seq;
    // Startup noise after the body must stay out of the census.
    events.push({ type: 'syscall', seq: ++seq, tsMs: seq, service: 'db', pid: 100, syscall: 'write', decision: 'trace', path: '/var/log/db.log' });
    return { verdict: { kind: 'pass', fired: {}, excerpt: [], durationMs: 5 }, events, bodyWindow: { fromSeq, toSeq } };
  }

  async runCase(scenario: string, rules: readonly FaultRule[], opts: RunCaseOptions, signal: AbortSignal): Promise<CaseVerdict> {
    const log: { scenario: string; rules: readonly FaultRule[]; verdict?: CaseVerdict['kind']; aborted: boolean } = {
      scenario,
      rules,
      aborted: false,
    };
    this.cases.push(log);
    if (this.opts.hang) {
      await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
      log.aborted = true;
      throw new Error('aborted');
    }
    await new Promise((r) => setImmediate(r));
    if (signal.aborted) {
      log.aborted = true;
      throw new Error('aborted');
    }
    const run = ++this.runCount;
    const counters = new Map<string, number>();
    const fired: Record<string, number> = {};
    const faulted: FaultedCall[] = [];
    const familyCounts = new Map<string, number>();
    for (const call of this.script(scenario)) {
      if (call.recordOnly) continue;
      const family = familyOf(call.syscall).name;
      const fk = `${call.service}/${family}`;
      const occurrence = (familyCounts.get(fk) ?? 0) + 1;
      familyCounts.set(fk, occurrence);
      for (const rule of rules) {
        if (rule.service !== call.service || !rule.syscalls.includes(call.syscall)) continue;
        if (rule.pathGlob !== undefined && (call.path === undefined || !globMatches(rule.pathGlob, call.path))) continue;
        if (rule.peerGlob !== undefined && (call.peer === undefined || !globMatches(rule.peerGlob, call.peer))) continue;
        const n = (counters.get(rule.id) ?? 0) + 1;
        counters.set(rule.id, n);
        if (!shouldFire(armTrigger(rule.trigger, rule.id), n, fired[rule.id] ?? 0, opts.seed, hashRuleId(rule.id))) continue;
        fired[rule.id] = (fired[rule.id] ?? 0) + 1;
        const a = rule.action;
        if (a.kind === 'deny' || a.kind === 'delay' || a.kind === 'crash') {
          faulted.push({
            service: call.service,
            family,
            ...(call.path !== undefined ? { path: call.path } : {}),
            occurrence,
            action: a.kind,
            ...(a.kind === 'deny' ? { errno: a.errno } : a.kind === 'delay' ? { delayMs: a.ms } : { loseUnsynced: a.loseUnsynced }),
            ruleId: rule.id,
          });
        }
        break; // the first rule that fires decides; later rules do not see this call
      }
    }
    const excerpt = faulted.map(
      (f) => `${f.service} ${f.family}#${f.occurrence} ${f.action === 'deny' ? `deny(${f.errno})` : f.action === 'delay' ? `delay(${f.delayMs}ms)` : `crash(${f.loseUnsynced ? 'lose_unsynced=True' : ''})`}`,
    );
    for (const bug of this.opts.bugs ?? []) {
      if (bug.scenario !== scenario || !bug.hits(faulted, rules)) continue;
      if (bug.probability !== undefined && this.random() >= bug.probability) continue;
      const core = bug.verdict(run, opts);
      const v = { ...core, fired, excerpt, durationMs: 5 } as CaseVerdict;
      if (v.kind === 'crash') this.lastCrashed = v.service;
      log.verdict = v.kind;
      return v;
    }
    log.verdict = 'pass';
    return { kind: 'pass', fired, excerpt, durationMs: 5 };
  }

  async ensureHealthy(): Promise<{ restarted: string[] }> {
    this.healthChecks++;
    const restarted = this.lastCrashed ? [this.lastCrashed] : [];
    this.lastCrashed = undefined;
    return { restarted };
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}
