// Binary-mode services: each runs in its own process group (so a stop reaches every process it
// forked), writes to a log file, reports its exit, and stops with SIGTERM then SIGKILL. Seccomp is
// not this module's business: a caller that traps a service passes `wrap` (prefix the shim) and
// `beforeReady` (finish the shim handshake).
import { spawn } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import { constants as osConstants } from 'node:os';
import { InfraError } from '../../errors.js';
import { processCleanup, type CleanupRegistry, type Release } from './cleanup.js';
import { ServiceLog } from './logs.js';
import {
  descendants,
  groupIsOurs,
  groupMembers,
  processStartTime,
  signalGroup,
  signalProcesses,
  stillAlive,
  waitGroupGone,
} from './process-group.js';

export const DEFAULT_STOP_GRACE_MS = 2000;
/** After SIGKILL the kernel needs only moments; longer means a process stuck in the kernel. */
const KILL_WAIT_MS = 5000;

export interface ProcessExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** Shell-style: the exit code, or 128 + the signal number. */
  readonly status: number;
  /** True when the exit followed our stop(); false for a crash or a voluntary exit. */
  readonly requested: boolean;
}

export interface StopResult {
  readonly exit: ProcessExit;
  /** SIGTERM was not enough within the grace period. */
  readonly killed: boolean;
}

export interface WrappedCommand {
  readonly program: string;
  readonly args: readonly string[];
}

/** Turns the target command into the command actually spawned (e.g. the seccomp shim + target). */
export type CommandWrapper = (program: string, args: readonly string[]) => WrappedCommand;

export interface LaunchRequest {
  readonly service: string;
  /** As declared: absolute, relative to baseDir (contains a '/'), or a bare name looked up on PATH. */
  readonly binary: string;
  /** The directory of the spec that declared the service. */
  readonly baseDir: string;
  readonly args?: readonly string[];
  /** Added to (and overriding) faultbox's own environment. */
  readonly env?: Readonly<Record<string, string>>;
  /** Defaults to baseDir. */
  readonly cwd?: string;
  /** Run as another user (e.g. PostgreSQL refuses to run as root). */
  readonly runAs?: { readonly uid: number; readonly gid: number };
  readonly wrap?: CommandWrapper;
  /** Runs after spawn, before start() resolves; a rejection (or an exit meanwhile) fails the start. */
  readonly beforeReady?: (proc: ServiceProcess) => Promise<void>;
  /** What stop() sends first (default SIGTERM; PostgreSQL shuts down fastest on SIGINT). */
  readonly stopSignal?: NodeJS.Signals;
  /** Called once when the service's main process exits, whatever the cause. */
  readonly onExit?: (exit: ProcessExit, proc: ServiceProcess) => void;
}

export interface ProcessLauncherOptions {
  /** Where `<service>.log` files go (the run's temp dir). */
  readonly logDir: string;
  readonly cleanup?: CleanupRegistry;
  readonly stopGraceMs?: number;
}

function describeExit(exit: ProcessExit): string {
  return exit.signal ? `killed by ${exit.signal}` : `exited with code ${exit.code}`;
}

function withLogTail(text: string, proc: ServiceProcess): string {
  const tail = proc.logTail(20);
  return tail ? `${text}\n  last output (${proc.log.path}):\n${tail.replace(/^/gm, '    ')}` : `${text} (no output in ${proc.log.path})`;
}

function fileProblem(path: string): string | undefined {
  let stat;
  try {
    stat = statSync(path);
  } catch {
    return 'not found';
  }
  if (stat.isDirectory()) return 'is a directory';
  try {
    accessSync(path, constants.X_OK);
  } catch {
    return `is not executable (mode ${(stat.mode & 0o777).toString(8)})`;
  }
  return undefined;
}

/** The absolute path of a service binary, or an InfraError naming the service and the path. */
export function resolveBinary(service: string, binary: string, baseDir: string): string {
  const where = `service "${service}": binary "${binary}"`;
  if (binary.includes('/')) {
    const path = isAbsolute(binary) ? binary : resolve(baseDir, binary);
    const problem = fileProblem(path);
    if (problem) {
      throw new InfraError(
        `${where} ${problem}${path !== binary ? ` (resolved to ${path})` : ''}`,
        isAbsolute(binary) ? 'build it or fix the path' : `relative paths resolve against the spec's directory ${baseDir}`,
      );
    }
    return path;
  }
  const candidates = [...(process.env.PATH ?? '').split(delimiter).filter(Boolean).map((d) => join(d, binary)), join(baseDir, binary)];
  for (const path of candidates) {
    if (fileProblem(path) === undefined) return path;
  }
  throw new InfraError(
    `${where} not found on PATH or in ${baseDir}`,
    'install it, or give a path (relative paths resolve against the spec\'s directory)',
  );
}

export class ServiceProcess {
  readonly exited: Promise<ProcessExit>;
  private exitInfo: ProcessExit | undefined;
  private stopRequested = false;
  private stopping: Promise<StopResult> | undefined;
  private release: Release = () => {};
  /** Identifies our group leader across pid reuse (-1: it exited before we could look). */
  private readonly leaderStartTime: number;

  constructor(
    readonly service: string,
    readonly pid: number,
    /** The resolved target binary (not the shim, when wrapped). */
    readonly program: string,
    /** What was actually spawned. */
    readonly command: WrappedCommand,
    readonly log: ServiceLog,
    private readonly graceMs: number,
    private readonly stopSignal: NodeJS.Signals,
    exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>,
    onExit: ((exit: ProcessExit, proc: ServiceProcess) => void) | undefined,
  ) {
    this.leaderStartTime = processStartTime(pid) ?? -1;
    this.exited = exited.then(({ code, signal }) => {
      const signum = signal ? (osConstants.signals[signal] ?? 0) : 0;
      const exit: ProcessExit = { code, signal, status: signal ? 128 + signum : (code ?? 0), requested: this.stopRequested };
      this.exitInfo = exit;
      onExit?.(exit, this);
      return exit;
    });
  }

  /** The group id: the service was made a session and group leader at spawn. */
  get pgid(): number {
    return this.pid;
  }

  /** False once the main process has exited (other group members may linger until stop()). */
  isAlive(): boolean {
    return this.exitInfo === undefined;
  }

  get exit(): ProcessExit | undefined {
    return this.exitInfo;
  }

  logTail(maxLines?: number): string {
    return this.log.tail(maxLines);
  }

  /** @internal the launcher hands over the cleanup registration. */
  attachRelease(release: Release): void {
    this.release = release;
  }

  /**
   * SIGTERM (or the request's stopSignal) to the whole group, SIGKILL after the grace period;
   * resolves when no process of the group, nor any descendant that left it, is alive. Safe to call
   * more than once and after a crash (stragglers still in the group are killed).
   */
  stop(graceMs = this.graceMs): Promise<StopResult> {
    this.stopping ??= this.stopGroup(graceMs, this.stopSignal);
    return this.stopping;
  }

  /**
   * Sends `sig` to every process of the service (its group and descendants that left it). A
   * SIGKILL is a stop without grace: it resolves once all of them are gone, like stop().
   */
  async kill(sig: NodeJS.Signals): Promise<void> {
    if (sig === 'SIGKILL') {
      this.stopping ??= this.stopGroup(0, 'SIGKILL');
      await this.stopping;
      return;
    }
    const tree = processStartTime(this.pid) === this.leaderStartTime ? descendants(this.pid) : [];
    this.signal(sig);
    signalProcesses(tree, sig);
  }

  /** Signals the group unless its id has passed to a newer process since our leader exited. */
  private signal(sig: NodeJS.Signals): void {
    if (groupIsOurs(this.pgid, this.leaderStartTime)) signalGroup(this.pgid, sig);
  }

  private async stopGroup(graceMs: number, first: NodeJS.Signals): Promise<StopResult> {
    try {
      if (this.exitInfo === undefined) this.stopRequested = true;
      // Children that left the group (setsid) are only reachable through parent links, and only
      // while their parent lives: take the snapshot before signalling.
      const leaderAlive = processStartTime(this.pid) === this.leaderStartTime;
      const tree = leaderAlive ? descendants(this.pid) : [];
      this.signal(first);
      if (first === 'SIGKILL') signalProcesses(tree, 'SIGKILL');
      const deadline = Date.now() + graceMs;
      const leaderGone = await Promise.race([
        this.exited.then(() => true),
        new Promise<false>((r) => setTimeout(() => r(false), graceMs).unref()),
      ]);
      const allGone =
        leaderGone && (await waitGroupGone(this.pgid, Math.max(0, deadline - Date.now()), tree, this.leaderStartTime));
      let killed = false;
      if (!allGone) {
        killed = true;
        this.signal('SIGKILL');
        signalProcesses(tree, 'SIGKILL');
        const reaped = await Promise.race([
          this.exited.then(() => true),
          new Promise<false>((r) => setTimeout(() => r(false), KILL_WAIT_MS).unref()),
        ]);
        if (!reaped || !(await waitGroupGone(this.pgid, KILL_WAIT_MS, tree, this.leaderStartTime))) {
          const left = [...new Set([...groupMembers(this.pgid), ...stillAlive(tree).map((r) => r.pid)])];
          throw new InfraError(
            `service "${this.service}": processes ${left.join(', ') || this.pid} still alive after SIGKILL`,
            `a process stuck in uninterruptible sleep (D state); check \`ps -o pid,stat,wchan -p ${left.join(',') || this.pid}\``,
          );
        }
      }
      return { exit: await this.exited, killed };
    } finally {
      this.release();
      this.log.close();
    }
  }
}

export class ProcessLauncher {
  private readonly logDir: string;
  private readonly cleanup: CleanupRegistry;
  private readonly stopGraceMs: number;

  constructor(options: ProcessLauncherOptions) {
    this.logDir = options.logDir;
    this.cleanup = options.cleanup ?? processCleanup();
    this.stopGraceMs = options.stopGraceMs ?? DEFAULT_STOP_GRACE_MS;
  }

  /** Spawns the service; resolves once it runs (and `beforeReady` has completed). */
  async start(req: LaunchRequest): Promise<ServiceProcess> {
    await this.cleanup.sweepLeftovers();
    const program = resolveBinary(req.service, req.binary, req.baseDir);
    const args = req.args ?? [];
    const command = req.wrap ? req.wrap(program, args) : { program, args };
    const log = ServiceLog.open(this.logDir, req.service);

    const child = spawn(command.program, [...command.args], {
      cwd: req.cwd ?? req.baseDir,
      env: { ...process.env, ...req.env },
      // A new session: the service leads its own process group and gets no terminal signals.
      detached: true,
      stdio: ['ignore', log.writeFd, log.writeFd],
      uid: req.runAs?.uid,
      gid: req.runAs?.gid,
    });
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolveExit) => {
      child.once('exit', (code, signal) => resolveExit({ code, signal }));
    });
    try {
      await new Promise<void>((ok, fail) => {
        child.once('spawn', ok);
        child.once('error', fail);
      });
    } catch (err) {
      log.close();
      const code = (err as NodeJS.ErrnoException).code;
      const hint =
        code === 'ENOENT' && fileProblem(command.program) === undefined
          ? `the file exists, so its #! interpreter (or the working directory ${req.cwd ?? req.baseDir}) is missing`
          : req.runAs
            ? `it runs as uid ${req.runAs.uid}; check that this user can execute it and enter ${req.cwd ?? req.baseDir}`
            : undefined;
      throw new InfraError(`service "${req.service}": could not start ${command.program}: ${(err as Error).message}`, hint);
    }
    child.on('error', () => {}); // later errors (a failed kill) surface through stop()
    // The child handle stays referenced: while a service runs (or is being stopped), the event
    // loop must not run dry and end faultbox with the stop half done.

    const proc = new ServiceProcess(req.service, child.pid!, program, command, log, this.stopGraceMs, req.stopSignal ?? 'SIGTERM', exited, req.onExit);
    proc.attachRelease(
      this.cleanup.trackGroup(proc.pgid, `service ${req.service} (pgid ${proc.pgid})`, async () => {
        await proc.stop();
      }),
    );

    if (req.beforeReady) {
      try {
        await Promise.race([
          req.beforeReady(proc),
          proc.exited.then((exit) => {
            throw new Error(`the process ${describeExit(exit)}`);
          }),
        ]);
      } catch (err) {
        await proc.stop().catch(() => undefined);
        throw new InfraError(withLogTail(`service "${req.service}": start-up handshake failed: ${(err as Error).message}`, proc));
      }
    }
    return proc;
  }
}

/** A one-line description of how a service ended plus its last output, for failure reports. */
export function describeServiceExit(proc: ServiceProcess, exit: ProcessExit): string {
  return withLogTail(`service "${proc.service}" ${describeExit(exit)}`, proc);
}
