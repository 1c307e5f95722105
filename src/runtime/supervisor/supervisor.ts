// The Supervisor: one per faultbox run, watching the seccomp listeners of every supervised
// service from a worker thread (off the main event loop), applying each service's fault rules and
// collecting syscall events. The main thread talks to the worker by message + an eventfd ring.
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import { InfraError, InternalError } from '../../errors.js';
import type { SyscallEvent } from '../../spec/events.js';
import type { FaultRule } from '../../spec/model.js';
import { errnoText, libc } from '../kernel/libc.js';
import { pinnedBuffer } from '../kernel/pinned-buffer.js';
import { EFD_CLOEXEC, EFD_NONBLOCK } from '../kernel/seccomp-abi.js';
import type { RuleCounters } from './armed-rules.js';
import { decodeBatch, type EventBatch } from './event-columns.js';
import type { LoopStats } from './notification-loop.js';
import type { AttachOptions, CrashNotice } from './crash-action.js';
import type { RollbackReport } from './undo-log.js';
import { supervisorWorkerSource } from './worker-source.js';
import type { ReplyValue, Request, WorkerInit, WorkerMessage } from './worker-protocol.js';

export type { RuleCounters } from './armed-rules.js';
export type { LoopStats as SupervisorStats } from './notification-loop.js';
export type { AttachOptions, CrashNotice } from './crash-action.js';
export type { RollbackReport } from './undo-log.js';

export interface SetRulesOptions {
  /** Keep the occurrence/fire counters of rules whose id stays armed (ending one of several scopes). */
  readonly keepCounters?: boolean;
}

export interface SupervisorOptions {
  /** Epoch ms that event timestamps count from (default: now). Change later with setTimeOrigin. */
  readonly originEpochMs?: number;
}

interface Pending {
  resolve(value: ReplyValue): void;
  reject(err: Error): void;
}

type LoopFailureListener = (err: InfraError) => void;

export class Supervisor {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  /** Batches shipped before a drain; decoded only when drained, to keep the main thread idle meanwhile. */
  private readonly shipped: EventBatch[] = [];
  /** The worker's interned strings, grown batch by batch as they are decoded. */
  private readonly strings: string[] = [];
  private readonly failureListeners = new Set<LoopFailureListener>();
  private readonly crashListeners = new Set<(notice: CrashNotice) => void>();
  private readonly failures: InfraError[] = [];
  private dead: InfraError | undefined;
  private stopping: Promise<void> | undefined;
  private readonly kick = pinnedBuffer(8);
  private readonly exited: Promise<void>;
  private readonly onProcessExit = () => this.abortOnExit();

  private constructor(
    private readonly worker: Worker,
    private readonly port: MessagePort,
    private readonly wakeFd: number,
    private readonly control: Int32Array,
  ) {
    this.kick.writeUInt32LE(1, 0);
    port.on('message', (m: WorkerMessage) => this.onMessage(m));
    this.exited = new Promise((resolve) => worker.once('exit', () => resolve()));
    worker.on('error', (err) => this.die(`the supervisor worker crashed: ${err.message}`));
    worker.once('exit', (code) => {
      if (!this.stopping) this.die(`the supervisor worker exited unexpectedly (code ${code})`);
    });
    // A worker blocked in poll() would hold up process exit: ring it on the way out.
    process.once('exit', this.onProcessExit);
    worker.unref();
    port.unref();
  }

  /** Starts the worker; resolves once its loop is running. */
  static async start(options: SupervisorOptions = {}): Promise<Supervisor> {
    const c = libc();
    const wakeFd = c.eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (wakeFd < 0) throw new InfraError(`eventfd() failed: ${errnoText(c.errno())}`);
    const source = supervisorWorkerSource();
    const { port1, port2 } = new MessageChannel();
    const control = new SharedArrayBuffer(4);
    const init: WorkerInit = { port: port2, wakeFd, control, originEpochMs: options.originEpochMs ?? Date.now() };
    const worker = new Worker(source.url, { workerData: init, transferList: [port2], execArgv: [...source.execArgv] });
    const ready = new Promise<void>((resolve, reject) => {
      const onMessage = (m: WorkerMessage) => {
        if (m.kind !== 'ready') return;
        port1.off('message', onMessage);
        worker.off('error', onError);
        resolve();
      };
      const onError = (err: Error) => reject(new InfraError(`the supervisor worker failed to start: ${err.message}`));
      port1.on('message', onMessage);
      worker.once('error', onError);
    });
    try {
      await ready;
    } catch (err) {
      c.close(wakeFd);
      await worker.terminate();
      throw err;
    }
    return new Supervisor(worker, port1, wakeFd, new Int32Array(control));
  }

  /** Starts watching a listener (ownership of the fd passes to the supervisor). */
  async attach(service: string, listenerFd: number, options: AttachOptions = {}): Promise<void> {
    await this.request({ op: 'attach', service, fd: listenerFd, options });
  }

  /** A crash rule fired (the service's processes got SIGKILL): cb restarts it. */
  onCrash(cb: (notice: CrashNotice) => void): void {
    this.crashListeners.add(cb);
  }

  /** After a crash: puts every file the service changed back to its last synced state. */
  async rollback(service: string): Promise<RollbackReport> {
    return (await this.request({ op: 'rollback', service })) as RollbackReport;
  }

  /**
   * Replaces the armed rules of a service atomically (between two notifications) and resets
   * their counters. An empty list lets every call through.
   */
  async setRules(service: string, rules: readonly FaultRule[], seed: number, options: SetRulesOptions = {}): Promise<void> {
    await this.request({ op: 'setRules', service, rules, seed, keepCounters: options.keepCounters ?? false });
  }

  async disarm(service: string): Promise<void> {
    await this.request({ op: 'disarm', service });
  }

  /** Recording mode: every trapped call of the service becomes an event (for census runs). */
  async setRecording(service: string, on: boolean): Promise<void> {
    await this.request({ op: 'setRecording', service, on });
  }

  /**
   * Releases the service's held calls, closes its listeners and forgets its rules — unless
   * `keepRules` (a restart within a test: the next listener of the service gets them back).
   */
  async detach(service: string, options: { keepRules?: boolean } = {}): Promise<void> {
    await this.request({ op: 'detach', service, keepRules: options.keepRules ?? false });
  }

  /** Returns and clears the buffered events; every call answered before this call is included. */
  async drainEvents(): Promise<SyscallEvent[]> {
    const last = (await this.request({ op: 'drain' })) as EventBatch;
    const events: SyscallEvent[] = [];
    for (const b of this.shipped.splice(0)) decodeBatch(b, this.strings, events);
    decodeBatch(last, this.strings, events);
    return events;
  }

  /** Per rule id: how many calls it faulted since its setRules. */
  async firedCounts(): Promise<Record<string, number>> {
    const counters = await this.ruleCounters();
    return Object.fromEntries(Object.entries(counters).map(([id, c]) => [id, c.fired]));
  }

  /** Per rule id: calls that matched (after path filtering), fired, and had no resolvable path. */
  async ruleCounters(): Promise<Record<string, RuleCounters>> {
    return (await this.request({ op: 'counters' })) as Record<string, RuleCounters>;
  }

  async stats(): Promise<LoopStats> {
    return (await this.request({ op: 'stats' })) as LoopStats;
  }

  /** Event timestamps count from this epoch-ms instant (a test's start). */
  async setTimeOrigin(epochMs: number): Promise<void> {
    await this.request({ op: 'setTimeOrigin', epochMs });
  }

  /**
   * Called when supervision broke while targets may still run (the loop died, or a listener
   * failed): their trapped syscalls now fail or hang, so the run must fail. Failures that
   * happened before registration are delivered at once. Returns an unsubscribe function.
   */
  onLoopFailure(cb: LoopFailureListener): () => void {
    this.failureListeners.add(cb);
    for (const f of this.failures) cb(f);
    return () => this.failureListeners.delete(cb);
  }

  /** Releases held calls, closes all listeners and ends the worker. Prompt even if targets idle. */
  stop(): Promise<void> {
    this.stopping ??= this.doStop();
    return this.stopping;
  }

  private async doStop(): Promise<void> {
    process.off('exit', this.onProcessExit);
    this.worker.ref(); // keep the process alive until the worker is really gone
    if (!this.dead) {
      try {
        await this.send({ op: 'stop' });
      } catch {
        // The worker is already gone; nothing left to release.
      }
    }
    await this.exited;
    libc().close(this.wakeFd);
    this.port.close();
  }

  private async request(req: Request): Promise<ReplyValue> {
    if (this.stopping) throw new InternalError(`supervisor used after stop() (${req.op})`);
    return this.send(req);
  }

  private send(req: Request): Promise<ReplyValue> {
    if (this.dead) return Promise.reject(this.dead);
    const id = this.nextId++;
    const reply = new Promise<ReplyValue>((resolve, reject) => this.pending.set(id, { resolve, reject }));
    this.port.ref(); // keep the process alive until the reply arrives
    this.port.postMessage({ id, request: req });
    libc().write(this.wakeFd, this.kick, 8);
    return reply;
  }

  private onMessage(m: WorkerMessage): void {
    switch (m.kind) {
      case 'ready':
        return;
      case 'reply': {
        const p = this.pending.get(m.id);
        this.pending.delete(m.id);
        if (this.pending.size === 0) this.port.unref();
        if (!p) return;
        if (m.ok) p.resolve(m.value);
        else p.reject(new InternalError(`supervisor: ${m.error}`));
        return;
      }
      case 'batch':
        this.shipped.push(m.batch);
        return;
      case 'listener-failed':
        this.fail(new InfraError(`supervision of service "${m.service}" broke: ${m.message}`,
          'its trapped syscalls can no longer be answered; the run is not trustworthy'));
        return;
      case 'crashed':
        for (const cb of this.crashListeners) cb(m.notice);
        return;
      case 'loop-failed':
        this.die(`the supervisor loop died: ${m.message}`);
        return;
    }
  }

  private die(message: string): void {
    if (this.dead) return;
    this.dead = new InfraError(message, 'supervised services lose their trapped syscalls; the run is not trustworthy');
    for (const p of this.pending.values()) p.reject(this.dead);
    this.pending.clear();
    this.port.unref();
    this.fail(this.dead);
  }

  private fail(err: InfraError): void {
    this.failures.push(err);
    for (const cb of this.failureListeners) cb(err);
  }

  private abortOnExit(): void {
    Atomics.store(this.control, 0, 1);
    libc().write(this.wakeFd, this.kick, 8);
  }
}
