// The runtime's answers to a running test body: steps against live services, rule scopes on
// the supervisor, and the events recorded so far.
import type { AsyncHost } from '../spec-worker/client.js';
import type { FaultRule } from '../../spec/model.js';
import type { LifecycleRequest, StepRequest, StepResponse } from '../../spec/host.js';
import type { TraceEvent } from '../../spec/events.js';
import { StepClients } from '../steps/dispatch.js';
import type { EventLog } from './event-log.js';
import type { RuleBoard } from './rule-board.js';
import type { ServiceManager } from './service-manager.js';
import type { SupervisorPort } from './supervisor-port.js';
import { ruleText } from '../trace/rule-text.js';

/** A step to a service a lifecycle step stopped: like a refused connection, not a spec error. */
const DOWN: StepResponse = { status: 0, body: '', data: undefined, ok: false, error: '', durationMs: 0 };

export class RuntimeHost implements AsyncHost {
  private readonly steps = new StepClients();
  /** Every rule armed during the current test, for the report. */
  readonly armed: FaultRule[] = [];
  board?: RuleBoard;

  constructor(
    private readonly services: () => ServiceManager,
    private readonly log: EventLog,
    private readonly supervisor: () => SupervisorPort | undefined,
    private readonly printLine: (line: string) => void,
  ) {}

  /** Starts a fresh test: new rule board, empty armed list. */
  beginTest(board: RuleBoard): void {
    this.board = board;
    this.armed.length = 0;
  }

  async step(req: StepRequest): Promise<StepResponse> {
    // A crash rule may have fired during an earlier step: hear of it (one round trip to the
    // supervisor) so a step to the crashed service waits for its restart instead of failing.
    if (this.armed.some((r) => r.action.kind === 'crash')) await this.drain();
    // A service being restarted (a lifecycle step, a crash) is waited for, not failed at once;
    // pooled sessions to its old instance are dead by then.
    if (this.services().isDown(req.service)) return this.logStep(req, '-', { ...DOWN, error: `service ${req.service} is stopped (${req.service}.start() starts it again)` });
    const comingBack = this.services().isComingBack(req.service);
    const svc = await this.services().available(req.service);
    if (comingBack) await this.steps.closeAll();
    const addr = svc.addresses[req.iface];
    if (!addr) throw new Error(`service ${req.service} has no interface ${req.iface}`);
    const res = await this.steps.run(req, { addr, env: svc.decl.env });
    return this.logStep(req, `${addr.host}:${addr.port}`, res);
  }

  private logStep(req: StepRequest, target: string, res: StepResponse): StepResponse {
    this.log.add({
      type: 'step', service: req.service, iface: req.iface, method: req.method, target,
      status: res.status, ok: res.ok, durationMs: res.durationMs, ...(res.error ? { error: res.error } : {}),
    });
    return res;
  }

  async lifecycle(req: LifecycleRequest): Promise<StepResponse> {
    const started = performance.now();
    // A crash rule may have fired during an earlier step: hear of it before acting on the service.
    await this.drain();
    // Pooled database sessions would not outlive the service's processes.
    await this.steps.closeAll();
    const outcome = await this.services().lifecycle(req.service, req.action, {
      ...(req.signal ? { signal: req.signal as NodeJS.Signals } : {}),
      ...(req.loseUnsynced !== undefined ? { loseUnsynced: req.loseUnsynced } : {}),
    });
    const durationMs = Math.round(performance.now() - started);
    const method = req.action === 'kill' ? `kill(${req.signal ?? 'SIGKILL'})` : req.action === 'crash' && req.loseUnsynced ? 'crash(lose_unsynced=True)' : req.action;
    this.log.add({
      type: 'step', service: req.service, iface: 'lifecycle', method, target: req.service,
      status: 0, ok: outcome.ok, durationMs, ...(outcome.error ? { error: outcome.error } : {}),
    });
    return { status: 0, body: '', data: undefined, ok: outcome.ok, error: outcome.error, durationMs };
  }

  async applyRules(rules: readonly FaultRule[]): Promise<number> {
    const scope = await this.board!.apply(rules);
    this.armed.push(...rules);
    for (const service of new Set(rules.map((r) => r.service))) {
      const mine = rules.filter((r) => r.service === service);
      this.log.add({ type: 'fault_applied', service, ruleIds: mine.map((r) => r.id), summary: mine.map(ruleText).join(', ') });
    }
    return scope;
  }

  async removeRules(scope: number): Promise<void> {
    await this.drain();
    await this.board!.remove(scope);
  }

  async events(): Promise<readonly TraceEvent[]> {
    await this.drain();
    return this.log.all();
  }

  /** Moves the supervisor's buffered syscall events into the log. */
  async drain(): Promise<void> {
    const sup = this.supervisor();
    if (sup) this.log.addAll(await sup.drainEvents());
  }

  print(line: string): void {
    this.printLine(line);
  }

  async endTest(): Promise<void> {
    await this.drain();
    await this.board?.clear();
    await this.steps.closeAll();
  }
}
