// Messages between the Supervisor (main thread) and its notification-loop worker. Requests carry
// an id and get exactly one reply; the worker also sends unsolicited event batches and failures.
import type { FaultRule } from '../../spec/model.js';
import type { RuleCounters } from './armed-rules.js';
import type { EventBatch } from './event-columns.js';
import type { LoopStats } from './notification-loop.js';
import type { AttachOptions, CrashNotice } from './crash-action.js';
import type { RollbackReport } from './undo-log.js';

export interface WorkerInit {
  readonly port: import('node:worker_threads').MessagePort;
  readonly wakeFd: number;
  /** Int32Array over a SharedArrayBuffer; [0] = 1 asks the loop to quit at once (process exit). */
  readonly control: SharedArrayBuffer;
  readonly originEpochMs: number;
}

export type Request =
  | { readonly op: 'attach'; readonly service: string; readonly fd: number; readonly options: AttachOptions }
  | { readonly op: 'setRules'; readonly service: string; readonly rules: readonly FaultRule[]; readonly seed: number; readonly keepCounters: boolean }
  | { readonly op: 'disarm'; readonly service: string }
  | { readonly op: 'setRecording'; readonly service: string; readonly on: boolean }
  | { readonly op: 'detach'; readonly service: string; readonly keepRules: boolean }
  | { readonly op: 'rollback'; readonly service: string }
  | { readonly op: 'drain' }
  | { readonly op: 'counters' }
  | { readonly op: 'stats' }
  | { readonly op: 'setTimeOrigin'; readonly epochMs: number }
  | { readonly op: 'stop' };

export interface RequestEnvelope {
  readonly id: number;
  readonly request: Request;
}

export type ReplyValue = void | EventBatch | Record<string, RuleCounters> | LoopStats | RollbackReport;

export type WorkerMessage =
  | { readonly kind: 'ready' }
  | { readonly kind: 'reply'; readonly id: number; readonly ok: true; readonly value: ReplyValue }
  | { readonly kind: 'reply'; readonly id: number; readonly ok: false; readonly error: string }
  | { readonly kind: 'batch'; readonly batch: EventBatch }
  | { readonly kind: 'listener-failed'; readonly service: string; readonly message: string }
  /** A crash rule fired: the service's processes were sent SIGKILL before the call ran. */
  | { readonly kind: 'crashed'; readonly notice: CrashNotice }
  /** The loop itself died; no further replies will come. */
  | { readonly kind: 'loop-failed'; readonly message: string };
