// One faultbox run against one spec: the spec worker, the services, the supervisor and the
// event log, wired together. `faultbox test` runs tests through it; the explorer runs cases.
import { chmodSync } from 'node:fs';
import { processCleanup, type CleanupRegistry } from '../launch/cleanup.js';
import { waitPortsFree } from '../launch/ports.js';
import { SpecWorkerClient } from '../spec-worker/client.js';
import type { FaultRule, ServiceDecl, SpecModel, TestDecl } from '../../spec/model.js';
import type { SyscallName } from '../../spec/syscall-families.js';
import type { TestOutcome } from '../../spec/outcome.js';
import { InfraError, InternalError } from '../../errors.js';
import { EventLog } from './event-log.js';
import { ProcessBackend } from './process-backend.js';
import { RuleBoard } from './rule-board.js';
import { RuntimeHost } from './runtime-host.js';
import { ServiceManager } from './service-manager.js';
import type { ServiceBackend } from './running-service.js';
import type { SupervisorPort } from './supervisor-port.js';
import { firedCounts, type TestResult, type TestVerdict } from './test-result.js';
import { ruleText } from '../trace/rule-text.js';
import type { TraceEvent } from '../../spec/events.js';
import { startSupervisor } from './supervisor-factory.js';
import { containerBackendFactory } from './container-backend.js';
import { RUN_DIR_PREFIX, type VolatileDir } from './scratch-dirs.js';
import { declaredFilterPlan, sameFilter, type FilterPlan } from './filter-plan.js';

/** `def test_*` bodies have no declared timeout; this bounds a hung one. */
export const DEFAULT_TEST_TIMEOUT_MS = 120_000;

export interface SessionOptions {
  readonly specFile: string;
  readonly seed: number;
  readonly print: (line: string) => void;
  /** Replaces the spec's trapped sets (the explorer records and faults every family). */
  readonly trapped?: Readonly<Record<string, readonly SyscallName[]>>;
  /** Replaces the spec's services that keep an undo log (the explorer's crash points). */
  readonly losesUnsynced?: readonly string[];
  /** image reference → local image to use instead (`--image a=b`). */
  readonly imageMap?: ReadonlyMap<string, string>;
  readonly cleanup?: CleanupRegistry;
}

/** What one body run produced, before it becomes a TestResult or an explorer verdict. */
export interface BodyRun {
  readonly outcome: TestOutcome | 'timeout' | 'aborted';
  readonly crashes: readonly { service: string; message: string }[];
  readonly supervisorFailure?: string;
  /** Services a rule was refused on because they run with narrower filters than the spec-wide set. */
  readonly needsWiderFilters?: readonly string[];
  /** What the lost-writes model could not see during a crash(lose_unsynced=True) of this body. */
  readonly blindSpots?: readonly string[];
}

export interface BodyOptions {
  /** Keep the events logged so far (runTest logs the services' start before the body). */
  readonly keepLog?: boolean;
  /** The spec-wide filters, when the running ones may be narrower (see filter-plan.ts). */
  readonly bound?: FilterPlan;
}

export class RuntimeSession {
  private supervisor?: SupervisorPort;
  private supervisorStarting?: Promise<SupervisorPort>;
  private loopFailure?: string;
  private readonly log = new EventLog();
  private services!: ServiceManager;
  private host!: RuntimeHost;
  private client!: SpecWorkerClient;
  private backends = new Map<string, ServiceBackend>();
  /** Aborted by close(): nothing new starts once the run is being torn down. */
  private readonly closing = new AbortController();
  /** Filters learned per test: services whose bodies armed rules beyond the declared faults. */
  private readonly learnedPlans = new Map<string, FilterPlan>();
  model!: SpecModel;

  private constructor(
    private readonly opts: SessionOptions,
    private readonly cleanup: CleanupRegistry,
    private readonly runDir: string,
  ) {}

  static async open(opts: SessionOptions): Promise<RuntimeSession> {
    const cleanup = opts.cleanup ?? processCleanup();
    await cleanup.sweepLeftovers();
    const runDir = cleanup.makeTempDir(RUN_DIR_PREFIX);
    // Services may drop to another user (PostgreSQL refuses root): let them reach their scratch dirs.
    chmodSync(runDir, 0o711);
    const session = new RuntimeSession(opts, cleanup, runDir);
    cleanup.register('spec worker and supervisor', () => session.close());
    await session.init();
    return session;
  }

  private async init(): Promise<void> {
    // The host is needed to load the spec; the services need the loaded model.
    this.host = new RuntimeHost(() => this.services, this.log, () => this.supervisor, this.opts.print);
    const loaded = await SpecWorkerClient.load(this.opts.specFile, this.host);
    this.client = loaded.client;
    this.model = loaded.model;
    this.services = new ServiceManager({
      model: this.model,
      backendFor: (decl) => this.backendFor(decl),
      log: this.log,
      runDir: this.runDir,
      trapped: this.opts.trapped,
      ...(this.opts.losesUnsynced ? { losesUnsynced: this.opts.losesUnsynced } : {}),
      undoLog: () => this.supervisor,
    });
  }

  private backendFor(decl: ServiceDecl): ServiceBackend {
    const kind = decl.source.kind === 'binary' ? 'process' : 'container';
    let backend = this.backends.get(kind);
    if (!backend) {
      backend = kind === 'process'
        ? new ProcessBackend(() => this.ensureSupervisor(), this.cleanup, this.runDir)
        : containerBackendFactory({ supervisor: () => this.ensureSupervisor(), cleanup: this.cleanup, runDir: this.runDir, imageMap: this.opts.imageMap ?? new Map(), print: this.opts.print });
      this.backends.set(kind, backend);
    }
    return backend;
  }

  private ensureSupervisor(): Promise<SupervisorPort> {
    this.supervisorStarting ??= startSupervisor().then((sup) => {
      sup.onLoopFailure((err) => {
        this.loopFailure = err.message;
      });
      // A crash rule killed a service: bring it back (steps to it wait meanwhile).
      sup.onCrash((notice) => {
        void this.services.recoverFromCrash(notice.service, notice.loseUnsynced, `${notice.syscall}=crash`);
      });
      this.supervisor = sup;
      return sup;
    });
    return this.supervisorStarting;
  }

  trappedFor(service: string): readonly SyscallName[] {
    return this.services.trappedFor(service);
  }

  /** Ports of services about to start must be free (a previous test's server may linger). */
  private async waitDeclaredPortsFree(): Promise<void> {
    const ports = this.model.services
      .filter((s) => s.source.kind === 'binary')
      .flatMap((s) => s.interfaces.map((i) => i.port));
    await waitPortsFree(ports);
  }

  /**
   * Starts (or keeps) the services with the filters `plan` gives them (default: the spec-wide or
   * explorer set); rejects with an InfraError naming the service that failed.
   */
  async startServices(plan?: FilterPlan, signal?: AbortSignal): Promise<void> {
    await this.waitDeclaredPortsFree();
    await this.services.startAll(plan, signal);
  }

  async ensureHealthy(): Promise<string[]> {
    return this.services.ensureHealthy();
  }

  async stopServices(all: boolean): Promise<void> {
    await this.services.stopAll({ all });
  }

  setRecording(services: readonly string[], on: boolean): Promise<void[]> {
    return this.ensureSupervisor().then((sup) => Promise.all(services.map((s) => sup.setRecording(s, on))));
  }

  /**
   * Runs a body with `rules` armed around it (the explorer's faults; `faultbox test` passes none
   * and the spec arms its own). Faults are armed only while the body runs.
   */
  async runBody(kind: 'test' | 'scenario', name: string, rules: readonly FaultRule[], seed: number, timeoutMs: number, signal?: AbortSignal, options: BodyOptions = {}): Promise<BodyRun> {
    if (!options.keepLog) this.log.reset();
    this.loopFailure = undefined;
    this.services.takeCrashes();
    // Rules are checked against the filters the services really run with.
    const board = new RuleBoard(this.supervisor ?? NO_SUPERVISOR, this.services.liveFilters(), seed, options.bound);
    this.host.beginTest(board);
    let outcome: BodyRun['outcome'];
    try {
      if (rules.length > 0) await this.host.applyRules(rules);
      outcome = await this.client.run(kind, name, this.services.addressBook(), timeoutMs, signal);
    } catch (err) {
      // A refused rule ends the body with a host error; when wider filters would have taken it,
      // the caller reruns the body instead of reporting it.
      if (board.needsWiderFilters.size > 0) outcome = 'aborted';
      // Otherwise a host call the body made was refused (a rule outside every filter, a step
      // the protocol lacks): that test fails with the reason; the run goes on.
      else outcome = { kind: 'fail', reason: 'step-error', message: firstLine(err), detail: err instanceof Error ? err.message : String(err) };
    } finally {
      await this.host.endTest();
      // Crash recoveries the body set off end before the verdict (and before anything stops).
      await this.services.settleLifecycle();
    }
    const wider = [...board.needsWiderFilters];
    await this.services.settleExits();
    const blind = this.services.takeBlindSpots();
    return {
      outcome, crashes: this.services.takeCrashes(), supervisorFailure: this.loopFailure,
      ...(wider.length > 0 ? { needsWiderFilters: wider } : {}), ...(blind.length > 0 ? { blindSpots: blind } : {}),
    };
  }

  /** Directories whose names change from run to run (scratch dirs), with globs for any run. */
  volatileDirs(): VolatileDir[] {
    return this.services.scratchDirs();
  }

  events() {
    return this.log.all();
  }

  armedRules(): readonly FaultRule[] {
    return this.host.armed;
  }

  logTails(): Record<string, string> {
    return this.services.logTails();
  }

  logTail(service: string, maxLines?: number): string | undefined {
    return this.services.logTail(service, maxLines);
  }

  /**
   * `faultbox test`: fresh services (reused ones kept), the body, a verdict, services stopped.
   * Services start with the filters the test can need: its declared faults plus what its body's
   * syntax reaches (none for a test without either). A body that still arms a rule on a service
   * beyond them reruns on fresh services, that service now with its spec-wide filter (and a
   * line saying so); the widened plan is kept for the test's later runs. A `signal` (Ctrl-C) or close() stops it: nothing new starts and the
   * verdict is `stopped`.
   */
  /**
   * What every test would need and cannot go without (each container service's image, the
   * engine): done once, so a missing image is one infrastructure error, not one per test.
   */
  async prepareServices(): Promise<void> {
    for (const decl of this.model.services.values()) await this.backendFor(decl).prepare?.(decl);
  }

  async runTest(test: TestDecl, seed: number, signal?: AbortSignal): Promise<TestResult> {
    const started = Date.now();
    const stop = signal ? AbortSignal.any([signal, this.closing.signal]) : this.closing.signal;
    // The explorer's override traps everything it may fault: nothing to narrow.
    if (this.opts.trapped) {
      const only = await this.attempt(test, seed, undefined, started, stop);
      if ('widen' in only) throw new InternalError(`test ${test.name} asked for wider filters than the explorer's`);
      return only;
    }
    const wide = this.services.widePlan();
    let plan = this.learnedPlans.get(test.name) ?? declaredFilterPlan(this.model, test);
    // Each rerun widens at least one more service, so this ends.
    for (;;) {
      const result = await this.attempt(test, seed, plan, started, stop);
      if (!('widen' in result)) return result;
      const widened: Record<string, readonly SyscallName[]> = { ...plan };
      for (const service of result.widen) widened[service] = wide[service] ?? [];
      if (result.widen.every((service) => sameFilter(plan[service] ?? [], widened[service]!))) {
        throw new InternalError(`test ${test.name} asked for wider filters on ${result.widen.join(', ')}, which already run with the spec-wide ones`);
      }
      // The syntax walk should have seen this; say so, since the body's steps run again.
      this.opts.print(`faultbox: ${test.name} armed a rule on ${result.widen.join(', ')} beyond the filters its syntax showed; rerunning it on fresh services with wider filters`);
      plan = widened;
      this.learnedPlans.set(test.name, plan);
    }
  }

  /** One try at a test; the services to widen when the body armed a rule its filters lack. */
  private async attempt(test: TestDecl, seed: number, plan: FilterPlan | undefined, started: number, stop: AbortSignal): Promise<TestResult | { readonly widen: readonly string[] }> {
    const base = { name: test.name, kind: test.kind, seed };
    const stopped = (): TestResult => ({ ...base, verdict: { kind: 'infra-error', message: 'stopped' }, durationMs: Date.now() - started, rules: [], events: this.log.all(), logs: {} });
    // The test's events start with its services' start (their filters are part of the story).
    this.log.reset();
    if (stop.aborted) return stopped();
    try {
      await this.startServices(plan, stop);
    } catch (err) {
      const message = err instanceof InfraError && err.hint ? `${err.message}\n  hint: ${err.hint}` : err instanceof Error ? err.message : String(err);
      const logs = this.services.logTails();
      await this.stopServices(false);
      if (stop.aborted) return stopped();
      return { ...base, verdict: { kind: 'infra-error', message }, durationMs: Date.now() - started, rules: [], events: this.log.all(), logs };
    }
    if (stop.aborted) {
      await this.stopServices(false);
      return stopped();
    }
    const timeoutMs = test.timeoutMs ?? DEFAULT_TEST_TIMEOUT_MS;
    const run = await this.runBody('test', test.name, [], seed, timeoutMs, stop, { keepLog: true, ...(plan ? { bound: this.services.widePlan() } : {}) });
    if (plan && run.needsWiderFilters && !stop.aborted) {
      await this.stopServices(false);
      return { widen: run.needsWiderFilters };
    }
    const verdict = bypassCheck(test, testVerdict(run, timeoutMs), this.log.all());
    const logs = verdict.kind === 'pass' ? {} : this.services.logTails();
    const durationMs = Date.now() - started;
    const rules = [...this.host.armed];
    await this.stopServices(false);
    // After the stop, so the trace also shows the services going away.
    return { ...base, verdict, durationMs, rules, events: this.log.all(), logs };
  }

  /** True once close() began: the run is being torn down. */
  get closed(): boolean {
    return this.closing.signal.aborted;
  }

  async close(): Promise<void> {
    this.closing.abort();
    await this.services?.stopAll({ all: true }).catch(() => undefined);
    await this.client?.close().catch(() => undefined);
    for (const b of this.backends.values()) await b.close().catch(() => undefined);
    this.backends.clear();
    await this.supervisor?.stop().catch(() => undefined);
    this.supervisor = undefined;
  }
}

const NO_SUPERVISOR = {
  async setRules(): Promise<void> {
    throw new InfraError('internal: rules armed but no service runs under the supervisor');
  },
};

function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0]!;
}

/**
 * fault_matrix(require_faults_fire=True): a passing cell whose fault never fired tested nothing
 * (the service made no matching call while it was armed), so it fails as FAULT_BYPASSED.
 */
export function bypassCheck(test: Pick<TestDecl, 'requireFaultsFire' | 'faults'>, verdict: TestVerdict, events: readonly TraceEvent[]): TestVerdict {
  if (!test.requireFaultsFire || verdict.kind !== 'pass') return verdict;
  const fired = firedCounts({ events });
  const bypassed = test.faults.filter((r) => r.action.kind !== 'allow' && (fired.get(r.id) ?? 0) === 0);
  if (bypassed.length === 0) return verdict;
  const names = bypassed.map((r) => `${r.service} ${ruleText(r)}`).join(', ');
  const message = `FAULT_BYPASSED: ${names} never fired, so this cell tested nothing (require_faults_fire=True)`;
  return { kind: 'fail', reason: 'fault-bypassed', message, detail: `${message}\n  the service made no matching call while the fault was armed: check the syscall (write vs pwrite64), the path glob, or a connection opened before the fault` };
}

export function testVerdict(run: BodyRun, timeoutMs: number): TestVerdict {
  if (run.supervisorFailure) return { kind: 'supervisor-failure', message: run.supervisorFailure };
  if (run.outcome === 'timeout') return { kind: 'timeout', timeoutMs };
  if (run.outcome === 'aborted') return { kind: 'infra-error', message: 'stopped' };
  // A result the lost-writes model could not see through is no result at all.
  if (run.blindSpots) return { kind: 'infra-error', message: `LOST_WRITES_BLIND: the lost-writes model could not see everything the service did, so this result is not trustworthy: ${run.blindSpots.join('; ')}` };
  if (run.outcome.kind === 'fail') return run.outcome;
  // A service that died on its own during the test failed it, even if every assertion held
  // (json-server exits after it answered, when persisting fails): the explorer calls it a crash too.
  const crash = run.crashes[0];
  if (crash) return { kind: 'crash', service: crash.service, message: crash.message };
  return run.outcome.assertions === undefined ? { kind: 'pass' } : { kind: 'pass', assertions: run.outcome.assertions };
}
