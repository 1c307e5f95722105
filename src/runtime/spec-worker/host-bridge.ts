// Worker side of the host calls: turns the runtime's asynchronous answers into synchronous
// calls for Starlark. The worker posts the call, then sleeps on a shared flag until the main
// thread has posted the answer and flipped the flag.
import { receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import type { LifecycleRequest, LiveAddress, StepRequest, StepResponse, TestHost } from '../../spec/host.js';
import type { FaultRule } from '../../spec/model.js';
import type { TraceEvent } from '../../spec/events.js';
import type { AddressBook, HostAnswer, HostCall } from './protocol.js';
import { InfraError } from '../../errors.js';

export const FLAG_IDLE = 0;
export const FLAG_ANSWERED = 1;

export class SyncHostBridge implements TestHost {
  private addresses: AddressBook = {};

  constructor(
    private readonly port: MessagePort,
    private readonly flag: Int32Array,
  ) {}

  setAddresses(book: AddressBook): void {
    this.addresses = book;
  }

  private call(msg: HostCall): unknown {
    Atomics.store(this.flag, 0, FLAG_IDLE);
    this.port.postMessage(msg);
    for (;;) {
      Atomics.wait(this.flag, 0, FLAG_IDLE);
      const got = receiveMessageOnPort(this.port);
      if (got) {
        Atomics.store(this.flag, 0, FLAG_IDLE);
        const answer = got.message as HostAnswer;
        if (!answer.ok) throw new InfraError(answer.message);
        return answer.value;
      }
      // The flag flipped before the message became visible: wait briefly and look again.
      Atomics.wait(this.flag, 0, FLAG_ANSWERED, 1);
    }
  }

  step(req: StepRequest): StepResponse {
    return this.call({ op: 'step', req }) as StepResponse;
  }

  lifecycle(req: LifecycleRequest): StepResponse {
    return this.call({ op: 'lifecycle', req }) as StepResponse;
  }

  applyRules(rules: readonly FaultRule[]): number {
    return this.call({ op: 'apply-rules', rules }) as number;
  }

  removeRules(scope: number): void {
    this.call({ op: 'remove-rules', scope });
  }

  events(): readonly TraceEvent[] {
    return this.call({ op: 'events' }) as TraceEvent[];
  }

  addressOf(service: string, iface: string): LiveAddress {
    const addr = this.addresses[service]?.[iface];
    if (!addr) throw new InfraError(`no live address for ${service}.${iface} (is the service running?)`);
    return addr;
  }

  print(line: string): void {
    this.call({ op: 'print', line });
  }

  sleep(ms: number): void {
    this.call({ op: 'sleep', ms });
  }
}
