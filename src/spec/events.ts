// Trace events as the runtime records them and the spec's assertions query them.
import type { ErrnoName } from './errno.js';
import type { SyscallName } from './syscall-families.js';

interface EventBase {
  /** Per test, strictly increasing in the order the runtime observed the events. */
  readonly seq: number;
  /** Milliseconds since the test (or campaign case) started. */
  readonly tsMs: number;
  readonly service: string;
}

export type SyscallDecision = 'allow' | 'trace' | 'deny' | 'delay' | 'crash';

export interface SyscallEvent extends EventBase {
  readonly type: 'syscall';
  readonly pid: number;
  readonly syscall: SyscallName;
  readonly decision: SyscallDecision;
  readonly errno?: ErrnoName;
  readonly delayMs?: number;
  /** File path (path argument, or the fd's resolved path: `/var/lib/...`, `socket:[123]`, `pipe:[9]`). */
  readonly path?: string;
  /** Socket peer for connect/sendto: `127.0.0.1:5432`, `[::1]:6379`, `unix:/run/x.sock`. */
  readonly peer?: string;
  readonly label?: string;
  /**
   * The call's descriptor was in non-blocking mode (O_NONBLOCK). Known where the target was
   * resolved (recording, or a rule fired); absent means blocking or not known.
   */
  readonly nonblocking?: boolean;
  /** The rule that decided (for deny/delay/trace). */
  readonly ruleId?: string;
}

export interface LifecycleEvent extends EventBase {
  readonly type: 'lifecycle';
  /** killed/signalled: a lifecycle step or crash sent a signal; rolled-back: unsynced writes were lost. */
  readonly phase: 'started' | 'ready' | 'exited' | 'stopped' | 'restarted' | 'killed' | 'signalled' | 'rolled-back';
  readonly detail?: string;
}

export interface StepEvent extends EventBase {
  readonly type: 'step';
  readonly iface: string;
  readonly method: string;
  readonly target: string;
  readonly status: number;
  readonly ok: boolean;
  readonly durationMs: number;
  readonly error?: string;
}

export interface FaultScopeEvent extends EventBase {
  readonly type: 'fault_applied' | 'fault_removed';
  readonly ruleIds: readonly string[];
  readonly summary: string;
}

export type TraceEvent = SyscallEvent | LifecycleEvent | StepEvent | FaultScopeEvent;
