// Main-thread handle on the spec worker: sends commands, answers host calls asynchronously,
// and can kill a body that overran its time (terminating the worker, then reloading the spec).
import { MessageChannel, Worker } from 'node:worker_threads';
import type { TestHost } from '../../spec/host.js';
import type { SpecModel } from '../../spec/model.js';
import type { TestOutcome } from '../../spec/outcome.js';
import { InfraError, InternalError, SpecError, UsageError } from '../../errors.js';
import { FLAG_ANSWERED } from './host-bridge.js';
import type { AddressBook, HostAnswer, HostCall, SerializedError, WorkerCommand, WorkerReply } from './protocol.js';

/** The runtime's side of the host calls; async, unlike the TestHost the worker sees. */
export interface AsyncHost {
  step: (...a: Parameters<TestHost['step']>) => Promise<ReturnType<TestHost['step']>>;
  lifecycle: (...a: Parameters<TestHost['lifecycle']>) => Promise<ReturnType<TestHost['lifecycle']>>;
  applyRules: (...a: Parameters<TestHost['applyRules']>) => Promise<number>;
  removeRules: (scope: number) => Promise<void>;
  events: () => Promise<ReturnType<TestHost['events']>>;
  print: (line: string) => void;
}

type Pending = { resolve: (r: WorkerReply) => void; reject: (e: Error) => void };
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

function revive(err: SerializedError): Error {
  switch (err.kind) {
    case 'SpecError':
      return new SpecError(err.message);
    case 'InfraError':
      return new InfraError(err.message);
    case 'UsageError':
      return new UsageError(err.message);
    default: {
      const e = new InternalError(err.message);
      if (err.stack) e.stack = err.stack;
      return e;
    }
  }
}

export class SpecWorkerClient {
  private worker!: Worker;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private file?: string;

  private constructor(private readonly host: AsyncHost) {}

  static async load(file: string, host: AsyncHost): Promise<{ client: SpecWorkerClient; model: SpecModel }> {
    const client = new SpecWorkerClient(host);
    const model = await client.start(file);
    return { client, model };
  }

  private async start(file: string): Promise<SpecModel> {
    this.file = file;
    const flag = new SharedArrayBuffer(4);
    const flagView = new Int32Array(flag);
    const { port1, port2 } = new MessageChannel();
    this.worker = new Worker(new URL('./worker.js', import.meta.url), {
      workerData: { hostPort: port2, flag },
      transferList: [port2],
    });
    port1.on('message', (call: HostCall) => {
      void this.answer(call).then((answer) => {
        port1.postMessage(answer);
        Atomics.store(flagView, 0, FLAG_ANSWERED);
        Atomics.notify(flagView, 0);
      });
    });
    port1.unref();
    this.worker.on('message', (reply: WorkerReply) => {
      const p = this.pending.get(reply.id);
      if (!p) return;
      this.pending.delete(reply.id);
      p.resolve(reply);
    });
    this.worker.on('error', (err) => this.failAll(err));
    this.worker.on('exit', () => this.failAll(new InternalError('spec worker exited')));
    const reply = await this.send({ op: 'load', file });
    return reply.model!;
  }

  private failAll(err: Error): void {
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }

  private async answer(call: HostCall): Promise<HostAnswer> {
    try {
      switch (call.op) {
        case 'step':
          return { ok: true, value: await this.host.step(call.req) };
        case 'lifecycle':
          return { ok: true, value: await this.host.lifecycle(call.req) };
        case 'apply-rules':
          return { ok: true, value: await this.host.applyRules(call.rules) };
        case 'remove-rules':
          await this.host.removeRules(call.scope);
          return { ok: true, value: null };
        case 'events':
          return { ok: true, value: await this.host.events() };
        case 'print':
          this.host.print(call.line);
          return { ok: true, value: null };
        case 'sleep':
          await new Promise((r) => setTimeout(r, call.ms));
          return { ok: true, value: null };
      }
    } catch (err) {
      return { ok: false, message: err instanceof Error ? err.message : String(err) };
    }
  }

  private send(cmd: DistributiveOmit<WorkerCommand, 'id'>): Promise<WorkerReply & { ok: true }> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, {
        resolve: (r) => (r.ok ? resolve(r) : reject(revive(r.error))),
        reject,
      });
      this.worker.postMessage({ ...cmd, id } as WorkerCommand);
    });
  }

  /**
   * Runs a test body (or a scenario). On timeout or abort the worker is terminated — that is
   * the only way to stop arbitrary Starlark — and a fresh one reloads the spec.
   */
  async run(kind: 'test' | 'scenario', name: string, addresses: AddressBook, timeoutMs: number, signal?: AbortSignal): Promise<TestOutcome | 'timeout' | 'aborted'> {
    const body = this.send({ op: kind === 'test' ? 'run-test' : 'run-scenario', name, addresses });
    let timer: NodeJS.Timeout | undefined;
    let onAbort: (() => void) | undefined;
    const limit = new Promise<'timeout' | 'aborted'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
      if (signal) {
        onAbort = () => resolve('aborted');
        if (signal.aborted) onAbort();
        else signal.addEventListener('abort', onAbort, { once: true });
      }
    });
    try {
      const winner = await Promise.race([body.then((r) => r.outcome!), limit]);
      if (winner === 'timeout' || winner === 'aborted') {
        body.catch(() => undefined);
        await this.restart();
      }
      return winner;
    } finally {
      clearTimeout(timer);
      if (onAbort) signal?.removeEventListener('abort', onAbort);
    }
  }

  private async restart(): Promise<void> {
    const old = this.worker;
    old.removeAllListeners('exit');
    this.failAll(new InternalError('spec worker restarted'));
    await old.terminate();
    await this.start(this.file!);
  }

  async close(): Promise<void> {
    this.worker.removeAllListeners('exit');
    await this.worker.terminate();
  }
}
