// Redis test steps: `command(command=[...])` → data = the reply. One client per address, without
// an offline queue or retries, so a dead or faulted server gives an error at once instead of a
// silently queued command; errors come back as ok=false, never thrown.
import { Redis, type RedisOptions } from 'ioredis';
import type { LiveAddress, StepArgs, StepResponse } from '../../spec/host.js';
import { DEFAULT_STEP_TIMEOUT_MS, STEP_OK_STATUS, elapsedSince, failedStep, withTimeout } from './response.js';

export const REDIS_METHODS = ['command'] as const;
export type RedisMethod = (typeof REDIS_METHODS)[number];

/** Options for a client that fails fast; AUTH with REDIS_PASSWORD (and REDIS_USERNAME) from env. */
export function redisOptions(addr: LiveAddress, env: Readonly<Record<string, string>>, connectTimeoutMs: number): RedisOptions {
  return {
    host: addr.host,
    port: addr.port,
    username: env.REDIS_USERNAME || undefined,
    password: env.REDIS_PASSWORD || undefined,
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    // No background reconnect loop: a lost connection is dropped and the next step dials again.
    retryStrategy: () => null,
    connectTimeout: connectTimeoutMs,
  };
}

/**
 * ioredis reports a refused AUTH or a reset as "Connection is closed." on the command and the real
 * reason on its 'error' event; this keeps the reason so failures can say it. The explanation
 * waits one turn of the event loop: the 'error' event may be delivered just after the rejection.
 */
export function rememberRedisErrors(client: Redis): (err: unknown) => Promise<Error> {
  let last: Error | undefined;
  client.on('error', (err: Error) => {
    last = err;
  });
  return async (err: unknown) => {
    const e = err instanceof Error ? err : new Error(String(err));
    if (!/Connection is closed|Stream isn't writeable/.test(e.message)) return e;
    await new Promise((r) => setImmediate(r));
    return last ? new Error(last.message) : e;
  };
}

/** The reply as step body text: strings as is, nil as "", everything else as JSON. */
function replyText(reply: unknown): string {
  if (typeof reply === 'string') return reply;
  if (reply === null || reply === undefined) return '';
  if (Buffer.isBuffer(reply)) return reply.toString('utf8');
  return JSON.stringify(reply, (_k, v: unknown) => (Buffer.isBuffer(v) ? v.toString('utf8') : v));
}

export class RedisClients {
  private readonly clients = new Map<string, Promise<Redis>>();
  private readonly explain = new WeakMap<Redis, (err: unknown) => Promise<Error>>();

  async run(method: RedisMethod, addr: LiveAddress, env: Readonly<Record<string, string>>, args: StepArgs): Promise<StepResponse> {
    const startedAt = process.hrtime.bigint();
    const timeoutMs = args.timeoutMs ?? DEFAULT_STEP_TIMEOUT_MS;
    const [name, ...rest] = args.command ?? [];
    if (!name) return failedStep(new Error(`${method}: command= needs at least a command name, e.g. ["PING"]`), startedAt);
    const key = `${addr.host}:${addr.port}`;
    let client: Redis | undefined;
    try {
      // One deadline for connecting and the command: ioredis bounds only the TCP connect, so a
      // server that accepts and never answers would otherwise hang its ready check forever.
      const answered = this.client(key, addr, env, timeoutMs).then((c) => {
        client = c;
        return c.call(name, rest);
      });
      const reply = await withTimeout(answered, timeoutMs, `redis ${name}`, () => this.discard(key));
      return { status: STEP_OK_STATUS, body: replyText(reply), data: reply ?? null, ok: true, error: '', durationMs: elapsedSince(startedAt) };
    } catch (err) {
      // A failed connect was explained already; a failed command is explained here.
      const explain = client && this.explain.get(client);
      return failedStep(explain ? await explain(err) : err, startedAt);
    }
  }

  async closeAll(): Promise<void> {
    const pending = [...this.clients.values()];
    this.clients.clear();
    await Promise.all(pending.map((p) => p.then((c) => c.disconnect(), () => undefined)));
  }

  private client(key: string, addr: LiveAddress, env: Readonly<Record<string, string>>, timeoutMs: number): Promise<Redis> {
    let pending = this.clients.get(key);
    if (!pending) {
      const client = new Redis(redisOptions(addr, env, timeoutMs));
      // Also the listener that keeps ioredis from printing every connection error to the console.
      const explain = rememberRedisErrors(client);
      this.explain.set(client, explain);
      client.on('end', () => this.discard(key, pending));
      pending = client.connect().then(
        () => client,
        async (err: unknown) => {
          this.discard(key, pending);
          throw await explain(err);
        },
      );
      this.clients.set(key, pending);
    }
    return pending;
  }

  private discard(key: string, only?: Promise<Redis>): void {
    const pending = this.clients.get(key);
    if (!pending || (only && pending !== only)) return;
    this.clients.delete(key);
    pending.then((c) => c.disconnect(), () => undefined);
  }
}
