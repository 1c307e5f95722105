// Syscall events as the worker records them: fixed-size columns filled in place (no object per
// notification), shipped to the main thread as one batch, and turned into SyscallEvent objects
// there.
import { ERRNOS, type ErrnoName } from '../../spec/errno.js';
import type { SyscallEvent } from '../../spec/events.js';
import { syscallName } from '../kernel/syscall-table.js';
import { DECISION_NAMES } from './armed-rules.js';

/** One shipment of events, structured-clone friendly. */
export interface EventBatch {
  readonly count: number;
  readonly seq: Float64Array;
  readonly tsMs: Float64Array;
  readonly pid: Int32Array;
  readonly nr: Int32Array;
  readonly decision: Uint8Array;
  /** Positive errno, 0 when none. */
  readonly errno: Int32Array;
  readonly delayMs: Float64Array;
  readonly service: readonly string[];
  readonly path: readonly (string | undefined)[];
  readonly peer: readonly (string | undefined)[];
  readonly ruleId: readonly (string | undefined)[];
  readonly label: readonly (string | undefined)[];
}

export class EventColumns {
  count = 0;
  private seq: Float64Array;
  private tsMs: Float64Array;
  private pid: Int32Array;
  private nr: Int32Array;
  private decision: Uint8Array;
  private errno: Int32Array;
  private delayMs: Float64Array;
  private service: string[];
  private path: (string | undefined)[];
  private peer: (string | undefined)[];
  private ruleId: (string | undefined)[];
  private label: (string | undefined)[];

  constructor(readonly capacity: number) {
    this.seq = new Float64Array(capacity);
    this.tsMs = new Float64Array(capacity);
    this.pid = new Int32Array(capacity);
    this.nr = new Int32Array(capacity);
    this.decision = new Uint8Array(capacity);
    this.errno = new Int32Array(capacity);
    this.delayMs = new Float64Array(capacity);
    this.service = new Array<string>(capacity).fill('');
    this.path = new Array<string | undefined>(capacity).fill(undefined);
    this.peer = new Array<string | undefined>(capacity).fill(undefined);
    this.ruleId = new Array<string | undefined>(capacity).fill(undefined);
    this.label = new Array<string | undefined>(capacity).fill(undefined);
  }

  get full(): boolean {
    return this.count === this.capacity;
  }

  push(
    seq: number, tsMs: number, service: string, pid: number, nr: number, decision: number, errno: number,
    delayMs: number, path: string | undefined, peer: string | undefined, ruleId: string | undefined, label: string | undefined,
  ): void {
    const i = this.count++;
    this.seq[i] = seq;
    this.tsMs[i] = tsMs;
    this.service[i] = service;
    this.pid[i] = pid;
    this.nr[i] = nr;
    this.decision[i] = decision;
    this.errno[i] = errno;
    this.delayMs[i] = delayMs;
    this.path[i] = path;
    this.peer[i] = peer;
    this.ruleId[i] = ruleId;
    this.label[i] = label;
  }

  /** The recorded events as a batch; the columns start over empty. */
  take(): EventBatch {
    const n = this.count;
    const batch: EventBatch = {
      count: n,
      seq: this.seq.slice(0, n),
      tsMs: this.tsMs.slice(0, n),
      pid: this.pid.slice(0, n),
      nr: this.nr.slice(0, n),
      decision: this.decision.slice(0, n),
      errno: this.errno.slice(0, n),
      delayMs: this.delayMs.slice(0, n),
      service: this.service.slice(0, n),
      path: this.path.slice(0, n),
      peer: this.peer.slice(0, n),
      ruleId: this.ruleId.slice(0, n),
      label: this.label.slice(0, n),
    };
    this.path.fill(undefined, 0, n);
    this.peer.fill(undefined, 0, n);
    this.count = 0;
    return batch;
  }
}

const ERRNO_BY_NUMBER = new Map<number, ErrnoName>(
  (Object.entries(ERRNOS) as [ErrnoName, { number: number }][]).map(([name, e]) => [e.number, name]),
);

/** Turns a batch into events, in recording order. */
export function decodeBatch(batch: EventBatch, out: SyscallEvent[]): void {
  for (let i = 0; i < batch.count; i++) {
    const syscall = syscallName(batch.nr[i]!);
    if (syscall === undefined) continue; // a trapped number outside the table (benchmarks)
    const decision = DECISION_NAMES[batch.decision[i]!]!;
    const errno = batch.errno[i] ? ERRNO_BY_NUMBER.get(batch.errno[i]!) : undefined;
    const ev: { -readonly [K in keyof SyscallEvent]: SyscallEvent[K] } = {
      type: 'syscall',
      seq: batch.seq[i]!,
      tsMs: batch.tsMs[i]!,
      service: batch.service[i]!,
      pid: batch.pid[i]!,
      syscall,
      decision,
    };
    if (errno !== undefined) ev.errno = errno;
    if (decision === 'delay') ev.delayMs = batch.delayMs[i]!;
    if (batch.path[i] !== undefined) ev.path = batch.path[i];
    if (batch.peer[i] !== undefined) ev.peer = batch.peer[i];
    if (batch.ruleId[i] !== undefined) ev.ruleId = batch.ruleId[i];
    if (batch.label[i] !== undefined) ev.label = batch.label[i];
    out.push(ev);
  }
}
