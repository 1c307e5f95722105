// What the orchestrator needs from a started service, whatever launched it (process or container).
import type { LiveAddress } from '../../spec/host.js';
import type { ServiceDecl } from '../../spec/model.js';
import type { SyscallName } from '../../spec/syscall-families.js';

export interface RunningService {
  readonly decl: ServiceDecl;
  /** interface name → where the host reaches it */
  readonly addresses: Readonly<Record<string, LiveAddress>>;
  /** True when the service runs under the shim with a seccomp filter. */
  readonly filtered: boolean;
  /** The backend already waited for readiness its own way (containers: through the bridge, not the port proxy). */
  readonly readyChecked?: boolean;
  /**
   * Waits until it passes its readiness check again (a reused service before the next test);
   * rejects when it does not. Backends that check readiness their own way provide it.
   */
  checkReady?(): Promise<void>;
  isAlive(): boolean;
  /**
   * True when the service's main process has begun exiting but isAlive() has not caught up yet
   * (the exit is still being delivered). Backends that cannot tell leave it out.
   */
  exitInProgress?(): boolean;
  /** How it exited (for crash reports); empty while alive. */
  describeExit(): string;
  logTail(maxLines?: number): string;
  /** Ends it for good (a container is removed); its supervision and rules go with it. */
  stop(): Promise<void>;
  /**
   * Ends its processes — gracefully (the stop signal, SIGKILL after the grace period) or with
   * SIGKILL at once — but keeps what a restart needs: the supervisor keeps its rules and their
   * counters, a container stays (stopped) with its file system and volumes.
   */
  halt(how: 'graceful' | 'kill'): Promise<void>;
  /** Sends a signal to every process of the service (SIGKILL: resolves once they are all gone). */
  signal(sig: NodeJS.Signals): Promise<void>;
}

export interface StartContext {
  /** Syscalls the filter must trap; empty = start without shim and filter. */
  readonly trapped: readonly SyscallName[];
  /** A scratch directory for this service instance, removed after it stops. */
  readonly scratchDir: string;
  /** A restart within a test: the halted instance whose state (container, volumes) it takes over. */
  readonly resume?: RunningService;
  /** Keep an undo log of its file changes from launch on (crash(lose_unsynced=True)). */
  readonly undoLog?: boolean;
  /** Called once if the service exits without being asked to. */
  readonly onUnexpectedExit: (description: string) => void;
}

export interface ServiceBackend {
  /** What every start of this service needs, done once before the first test (a container's image). */
  prepare?(decl: ServiceDecl): Promise<void>;
  start(decl: ServiceDecl, ctx: StartContext): Promise<RunningService>;
  /** Called once at the end of the run (networks, clients). */
  close(): Promise<void>;
}
