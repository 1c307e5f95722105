// Syscall events as the worker records them: fixed-size columns filled in place (no object per
// notification), strings interned to numbers, and each full set of columns handed to the main
// thread whole (transferred, not copied). The main thread turns them into SyscallEvent objects
// only when drained.
import { ERRNOS, type ErrnoName } from '../../spec/errno.js';
import type { SyscallEvent } from '../../spec/events.js';
import { syscallName } from '../kernel/syscall-table.js';
import { DECISION_NAMES } from './armed-rules.js';

/** One shipment of events. String columns hold indexes into the shared string table (-1 = none). */
export interface EventBatch {
  readonly count: number;
  /** Strings interned since the previous batch; they take the next indexes of the table. */
  readonly newStrings: readonly string[];
  readonly seq: Float64Array;
  readonly tsMs: Float64Array;
  readonly pid: Int32Array;
  readonly nr: Int32Array;
  readonly decision: Uint8Array;
  /** Positive errno, 0 when none. */
  readonly errno: Int32Array;
  readonly delayMs: Float64Array;
  readonly service: Int32Array;
  readonly path: Int32Array;
  readonly peer: Int32Array;
  readonly ruleId: Int32Array;
  readonly label: Int32Array;
  /** 1 when the call's descriptor was in non-blocking mode (known only for events with a resolved target). */
  readonly nonblocking: Uint8Array;
}

type Columns = Omit<EventBatch, 'count' | 'newStrings'>;

function allocate(capacity: number): Columns {
  return {
    seq: new Float64Array(capacity),
    tsMs: new Float64Array(capacity),
    pid: new Int32Array(capacity),
    nr: new Int32Array(capacity),
    decision: new Uint8Array(capacity),
    errno: new Int32Array(capacity),
    delayMs: new Float64Array(capacity),
    service: new Int32Array(capacity),
    path: new Int32Array(capacity),
    peer: new Int32Array(capacity),
    ruleId: new Int32Array(capacity),
    label: new Int32Array(capacity),
    nonblocking: new Uint8Array(capacity),
  };
}

export class EventColumns {
  count = 0;
  private cols: Columns;
  private readonly interned = new Map<string, number>();
  private newStrings: string[] = [];

  constructor(readonly capacity: number) {
    this.cols = allocate(capacity);
  }

  get full(): boolean {
    return this.count === this.capacity;
  }

  push(
    seq: number, tsMs: number, service: string, pid: number, nr: number, decision: number, errno: number,
    delayMs: number, path: string | undefined, peer: string | undefined, ruleId: string | undefined, label: string | undefined,
    nonblocking = false,
  ): void {
    const c = this.cols;
    const i = this.count++;
    c.seq[i] = seq;
    c.tsMs[i] = tsMs;
    c.pid[i] = pid;
    c.nr[i] = nr;
    c.decision[i] = decision;
    c.errno[i] = errno;
    c.delayMs[i] = delayMs;
    c.service[i] = this.intern(service);
    c.path[i] = path === undefined ? -1 : this.intern(path);
    c.peer[i] = peer === undefined ? -1 : this.intern(peer);
    c.ruleId[i] = ruleId === undefined ? -1 : this.intern(ruleId);
    c.label[i] = label === undefined ? -1 : this.intern(label);
    c.nonblocking[i] = nonblocking ? 1 : 0;
  }

  /** The recorded events; the columns start over empty. Transfer `buffers(batch)` when posting. */
  take(): EventBatch {
    // Frequent drains of nothing should not churn 1024-slot columns.
    if (this.count === 0 && this.newStrings.length === 0) return { count: 0, newStrings: [], ...allocate(0) };
    const batch: EventBatch = { count: this.count, newStrings: this.newStrings, ...this.cols };
    this.cols = allocate(this.capacity);
    this.newStrings = [];
    this.count = 0;
    return batch;
  }

  private intern(s: string): number {
    let ref = this.interned.get(s);
    if (ref === undefined) {
      ref = this.interned.size;
      this.interned.set(s, ref);
      this.newStrings.push(s);
    }
    return ref;
  }
}

/** The ArrayBuffers of a batch, for postMessage's transfer list. */
export function batchBuffers(b: EventBatch): ArrayBuffer[] {
  return [b.seq, b.tsMs, b.pid, b.nr, b.decision, b.errno, b.delayMs, b.service, b.path, b.peer, b.ruleId, b.label, b.nonblocking]
    .map((a) => a.buffer as ArrayBuffer);
}

const ERRNO_BY_NUMBER = new Map<number, ErrnoName>(
  (Object.entries(ERRNOS) as [ErrnoName, { number: number }][]).map(([name, e]) => [e.number, name]),
);

/**
 * Turns batches into events, in recording order. Batches must be decoded in the order they were
 * taken, each exactly once, with one `strings` table: it grows by each batch's new strings.
 */
export function decodeBatch(batch: EventBatch, strings: string[], out: SyscallEvent[]): void {
  for (const s of batch.newStrings) strings.push(s);
  const str = (ref: number) => (ref < 0 ? undefined : strings[ref]);
  for (let i = 0; i < batch.count; i++) {
    const syscall = syscallName(batch.nr[i]!);
    if (syscall === undefined) continue; // a trapped number outside the table (benchmarks)
    const decision = DECISION_NAMES[batch.decision[i]!]!;
    const errno = batch.errno[i] ? ERRNO_BY_NUMBER.get(batch.errno[i]!) : undefined;
    const ev: { -readonly [K in keyof SyscallEvent]: SyscallEvent[K] } = {
      type: 'syscall',
      seq: batch.seq[i]!,
      tsMs: batch.tsMs[i]!,
      service: str(batch.service[i]!)!,
      pid: batch.pid[i]!,
      syscall,
      decision,
    };
    if (errno !== undefined) ev.errno = errno;
    if (decision === 'delay') ev.delayMs = batch.delayMs[i]!;
    const path = str(batch.path[i]!);
    const peer = str(batch.peer[i]!);
    const ruleId = str(batch.ruleId[i]!);
    const label = str(batch.label[i]!);
    if (path !== undefined) ev.path = path;
    if (peer !== undefined) ev.peer = peer;
    if (ruleId !== undefined) ev.ruleId = ruleId;
    if (label !== undefined) ev.label = label;
    if (batch.nonblocking[i] === 1) ev.nonblocking = true;
    out.push(ev);
  }
}
