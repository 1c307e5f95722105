// A TestHost with no runtime behind it: it records every call in order and answers steps with
// canned responses. Used by the spec layer's tests and by anything that wants to run a body
// without services (a dry run); scopes stack as the real runtime's do.
import type { LifecycleRequest, LiveAddress, StepRequest, StepResponse, TestHost } from './host.js';
import type { FaultRule } from './model.js';
import type { TraceEvent } from './events.js';
import { InfraError } from '../errors.js';

export type HostCallRecord =
  | { readonly op: 'step'; readonly req: StepRequest }
  | { readonly op: 'lifecycle'; readonly req: LifecycleRequest }
  | { readonly op: 'apply'; readonly scope: number; readonly rules: readonly FaultRule[] }
  | { readonly op: 'remove'; readonly scope: number }
  | { readonly op: 'events' }
  | { readonly op: 'print'; readonly line: string }
  | { readonly op: 'sleep'; readonly ms: number };

export const OK_RESPONSE: StepResponse = { status: 200, body: '', data: undefined, ok: true, error: '', durationMs: 1 };

export class RecordingHost implements TestHost {
  readonly calls: HostCallRecord[] = [];
  /** Scopes applied and not yet removed, in order. */
  readonly active = new Map<number, readonly FaultRule[]>();
  private nextScope = 1;

  constructor(
    private readonly answer: (req: StepRequest) => StepResponse = () => OK_RESPONSE,
    public recorded: readonly TraceEvent[] = [],
    private readonly addresses: Readonly<Record<string, LiveAddress>> = {},
  ) {}

  step(req: StepRequest): StepResponse {
    this.calls.push({ op: 'step', req });
    return this.answer(req);
  }
  lifecycle(req: LifecycleRequest): StepResponse {
    this.calls.push({ op: 'lifecycle', req });
    return { ...OK_RESPONSE, status: 0 };
  }
  applyRules(rules: readonly FaultRule[]): number {
    const scope = this.nextScope++;
    this.active.set(scope, rules);
    this.calls.push({ op: 'apply', scope, rules });
    return scope;
  }
  removeRules(scope: number): void {
    this.active.delete(scope);
    this.calls.push({ op: 'remove', scope });
  }
  events(): readonly TraceEvent[] {
    this.calls.push({ op: 'events' });
    return this.recorded;
  }
  /** Addresses are keyed `service.iface`; like the real bridge, an unknown one is an infrastructure error. */
  addressOf(service: string, iface: string): LiveAddress {
    const a = this.addresses[`${service}.${iface}`];
    if (!a) throw new InfraError(`no live address for ${service}.${iface} (is the service running?)`);
    return a;
  }
  print(line: string): void {
    this.calls.push({ op: 'print', line });
  }
  sleep(ms: number): void {
    this.calls.push({ op: 'sleep', ms });
  }

  /** The calls of one kind, for terse assertions. */
  ops(): string[] {
    return this.calls.map((c) => (c.op === 'apply' || c.op === 'remove' ? `${c.op}#${c.scope}` : c.op === 'step' ? `step ${c.req.service}.${c.req.method}` : c.op === 'lifecycle' ? `${c.req.action} ${c.req.service}` : c.op));
  }
}
