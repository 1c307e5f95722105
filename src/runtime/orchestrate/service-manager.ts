// Starts a spec's services in depends_on order, waits for each to be healthy, tracks crashes,
// restarts what died (for the explorer), and stops everything.
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressBook } from '../spec-worker/protocol.js';
import type { Healthcheck, ServiceDecl, SpecModel } from '../../spec/model.js';
import type { SyscallName } from '../../spec/syscall-families.js';
import { waitHealthy } from '../launch/healthcheck.js';
import { InfraError } from '../../errors.js';
import { runByDependencies, startOrder } from './start-order.js';
import { filterFor, sameFilter, type FilterPlan } from './filter-plan.js';
import type { EventLog } from './event-log.js';
import type { RunningService, ServiceBackend } from './running-service.js';
import { scratchDirGlob, runDirGlob, scratchDirName, type VolatileDir } from './scratch-dirs.js';
import { trapsUndoLogSyscalls } from '../../spec/lose-unsynced.js';

export interface ServiceManagerOptions {
  readonly model: SpecModel;
  readonly backendFor: (decl: ServiceDecl) => ServiceBackend;
  readonly log: EventLog;
  /** Root of this run's scratch dirs (removed by the cleanup registry). */
  readonly runDir: string;
  /** Overrides the spec's trapped sets (the explorer traps every faultable family). */
  readonly trapped?: Readonly<Record<string, readonly SyscallName[]>>;
  /** Overrides the spec's services that keep an undo log (the explorer's crash points). */
  readonly losesUnsynced?: readonly string[];
  /** Rolls back a crashed service's unsynced writes (absent: no service keeps an undo log). */
  readonly undoLog?: () => UndoLogPort | undefined;
}

/** The healthcheck to use: the declared one, else protocol readiness for databases, else none. */
export function effectiveHealthcheck(decl: ServiceDecl): Healthcheck | undefined {
  const first = decl.interfaces[0];
  const database = first && (first.protocol === 'postgres' || first.protocol === 'redis');
  // A TCP connect succeeds long before a database answers queries (and always does through
  // Docker's port proxy): for databases, readiness means a real query.
  if (decl.healthcheck?.kind === 'tcp' && database) return { kind: 'ready', timeoutMs: decl.healthcheck.timeoutMs };
  if (decl.healthcheck) return decl.healthcheck;
  if (first && (first.protocol === 'postgres' || first.protocol === 'redis')) return { kind: 'ready', timeoutMs: 30_000 };
  if (first) return { kind: 'tcp', addr: `localhost:${first.port}`, timeoutMs: 30_000 };
  return undefined;
}

/** Healthchecks name declared ports; containers publish them elsewhere on the host. */
export function mapCheckPorts(check: Healthcheck, svc: RunningService): Healthcheck {
  const rewrite = (s: string): string =>
    svc.decl.interfaces.reduce((acc, iface) => {
      const live = svc.addresses[iface.name];
      return live && live.port !== iface.port ? acc.replace(new RegExp(`:${iface.port}(?=$|/|\\?)`), `:${live.port}`) : acc;
    }, s);
  if (check.kind === 'tcp') return { ...check, addr: rewrite(check.addr) };
  if (check.kind === 'http') return { ...check, url: rewrite(check.url) };
  return check;
}

/** How long kill(signal) waits for a non-SIGKILL signal to end the service before calling it survived. */
const KILL_SETTLE_MS = 2000;

/** A started service plus what the manager owns about it. */
interface ManagedService {
  readonly svc: RunningService;
  readonly scratchDir: string;
  /** The syscalls its filter traps (empty: none). */
  readonly filter: readonly SyscallName[];
  /** Set before a requested stop, so the exit is not taken for a crash. */
  stopping: boolean;
  /** Halted by a lifecycle step (stop, kill): still ours, its scratch dir kept for a start. */
  down: boolean;
}

/** How a lifecycle step or a crash recovery went: ok, or the reason it did not. */
export interface LifecycleOutcome {
  readonly ok: boolean;
  readonly error: string;
}

/** What the manager needs from the supervisor to model lost writes. */
export interface UndoLogPort {
  /** Puts every file the service changed back to its last synced state; what it could not see. */
  rollback(service: string): Promise<{ files: number; dirOps: number; blindSpots: readonly string[] }>;
}

export class ServiceManager {
  private readonly running = new Map<string, ManagedService>();
  private readonly crashes = new Map<string, string>();
  /** Restarts and crash recoveries under way: steps to these services wait for them. */
  private readonly comingBack = new Map<string, Promise<LifecycleOutcome>>();
  private readonly blind: string[] = [];
  private instance = 0;
  /** The filters services (re)start with; the spec-wide (or explorer) set until a test narrows it. */
  private plan: FilterPlan;

  constructor(private readonly opts: ServiceManagerOptions) {
    this.plan = this.widePlan();
  }

  /** The spec-wide set (or the explorer's override): every syscall any rule may need. */
  widePlan(): FilterPlan {
    return this.opts.trapped ?? this.opts.model.trapped;
  }

  trappedFor(name: string): readonly SyscallName[] {
    return this.widePlan()[name] ?? [];
  }

  /** What each running service's filter traps now (what rules may be armed on). */
  liveFilters(): Record<string, readonly SyscallName[]> {
    const out: Record<string, readonly SyscallName[]> = {};
    for (const [name, m] of this.running) out[name] = m.filter;
    return out;
  }

  /**
   * Starts every service not already running with the filter `plan` gives it, each once its
   * depends_on are ready (independent ones together); a running one with another filter is
   * restarted. Stops starting once `signal` aborts.
   */
  async startAll(plan: FilterPlan = this.widePlan(), signal?: AbortSignal): Promise<void> {
    this.plan = plan;
    // Independent services start together; each waits for its depends_on to be ready.
    await runByDependencies(this.opts.model.services, async (decl) => {
      if (signal?.aborted) return;
      const m = this.running.get(decl.name);
      // A kept (reused) service may have been left broken by the last test's faults: it must
      // pass its readiness check again, or it is replaced.
      if (m?.svc.isAlive() && sameFilter(m.filter, filterFor(decl, plan)) && (await this.readyAgain(decl, m))) return;
      if (m) {
        // Alive with another filter: stop it properly; already dead: just clear what is left.
        this.running.delete(decl.name);
        if (m.svc.isAlive()) await this.stopOne(m);
        else await this.stopOne(m).catch(() => undefined);
        this.opts.log.add({ type: 'lifecycle', service: decl.name, phase: 'stopped' });
      }
      await this.start(decl);
    });
  }

  private async readyAgain(decl: ServiceDecl, m: ManagedService): Promise<boolean> {
    const svc = m.svc;
    try {
      if (svc.checkReady) await svc.checkReady();
      else {
        const check = effectiveHealthcheck(decl);
        const first = decl.interfaces[0];
        if (check) {
          await waitHealthy(mapCheckPorts(check, svc), {
            service: decl.name,
            readyOn: first ? { protocol: first.protocol, addr: svc.addresses[first.name]! } : undefined,
            env: decl.env,
            isAlive: () => svc.isAlive(),
          });
        }
      }
      return true;
    } catch (err) {
      const why = err instanceof Error ? err.message.split('\n')[0] : String(err);
      this.opts.log.add({ type: 'lifecycle', service: decl.name, phase: 'restarted', detail: `not ready after the last test: ${why}` });
      return false;
    }
  }

  private async start(decl: ServiceDecl, carried?: ManagedService): Promise<void> {
    this.running.delete(decl.name);
    this.crashes.delete(decl.name);
    // A restart within a test keeps the instance's scratch dir (its data) and filter.
    const scratchDir = carried?.scratchDir ?? join(this.opts.runDir, scratchDirName(decl.name, ++this.instance));
    mkdirSync(scratchDir, { recursive: true, mode: 0o755 });
    const trapped = carried?.filter ?? filterFor(decl, this.plan);
    const managed: { stopping: boolean; down: boolean } = { stopping: false, down: false };
    if (carried) this.running.set(decl.name, carried); // still ours while it comes back
    const svc = await this.opts.backendFor(decl).start(decl, {
      trapped,
      scratchDir,
      ...(carried ? { resume: carried.svc } : {}),
      undoLog: trapsUndoLogSyscalls(trapped) && (this.opts.losesUnsynced ?? this.opts.model.losesUnsynced ?? []).includes(decl.name),
      onUnexpectedExit: (description) => {
        if (managed.stopping) return;
        this.crashes.set(decl.name, description);
        this.opts.log.add({ type: 'lifecycle', service: decl.name, phase: 'exited', detail: description });
      },
    });
    this.running.set(decl.name, Object.assign(managed, { svc, scratchDir, filter: svc.filtered ? trapped : [] }));
    this.opts.log.add({ type: 'lifecycle', service: decl.name, phase: 'started', detail: (svc.filtered ? `filter:[${trapped.join(',')}]` : 'no filter') + (carried ? ', same data as before' : '') });
    const check = effectiveHealthcheck(decl);
    if (check && !svc.readyChecked) {
      const first = decl.interfaces[0];
      await waitHealthy(mapCheckPorts(check, svc), {
        service: decl.name,
        readyOn: first ? { protocol: first.protocol, addr: svc.addresses[first.name]! } : undefined,
        env: decl.env,
        isAlive: () => svc.isAlive(),
        describeExit: () => `${svc.describeExit()}\n${svc.logTail(20)}`,
      });
    }
    this.opts.log.add({ type: 'lifecycle', service: decl.name, phase: 'ready' });
  }

  get(name: string): RunningService {
    const m = this.running.get(name);
    if (!m || m.down) throw new InfraError(`service ${name} is not running${m?.down ? ' (a lifecycle step stopped it; start it with ' + name + '.start())' : ''}`);
    return m.svc;
  }

  /** Halted by a lifecycle step (stop, a fatal kill) and not started again. */
  isDown(name: string): boolean {
    return this.running.get(name)?.down === true;
  }

  /** True while a restart or crash recovery of the service is under way. */
  isComingBack(name: string): boolean {
    return this.comingBack.has(name);
  }

  /** The service, once a restart or crash recovery under way has brought it back (or failed to). */
  async available(name: string): Promise<RunningService> {
    const back = this.comingBack.get(name);
    if (back) await back;
    return this.get(name);
  }

  /** Waits for every restart and crash recovery under way (a body ends only after them). */
  async settleLifecycle(): Promise<void> {
    while (this.comingBack.size > 0) await Promise.all([...this.comingBack.values()]);
  }

  /** Lifecycle steps: stop, kill, start, restart, crash. Dependents are left alone. */
  async lifecycle(name: string, action: 'restart' | 'kill' | 'start' | 'stop' | 'crash', options: { signal?: NodeJS.Signals; loseUnsynced?: boolean } = {}): Promise<LifecycleOutcome> {
    await this.comingBack.get(name);
    const m = this.running.get(name);
    if (!m) return { ok: false, error: `service ${name} is not running in this test` };
    if (action === 'start') {
      if (!m.down) return { ok: false, error: `service ${name} is already running` };
      // Whatever a signal left of it (stragglers, its listener) goes first; a no-op after stop().
      return this.bringBack(m, () => m.svc.halt('kill'));
    }
    if (m.down) return { ok: false, error: `service ${name} is stopped (${name}.start() starts it again)` };
    switch (action) {
      case 'stop':
        m.stopping = true;
        await m.svc.halt('graceful');
        m.down = true;
        this.opts.log.add({ type: 'lifecycle', service: name, phase: 'stopped', detail: 'stop()' });
        return { ok: true, error: '' };
      case 'kill': {
        const sig = options.signal ?? 'SIGKILL';
        m.stopping = true;
        if (sig === 'SIGKILL') await m.svc.halt('kill');
        else await m.svc.signal(sig);
        // A signal it may survive: give it a moment to exit before saying it did not.
        for (let waited = 0; sig !== 'SIGKILL' && m.svc.isAlive() && waited < KILL_SETTLE_MS; waited += 20) await new Promise((r) => setTimeout(r, 20));
        m.down = !m.svc.isAlive();
        m.stopping = m.down;
        this.opts.log.add({ type: 'lifecycle', service: name, phase: m.down ? 'killed' : 'signalled', detail: sig });
        return { ok: true, error: '' };
      }
      case 'restart':
        return this.bringBack(m, async () => {
          await m.svc.halt('graceful');
          this.opts.log.add({ type: 'lifecycle', service: name, phase: 'stopped', detail: 'restart()' });
        });
      case 'crash':
        return this.recoverFromCrash(name, options.loseUnsynced ?? false, 'crash()');
    }
  }

  /**
   * A crash: SIGKILL to every process (the supervisor already sent it when a crash rule fired),
   * then, with lost writes, every file put back to its last synced state, then a start and a
   * wait for health. Steps to the service wait meanwhile.
   */
  recoverFromCrash(name: string, loseUnsynced: boolean, why: string): Promise<LifecycleOutcome> {
    const m = this.running.get(name);
    if (!m || m.down) return Promise.resolve({ ok: false, error: `service ${name} is not running` });
    if (this.comingBack.has(name)) return this.comingBack.get(name)!;
    m.stopping = true;
    return this.bringBack(m, async () => {
      await m.svc.halt('kill');
      this.crashes.delete(name);
      this.opts.log.add({ type: 'lifecycle', service: name, phase: 'killed', detail: `SIGKILL (${why})` });
      if (!loseUnsynced) return;
      const port = this.opts.undoLog?.();
      if (!port) throw new InfraError(`crash(lose_unsynced=True) on ${name}: the service keeps no undo log (its filter does not trap the file syscalls)`);
      const report = await port.rollback(name);
      this.opts.log.add({ type: 'lifecycle', service: name, phase: 'rolled-back', detail: `${report.files} file(s) and ${report.dirOps} directory change(s) put back to their last synced state` });
      if (report.blindSpots.length > 0) this.blind.push(...report.blindSpots.map((b) => `${name}: ${b}`));
    });
  }

  /** What the lost-writes model could not see in this test (a case that met one must not pass). */
  takeBlindSpots(): string[] {
    return this.blind.splice(0);
  }

  private bringBack(m: ManagedService, end: () => Promise<void>): Promise<LifecycleOutcome> {
    const name = m.svc.decl.name;
    const back = (async (): Promise<LifecycleOutcome> => {
      try {
        m.stopping = true;
        await end();
        await this.start(m.svc.decl, m);
        this.opts.log.add({ type: 'lifecycle', service: name, phase: 'restarted', detail: 'healthy again' });
        return { ok: true, error: '' };
      } catch (err) {
        m.down = true;
        this.running.set(name, m);
        const message = err instanceof Error ? err.message : String(err);
        this.opts.log.add({ type: 'lifecycle', service: name, phase: 'exited', detail: `did not come back: ${message.split('\n')[0]}` });
        return { ok: false, error: message };
      } finally {
        this.comingBack.delete(name);
      }
    })();
    this.comingBack.set(name, back);
    return back;
  }

  private async stopOne(m: ManagedService): Promise<void> {
    m.stopping = true;
    await m.svc.stop();
    rmSync(m.scratchDir, { recursive: true, force: true });
  }

  /** The running services' scratch dirs, each with a glob that matches it in any run. */
  scratchDirs(): VolatileDir[] {
    // The run dir itself (the services' log files) last: a scratch dir inside it is more specific.
    return [
      ...[...this.running].map(([name, m]) => ({ dir: m.scratchDir, glob: scratchDirGlob(this.opts.runDir, name) })),
      { dir: this.opts.runDir, glob: runDirGlob(this.opts.runDir) },
    ];
  }

  addressBook(): AddressBook {
    const book: Record<string, AddressBook[string]> = {};
    for (const [name, m] of this.running) book[name] = m.svc.addresses;
    return book;
  }

  /**
   * Waits (at most `maxMs`) until exits already under way have been delivered, so a crash that
   * ended the body (its peers saw the connection drop) is reported as the crash it is.
   */
  async settleExits(maxMs = 2000): Promise<void> {
    const deadline = Date.now() + maxMs;
    const exiting = () => [...this.running.values()].some((m) => !m.stopping && m.svc.isAlive() && m.svc.exitInProgress?.() === true);
    while (exiting() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
  }

  /** Services that exited without being asked to since the last call (cleared by the call). */
  takeCrashes(): { service: string; message: string }[] {
    // Launchers without exit callbacks (containers) are caught here.
    for (const [name, m] of this.running) {
      if (!m.stopping && !m.svc.isAlive() && !this.crashes.has(name)) this.crashes.set(name, m.svc.describeExit() || 'exited');
    }
    const out = [...this.crashes].map(([service, message]) => ({ service, message }));
    this.crashes.clear();
    return out;
  }

  /** Checks every running service is alive and healthy; restarts the ones that are not. */
  async ensureHealthy(): Promise<string[]> {
    const restarted: string[] = [];
    for (const decl of startOrder(this.opts.model.services)) {
      const m = this.running.get(decl.name);
      const svc = m?.svc;
      const check = effectiveHealthcheck(decl);
      // A service whose dependency was just replaced holds connections (pools, sessions) to the
      // old instance, and clients rarely recover the way they started: restart it as well, so
      // what runs next meets the state a fresh start gives.
      const staleDependency = decl.dependsOn.find((d) => restarted.includes(d));
      let healthy = !!svc?.isAlive() && staleDependency === undefined;
      if (healthy && svc && check) {
        const quick = { ...mapCheckPorts(check, svc), timeoutMs: 2000 } as Healthcheck;
        const first = decl.interfaces[0];
        healthy = await waitHealthy(quick, {
          service: decl.name,
          readyOn: first ? { protocol: first.protocol, addr: svc.addresses[first.name]! } : undefined,
          env: decl.env,
          isAlive: () => svc.isAlive(),
        }).then(() => true, () => false);
      }
      if (!healthy) {
        if (m) await this.stopOne(m).catch(() => undefined);
        this.opts.log.add({ type: 'lifecycle', service: decl.name, phase: 'restarted', ...(staleDependency ? { detail: `its dependency ${staleDependency} was restarted` } : {}) });
        await this.start(decl);
        restarted.push(decl.name);
      }
    }
    this.crashes.clear();
    return restarted;
  }

  /**
   * Stops services, dependents before what they depend on (independent ones together); reused
   * ones stay up unless `all`. A failed stop does not keep the others running: it is thrown
   * once every stop was tried.
   */
  async stopAll(options: { all: boolean }): Promise<void> {
    const failures: unknown[] = [];
    await runByDependencies(
      this.opts.model.services,
      async (decl) => {
        const m = this.running.get(decl.name);
        if (!m || (decl.reuse && !options.all)) return;
        this.running.delete(decl.name);
        try {
          await this.stopOne(m);
        } catch (err) {
          failures.push(err);
          return;
        }
        this.opts.log.add({ type: 'lifecycle', service: decl.name, phase: 'stopped' });
      },
      { reverse: true },
    );
    if (failures.length > 0) throw failures[0];
  }

  logTails(maxLines = 30): Record<string, string> {
    const out: Record<string, string> = {};
    for (const name of this.running.keys()) out[name] = this.logTail(name, maxLines)!;
    return out;
  }

  /** The last lines one service wrote; undefined when it is not running here. */
  logTail(service: string, maxLines = 30): string | undefined {
    return this.running.get(service)?.svc.logTail(maxLines);
  }
}
