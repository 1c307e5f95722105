// The ScenarioRunner the CLI uses: cases run against the real services of a RuntimeSession,
// started once and reused; every service the space can fault is trapped from the start, since
// a filter cannot change after exec.
import { classOfCall, type TargetClass } from '../../spec/errno-fit.js';
import type { FaultRule, SpecModel } from '../../spec/model.js';
import type { SyscallEvent } from '../../spec/events.js';
import { FAMILIES, type SyscallName } from '../../spec/syscall-families.js';
import { UNDO_LOG_SYSCALLS } from '../../spec/lose-unsynced.js';
import { RuntimeSession, type BodyRun } from '../../runtime/orchestrate/runtime-session.js';
import { syscallEventLine } from '../../runtime/trace/rule-text.js';
import type { CaseVerdict, RecordResult, RunCaseOptions, ScenarioRunner, ServiceLog } from './runner.js';

/** Fault-free runs tried to bring services back to the census's warm state after a disturbance. */
const WARMUP_ATTEMPTS = 3;

/** Log lines kept with a crash: enough for a stack trace's head, short enough for a screen. */
const SERVICE_LOG_LINES = 12;

/** Syscall lines kept around each injected fault for reports. */
const EXCERPT_BEFORE = 3;
const EXCERPT_AFTER = 5;

/** What the explored services' filters must cover. */
export interface ExplorerFilters {
  /** The families the campaign may fault. */
  readonly families: readonly string[];
  /** Crash points with lost writes may be tried: every service keeps an undo log from launch on. */
  readonly undoLog: boolean;
}

/** Per seccomp-enabled service, every syscall of the families the explorer may fault (and the undo log's). */
export function explorerTrappedSets(model: SpecModel, filters: ExplorerFilters): Record<string, SyscallName[]> {
  const syscalls = [...FAMILIES.filter((f) => filters.families.includes(f.name)).flatMap((f) => f.members), ...(filters.undoLog ? UNDO_LOG_SYSCALLS : [])];
  const out: Record<string, SyscallName[]> = {};
  for (const s of model.services) {
    if (!s.seccomp) continue;
    if (model.explore?.services && !model.explore.services.includes(s.name)) continue;
    out[s.name] = [...new Set([...(model.trapped[s.name] ?? []), ...syscalls])];
  }
  return out;
}

function firedOf(events: readonly SyscallEvent[]): Record<string, number> {
  const fired: Record<string, number> = {};
  for (const e of events) if (e.ruleId && isInjected(e)) fired[e.ruleId] = (fired[e.ruleId] ?? 0) + 1;
  return fired;
}

function isInjected(e: SyscallEvent): boolean {
  return e.decision === 'deny' || e.decision === 'delay' || e.decision === 'crash';
}

function deniedClassesOf(events: readonly SyscallEvent[]): Record<string, TargetClass> {
  const out: Record<string, TargetClass> = {};
  for (const e of events) {
    const cls = e.ruleId && e.decision === 'deny' ? classOfCall(e) : undefined;
    if (cls !== undefined) out[e.ruleId!] ??= cls;
  }
  return out;
}

/** The syscall lines around each injected fault (deny/delay/crash), de-duplicated. */
export function faultExcerpt(events: readonly SyscallEvent[]): string[] {
  const keep = new Set<number>();
  events.forEach((e, i) => {
    if (!isInjected(e)) return;
    for (let j = Math.max(0, i - EXCERPT_BEFORE); j <= Math.min(events.length - 1, i + EXCERPT_AFTER); j++) keep.add(j);
  });
  return [...keep].sort((a, b) => a - b).slice(0, 40).map((i) => syscallEventLine(events[i]!));
}

export class RuntimeScenarioRunner implements ScenarioRunner {
  private started = false;
  /** The scenario of the last case, to warm a restarted service with. */
  private lastScenario: { readonly name: string; readonly timeoutMs: number } | undefined;

  /** The last case failed or fired a fault: the services may not be in the census's warm state. */
  private disturbed = false;

  constructor(readonly session: RuntimeSession) {}

  /** Opens a session whose services trap every family the campaign may fault. */
  static async open(specFile: string, filtersFor: (model: SpecModel) => ExplorerFilters, seed: number, print: (line: string) => void, imageMap?: ReadonlyMap<string, string>): Promise<RuntimeScenarioRunner> {
    // The trapped sets depend on the model, which only loading the spec gives: load once to read
    // it, then open the real session with the explorer's filters.
    const probe = await RuntimeSession.open({ specFile, seed, print });
    const filters = filtersFor(probe.model);
    const trapped = explorerTrappedSets(probe.model, filters);
    await probe.close();
    const losesUnsynced = filters.undoLog ? Object.keys(trapped) : undefined;
    const session = await RuntimeSession.open({ specFile, seed, print, trapped, imageMap, ...(losesUnsynced ? { losesUnsynced } : {}) });
    return new RuntimeScenarioRunner(session);
  }

  get model(): SpecModel {
    return this.session.model;
  }

  private async ensureStarted(): Promise<void> {
    if (this.started) return;
    await this.session.startServices();
    this.started = true;
  }

  private timeoutFor(scenario: string, fallback: number): number {
    return this.model.scenarios.find((s) => s.name === scenario)?.timeoutMs ?? fallback;
  }

  private verdictOf(run: BodyRun, durationMs: number, timeoutMs: number): CaseVerdict {
    const syscalls = this.session.events().filter((e): e is SyscallEvent => e.type === 'syscall');
    const base = { fired: firedOf(syscalls), excerpt: faultExcerpt(syscalls), deniedClasses: deniedClassesOf(syscalls), durationMs };
    if (run.supervisorFailure) return { ...base, kind: 'infra-error', message: `supervisor failed: ${run.supervisorFailure}` };
    // A power loss the lost-writes model could not see through gives no result at all.
    if (run.blindSpots) return { ...base, kind: 'infra-error', message: `LOST_WRITES_BLIND: ${run.blindSpots.join('; ')}` };
    if (run.crashes.length > 0) {
      const c = run.crashes[0]!;
      const signal = /killed by (\w+)/.exec(c.message)?.[1];
      const code = /code (\d+)/.exec(c.message)?.[1];
      const serviceLog = this.serviceLog(c.service);
      return { ...base, kind: 'crash', service: c.service, ...(signal ? { signal } : {}), ...(code ? { exitCode: Number(code) } : {}), ...(serviceLog ? { serviceLog } : {}) };
    }
    if (run.outcome === 'timeout') return { ...base, kind: 'timeout', timeoutMs };
    if (run.outcome === 'aborted') return { ...base, kind: 'infra-error', message: 'aborted' };
    if (run.outcome.kind === 'fail') {
      return { ...base, kind: 'fail', reason: run.outcome.reason, message: run.outcome.message, ...(run.outcome.at !== undefined ? { at: run.outcome.at } : {}) };
    }
    return { ...base, kind: 'pass' };
  }

  /** Why a service died is usually in its last words: the tail of its log. */
  private serviceLog(service: string): ServiceLog | undefined {
    const tail = this.session.logTail(service);
    const lines = tail?.split('\n').filter((l) => l.trim() !== '').slice(-SERVICE_LOG_LINES) ?? [];
    return lines.length > 0 ? { service, lines } : undefined;
  }

  async record(scenario: string, _families: readonly string[], signal: AbortSignal): Promise<RecordResult> {
    await this.ensureStarted();
    const services = Object.keys(this.session.model.trapped).length ? this.model.services.filter((s) => this.session.trappedFor(s.name).length > 0).map((s) => s.name) : [];
    const timeoutMs = this.timeoutFor(scenario, 30_000);
    // Cases run on services that already served the scenario, so the census must describe a
    // warm service: a first run also does one-time work (lazy init, first-use pools, runtime
    // wake-ups) that would shift every occurrence number the triggers count.
    const warmStarted = Date.now();
    const warm = await this.session.runBody('scenario', scenario, [], 0, timeoutMs, signal);
    const warmVerdict = this.verdictOf(warm, Date.now() - warmStarted, timeoutMs);
    if (warmVerdict.kind !== 'pass') return { verdict: warmVerdict, events: this.session.events(), bodyWindow: { fromSeq: 1, toSeq: 0 } };
    await this.session.setRecording(services, true);
    const started = Date.now();
    let run: BodyRun;
    try {
      run = await this.session.runBody('scenario', scenario, [], 0, timeoutMs, signal);
    } finally {
      await this.session.setRecording(services, false);
    }
    const events = this.session.events();
    return {
      verdict: this.verdictOf(run, Date.now() - started, timeoutMs),
      events,
      bodyWindow: { fromSeq: events[0]?.seq ?? 1, toSeq: events.at(-1)?.seq ?? 0 },
      volatileDirs: this.session.volatileDirs(),
    };
  }

  async runCase(scenario: string, rules: readonly FaultRule[], opts: RunCaseOptions, signal: AbortSignal): Promise<CaseVerdict> {
    await this.ensureStarted();
    this.lastScenario = { name: scenario, timeoutMs: opts.timeoutMs };
    const started = Date.now();
    const run = await this.session.runBody('scenario', scenario, rules, opts.seed, opts.timeoutMs, signal);
    const verdict = this.verdictOf(run, Date.now() - started, opts.timeoutMs);
    this.disturbed = verdict.kind !== 'pass' || Object.values(verdict.fired).some((n) => n > 0);
    return verdict;
  }

  async ensureHealthy(signal: AbortSignal): Promise<{ restarted: string[] }> {
    if (!this.started) {
      await this.ensureStarted();
      return { restarted: [] };
    }
    const restarted = await this.session.ensureHealthy();
    const disturbed = this.disturbed;
    this.disturbed = false;
    // The census was recorded on warm services: pools connected, caches filled. A restarted
    // service is cold again, and a case whose faults fired may have broken connections (even
    // another service's: PostgreSQL's crash recovery ends every client's session), so the next
    // case would first reconnect and every occurrence number would shift. Warm up the way the
    // census did: a fault-free run of the scenario, repeated while it fails (a pool often finds
    // its dead connections only by failing a request on them).
    if ((restarted.length > 0 || disturbed) && this.lastScenario !== undefined) {
      const { name, timeoutMs } = this.lastScenario;
      for (let attempt = 0; attempt < WARMUP_ATTEMPTS && !signal.aborted; attempt++) {
        const started = Date.now();
        const warm = await this.session.runBody('scenario', name, [], 0, timeoutMs, signal);
        const healthy = await this.session.ensureHealthy();
        if (this.verdictOf(warm, Date.now() - started, timeoutMs).kind === 'pass' && healthy.length === 0) break;
      }
    }
    return { restarted };
  }

  async close(): Promise<void> {
    await this.session.close();
  }
}
