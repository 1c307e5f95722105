// What a running test body needs from the runtime. The spec builtins call these synchronously
// (the test body runs in a worker that blocks on the answer); the runtime implements them.
import type { FaultRule, Protocol } from './model.js';
import type { TraceEvent } from './events.js';

export interface StepArgs {
  readonly path?: string;
  readonly body?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly timeoutMs?: number;
  /** tcp send */
  readonly data?: string;
  /** postgres query */
  readonly sql?: string;
  readonly params?: readonly (string | number | boolean | null)[];
  /** redis command, e.g. ["SET", "k", "v"] */
  readonly command?: readonly string[];
}

export interface StepRequest {
  readonly service: string;
  readonly iface: string;
  readonly protocol: Protocol;
  readonly method: string;
  readonly args: StepArgs;
}

/** Transport errors give ok=false and status 0; they never throw. */
export interface StepResponse {
  readonly status: number;
  readonly body: string;
  /** JSON-decoded body (or query rows / redis reply); undefined when not decodable. */
  readonly data: unknown;
  readonly ok: boolean;
  readonly error: string;
  readonly durationMs: number;
}

/** What a lifecycle step asks of a service (`svc.restart()`, `svc.kill()`, `svc.crash()`...). */
export type LifecycleAction = 'restart' | 'kill' | 'start' | 'stop' | 'crash';

export interface LifecycleRequest {
  readonly service: string;
  readonly action: LifecycleAction;
  /** kill(): the signal sent to every process of the service (default SIGKILL). */
  readonly signal?: string;
  /** crash(): put every file the service changed back to its last synced state before the restart. */
  readonly loseUnsynced?: boolean;
}

export interface LiveAddress {
  readonly host: string;
  readonly port: number;
}

export interface TestHost {
  step(req: StepRequest): StepResponse;
  /** Stops, kills, starts or restarts a service; the answer reads like a step's (status 0). */
  lifecycle(req: LifecycleRequest): StepResponse;
  /** Arms rules until the returned scope is removed. Scopes stack; removing one keeps the others. */
  applyRules(rules: readonly FaultRule[]): number;
  removeRules(scope: number): void;
  /** Every event recorded so far in this test, in seq order. */
  events(): readonly TraceEvent[];
  /** The address test steps use to reach an interface (host-mapped for containers). */
  addressOf(service: string, iface: string): LiveAddress;
  /** `print()` output. */
  print(line: string): void;
  sleep(ms: number): void;
}
