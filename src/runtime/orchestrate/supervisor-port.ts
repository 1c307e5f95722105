// The part of the Supervisor the orchestrator uses: attach listeners, arm rules, drain events.
// Kept as an interface so orchestration can be tested without the kernel.
import type { FaultRule } from '../../spec/model.js';
import type { SyscallEvent } from '../../spec/events.js';
import type { RuleSink } from './rule-board.js';
import type { AttachOptions, CrashNotice, RollbackReport } from '../supervisor/supervisor.js';

export interface SupervisorPort extends RuleSink {
  attach(service: string, listenerFd: number, options?: AttachOptions): Promise<void>;
  detach(service: string, options?: { keepRules?: boolean }): Promise<void>;
  /** A crash rule fired on a service (its processes were killed): restart it. */
  onCrash(cb: (notice: CrashNotice) => void): void;
  rollback(service: string): Promise<RollbackReport>;
  setRules(service: string, rules: readonly FaultRule[], seed: number): Promise<void>;
  setRecording(service: string, on: boolean): Promise<void>;
  drainEvents(): Promise<SyscallEvent[]>;
  onLoopFailure(cb: (err: Error) => void): void;
  stop(): Promise<void>;
}
