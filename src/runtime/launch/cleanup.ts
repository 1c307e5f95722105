// The registry of everything a faultbox process started (process groups, temp dirs, containers,
// networks), disposed last-in-first-out on completion, failure, signals and uncaught errors, with
// a synchronous SIGKILL last resort at exit and an on-disk record a later run sweeps after a crash.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import {
  DEFAULT_RUNS_DIR,
  removeRunRecord,
  sweepStaleRuns,
  writeRunRecord,
  type SweepReport,
} from './cleanup-record.js';
import { processStartTime, signalGroup, signalProcesses, type ProcessRef } from './process-group.js';
import { startDeathWatch } from './death-watch.js';

/** Removes an entry from the registry without disposing it (the owner disposed it itself). */
export type Release = () => void;

type Entry =
  | {
      readonly kind: 'group';
      readonly id: number;
      readonly pgid: number;
      readonly leaderStartTime: number;
      readonly label: string;
      readonly stop: () => Promise<void>;
    }
  | { readonly kind: 'tempDir'; readonly id: number; readonly path: string }
  | { readonly kind: 'resource'; readonly id: number; readonly name: string; readonly dispose: () => Promise<void> };

export interface CleanupReport {
  readonly disposed: number;
  readonly failures: readonly { readonly name: string; readonly error: string }[];
}

export interface CleanupOptions {
  /** Where run records live; a test points this at its own directory. */
  readonly runsDir?: string;
  readonly runId?: string;
  /** Progress and warnings; stderr by default. */
  readonly log?: (line: string) => void;
}

const SIGNAL_EXIT: Partial<Record<NodeJS.Signals, number>> = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 };

/** The exit code of a run a signal stopped (128 + its number, as shells report it). */
export function signalExitCode(signal: NodeJS.Signals): number {
  return SIGNAL_EXIT[signal] ?? 1;
}
/** After a signal, graceful disposal gets this long before the synchronous SIGKILL path. */
const SIGNAL_DISPOSE_LIMIT_MS = 30_000;

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export class CleanupRegistry {
  readonly runId: string;
  readonly runsDir: string;
  private readonly log: (line: string) => void;
  private entries: Entry[] = [];
  private nextId = 1;
  private recorded = false;
  private recordWarned = false;
  private readonly startedAt = new Date().toISOString();
  private sweep: Promise<SweepReport> | undefined;
  private disposing: Promise<CleanupReport> | undefined;
  private deathWatch: 'off' | 'wanted' | 'failed' = 'off';
  private watchdog: ProcessRef | undefined;

  constructor(options: CleanupOptions = {}) {
    this.runsDir = options.runsDir ?? DEFAULT_RUNS_DIR;
    this.runId =
      options.runId ?? `${new Date().toISOString().replace(/[-:.]/g, '').slice(0, 15)}-${process.pid}-${randomBytes(3).toString('hex')}`;
    this.log = options.log ?? ((line) => process.stderr.write(`${line}\n`));
  }

  /**
   * Once per registry: removes what crashed earlier runs left (their services may hold the ports
   * this run needs). The launcher awaits it before its first start.
   */
  sweepLeftovers(): Promise<SweepReport> {
    this.sweep ??= sweepStaleRuns(this.runsDir).then((report) => {
      if (report.runs.length > 0) {
        this.log(
          `faultbox: removed leftovers of ${report.runs.length} crashed run(s): ` +
            `${report.groupsKilled} process group(s), ${report.tempDirsRemoved} temp dir(s)`,
        );
      }
      return report;
    });
    return this.sweep;
  }

  /** A process group we started; `stop` is the graceful path, SIGKILL of the group the fallback. */
  trackGroup(pgid: number, label: string, stop: () => Promise<void>): Release {
    const leaderStartTime = processStartTime(pgid) ?? 0;
    return this.add({ kind: 'group', id: this.nextId++, pgid, leaderStartTime, label, stop });
  }

  trackTempDir(path: string): Release {
    return this.add({ kind: 'tempDir', id: this.nextId++, path });
  }

  /** Creates a tracked directory under the system temp dir. */
  makeTempDir(prefix = 'faultbox-'): string {
    const path = mkdtempSync(join(tmpdir(), prefix));
    this.trackTempDir(path);
    return path;
  }

  /** Anything else with an async teardown (containers, networks). Not swept after a crash. */
  register(name: string, dispose: () => Promise<void>): Release {
    return this.add({ kind: 'resource', id: this.nextId++, name, dispose });
  }

  /**
   * From the first thing registered on, a watchdog process removes everything of this run if
   * this process dies without cleaning up (SIGKILL, OOM, a crash of Node): see death-watch.ts.
   * The CLI turns it on; a library host (a test runner) may not want a process per registry.
   */
  enableDeathWatch(): void {
    if (this.deathWatch !== 'off') return;
    this.deathWatch = 'wanted';
    if (this.entries.length > 0) this.ensureWatchdog();
  }

  /** The watchdog's process, once started (for diagnostics and tests). */
  get watchdogProcess(): ProcessRef | undefined {
    return this.watchdog;
  }

  private ensureWatchdog(): void {
    if (this.deathWatch !== 'wanted' || this.watchdog) return;
    try {
      this.watchdog = startDeathWatch(this.runsDir, this.runId);
    } catch (err) {
      // The in-process cleanup and the next run's sweep still work; say so once and go on.
      this.deathWatch = 'failed';
      this.log(`faultbox: warning: no death watch for this run (${message(err)}); a SIGKILLed run is cleaned up by the next one`);
    }
  }

  /** Process groups still registered (for diagnostics and tests). */
  trackedGroups(): number[] {
    return this.entries.flatMap((e) => (e.kind === 'group' ? [e.pgid] : []));
  }

  get size(): number {
    return this.entries.length;
  }

  /** Disposes everything still registered, newest first. Never throws; failures are reported. */
  dispose(): Promise<CleanupReport> {
    this.disposing ??= this.disposeAll().finally(() => {
      this.disposing = undefined;
    });
    return this.disposing;
  }

  /** The last resort (exit handler, second signal): SIGKILL every group, delete temp dirs. */
  disposeSync(): void {
    let resourcesLeft = false;
    for (const entry of this.entries.splice(0).reverse()) {
      if (entry.kind === 'resource') resourcesLeft = true;
      try {
        if (entry.kind === 'group') signalGroup(entry.pgid, 'SIGKILL');
        else if (entry.kind === 'tempDir') rmSync(entry.path, { recursive: true, force: true });
        // Resources have no synchronous teardown: the death watch, seeing this process gone,
        // removes the containers labelled with this run (and the next run sweeps them too).
      } catch {
        // Best effort: the process is exiting.
      }
    }
    // With only processes and dirs, nothing is left for the watchdog: it goes now rather than
    // after the EOF this exit brings (a caller that checks at once finds nothing of the run).
    // Containers have no synchronous teardown, so then it stays to remove them.
    if (this.watchdog && !resourcesLeft) signalProcesses([this.watchdog], 'SIGKILL');
    this.watchdog = undefined;
    this.writeRecord();
  }

  /**
   * Signals and fatal errors dispose before exiting: SIGINT → 130, SIGTERM → 143, SIGHUP → 129,
   * uncaught exception / unhandled rejection → 3 (internal error). A second signal skips to
   * SIGKILL. Returns a function that removes the hooks.
   */
  installProcessHooks(): () => void {
    let exiting = false;
    const finish = (code: number): void => {
      if (exiting) {
        this.disposeSync();
        process.exit(code);
      }
      exiting = true;
      const limit = setTimeout(() => {
        this.log('faultbox: cleanup is taking too long; killing the remaining services');
        this.disposeSync();
        process.exit(code);
      }, SIGNAL_DISPOSE_LIMIT_MS);
      limit.unref();
      void this.dispose().then((report) => {
        for (const f of report.failures) this.log(`faultbox: cleanup of ${f.name} failed: ${f.error}`);
        process.exit(code);
      });
    };
    const onSignal = (signal: NodeJS.Signals): void => {
      if (!exiting) this.log(`faultbox: ${signal} received, stopping services`);
      finish(SIGNAL_EXIT[signal] ?? 1);
    };
    const onFatal = (err: unknown): void => {
      const stack = process.env.FAULTBOX_DEBUG === '1' && err instanceof Error ? `\n${err.stack ?? ''}` : '';
      this.log(`internal error: ${message(err)}${stack}${stack ? '' : '\n  (set FAULTBOX_DEBUG=1 for details)'}`);
      finish(3);
    };
    const onExit = (): void => this.disposeSync();
    const signals = Object.keys(SIGNAL_EXIT) as NodeJS.Signals[];
    for (const s of signals) process.on(s, onSignal);
    process.on('uncaughtException', onFatal);
    process.on('unhandledRejection', onFatal);
    process.on('exit', onExit);
    return () => {
      for (const s of signals) process.off(s, onSignal);
      process.off('uncaughtException', onFatal);
      process.off('unhandledRejection', onFatal);
      process.off('exit', onExit);
    };
  }

  private add(entry: Entry): Release {
    this.entries.push(entry);
    const watched = this.watchdog !== undefined;
    this.ensureWatchdog();
    if (entry.kind !== 'resource' || watched !== (this.watchdog !== undefined)) this.writeRecord();
    return () => {
      const at = this.entries.findIndex((e) => e.id === entry.id);
      if (at < 0) return;
      this.entries.splice(at, 1);
      if (entry.kind !== 'resource') this.writeRecord();
    };
  }

  private async disposeAll(): Promise<CleanupReport> {
    const failures: { name: string; error: string }[] = [];
    let disposed = 0;
    // Entries release themselves as they go (a stopped service untracks its group), so take the
    // newest remaining one each time rather than iterating a snapshot.
    for (let entry = this.entries.at(-1); entry; entry = this.entries.at(-1)) {
      this.entries.pop();
      try {
        if (entry.kind === 'group') {
          try {
            await entry.stop();
          } catch (err) {
            signalGroup(entry.pgid, 'SIGKILL');
            throw err;
          }
        } else if (entry.kind === 'tempDir') {
          rmSync(entry.path, { recursive: true, force: true });
        } else {
          await entry.dispose();
        }
        disposed += 1;
      } catch (err) {
        failures.push({ name: entry.kind === 'group' ? entry.label : entry.kind === 'tempDir' ? entry.path : entry.name, error: message(err) });
      }
      if (entry.kind !== 'resource') this.writeRecord();
    }
    return { disposed, failures };
  }

  /**
   * Keeps the on-disk record equal to the tracked groups and dirs, plus the watchdog while there
   * is one (so a sweep can end it); no record when none of those remain.
   */
  private writeRecord(): void {
    const groups = this.entries.flatMap((e) =>
      e.kind === 'group' ? [{ pgid: e.pgid, leaderStartTime: e.leaderStartTime, label: e.label }] : [],
    );
    const tempDirs = this.entries.flatMap((e) => (e.kind === 'tempDir' ? [e.path] : []));
    try {
      if (groups.length === 0 && tempDirs.length === 0 && !this.watchdog) {
        if (this.recorded) removeRunRecord(this.runsDir, this.runId);
        this.recorded = false;
        return;
      }
      writeRunRecord(this.runsDir, {
        runId: this.runId,
        pid: process.pid,
        pidStartTime: processStartTime(process.pid) ?? 0,
        startedAt: this.startedAt,
        groups,
        tempDirs,
        ...(this.watchdog ? { watchdog: this.watchdog } : {}),
      });
      this.recorded = true;
    } catch (err) {
      // Losing the crash record must not stop the run; the in-process cleanup still works.
      if (!this.recordWarned) {
        this.recordWarned = true;
        this.log(`faultbox: warning: could not write the run record in ${this.runsDir}: ${message(err)}`);
      }
    }
  }
}

let shared: CleanupRegistry | undefined;

/**
 * The process-wide registry the launchers use by default. It always SIGKILLs what is left when
 * the process exits normally; signals and uncaught errors need `installProcessHooks()`, which the
 * CLI calls once (a library must not take over those for its host, e.g. a test runner).
 */
export function processCleanup(): CleanupRegistry {
  if (!shared) {
    const registry = new CleanupRegistry();
    process.on('exit', () => registry.disposeSync());
    shared = registry;
  }
  return shared;
}
