// Routes a test step to the client for its interface's protocol, and owns the per-test connection
// pools (closed with closeAll() when the test ends).
import { SpecError } from '../../errors.js';
import type { Protocol } from '../../spec/model.js';
import type { LiveAddress, StepRequest, StepResponse } from '../../spec/host.js';
import { HTTP_METHODS, httpStep, type HttpMethod } from './http.js';
import { POSTGRES_METHODS, PostgresClients, type PostgresMethod } from './postgres.js';
import { REDIS_METHODS, RedisClients, type RedisMethod } from './redis.js';
import { TCP_METHODS, tcpSend } from './tcp.js';

/** The step methods each protocol accepts (the spec layer may check calls against it early). */
export const STEP_METHODS: Readonly<Record<Protocol, readonly string[]>> = {
  http: HTTP_METHODS,
  tcp: TCP_METHODS,
  postgres: POSTGRES_METHODS,
  redis: REDIS_METHODS,
};

/** Where a step goes: the interface's live address and its service's env (for credentials). */
export interface StepTarget {
  readonly addr: LiveAddress;
  readonly env: Readonly<Record<string, string>>;
}

/** Undefined when `method` is valid for `protocol`, else a message naming the accepted ones. */
export function stepMethodProblem(protocol: Protocol, method: string): string | undefined {
  const accepted = STEP_METHODS[protocol];
  if (accepted.includes(method)) return undefined;
  return `a ${protocol} interface has no step method "${method}" (accepted: ${accepted.join(', ')})`;
}

export class StepClients {
  private readonly postgres = new PostgresClients();
  private readonly redis = new RedisClients();

  /**
   * Runs one step. Transport, SQL and Redis errors come back as ok=false; only a method the
   * protocol does not have throws (a SpecError: it is a mistake in the spec, not a failure).
   */
  run(req: StepRequest, target: StepTarget): Promise<StepResponse> {
    const problem = stepMethodProblem(req.protocol, req.method);
    if (problem) throw new SpecError(`${req.service}.${req.iface}: ${problem}`);
    switch (req.protocol) {
      case 'http':
        return httpStep(req.method as HttpMethod, target.addr, req.args);
      case 'tcp':
        return tcpSend(target.addr, req.args);
      case 'postgres':
        return this.postgres.run(req.method as PostgresMethod, req.service, target.addr, target.env, req.args);
      case 'redis':
        return this.redis.run(req.method as RedisMethod, target.addr, target.env, req.args);
    }
  }

  /** Closes every pooled connection; call at the end of each test. */
  async closeAll(): Promise<void> {
    await Promise.all([this.postgres.closeAll(), this.redis.closeAll()]);
  }
}
