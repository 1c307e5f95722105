// The events of one test (or one explorer case), in one sequence: lifecycle and step events
// from the main thread, syscall events drained from the supervisor.
import type { TraceEvent } from '../../spec/events.js';

type Unsequenced<E> = E extends TraceEvent ? Omit<E, 'seq' | 'tsMs'> & { tsMs?: number } : never;

export class EventLog {
  private events: TraceEvent[] = [];
  private startedAt = Date.now();

  reset(): void {
    this.events = [];
    this.startedAt = Date.now();
  }

  /** Milliseconds since the current test started. */
  now(): number {
    return Date.now() - this.startedAt;
  }

  add(event: Unsequenced<TraceEvent>): void {
    this.events.push({ ...event, seq: this.events.length + 1, tsMs: event.tsMs ?? this.now() } as TraceEvent);
  }

  /** Syscall events keep their relative order; seq is reassigned in arrival order. */
  addAll(events: readonly TraceEvent[]): void {
    for (const e of events) this.events.push({ ...e, seq: this.events.length + 1 });
  }

  all(): readonly TraceEvent[] {
    return this.events;
  }
}
