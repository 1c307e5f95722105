// Messages between the main thread (runtime) and the spec worker (Starlark evaluation).
// Test bodies run in the worker so a long step or a runaway loop never freezes the main
// thread; the worker reaches the runtime through synchronous host calls (see host-bridge.ts).
import type { FaultRule, SpecModel } from '../../spec/model.js';
import type { LifecycleRequest, LiveAddress, StepRequest } from '../../spec/host.js';
import type { TestOutcome } from '../../spec/outcome.js';

/** main → worker */
export type WorkerCommand =
  | { readonly id: number; readonly op: 'load'; readonly file: string }
  | { readonly id: number; readonly op: 'run-test'; readonly name: string; readonly addresses: AddressBook }
  | { readonly id: number; readonly op: 'run-scenario'; readonly name: string; readonly addresses: AddressBook };

/** worker → main, answering a command */
export type WorkerReply =
  | { readonly id: number; readonly ok: true; readonly model?: SpecModel; readonly outcome?: TestOutcome }
  | { readonly id: number; readonly ok: false; readonly error: SerializedError };

export interface SerializedError {
  readonly kind: 'SpecError' | 'InfraError' | 'UsageError' | 'InternalError';
  readonly message: string;
  readonly stack?: string;
}

/** service → interface → address steps use */
export type AddressBook = Readonly<Record<string, Readonly<Record<string, LiveAddress>>>>;

/** worker → main host calls (synchronous for the worker) */
export type HostCall =
  | { readonly op: 'step'; readonly req: StepRequest }
  | { readonly op: 'lifecycle'; readonly req: LifecycleRequest }
  | { readonly op: 'apply-rules'; readonly rules: readonly FaultRule[] }
  | { readonly op: 'remove-rules'; readonly scope: number }
  | { readonly op: 'events' }
  | { readonly op: 'print'; readonly line: string }
  | { readonly op: 'sleep'; readonly ms: number };

export type HostAnswer = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly message: string };
