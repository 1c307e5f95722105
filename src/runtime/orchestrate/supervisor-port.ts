// The part of the Supervisor the orchestrator uses: attach listeners, arm rules, drain events.
// Kept as an interface so orchestration can be tested without the kernel.
import type { FaultRule } from '../../spec/model.js';
import type { SyscallEvent } from '../../spec/events.js';
import type { RuleSink } from './rule-board.js';

export interface SupervisorPort extends RuleSink {
  attach(service: string, listenerFd: number): Promise<void>;
  detach(service: string): Promise<void>;
  setRules(service: string, rules: readonly FaultRule[], seed: number): Promise<void>;
  setRecording(service: string, on: boolean): Promise<void>;
  drainEvents(): Promise<SyscallEvent[]>;
  onLoopFailure(cb: (err: Error) => void): void;
  stop(): Promise<void>;
}
