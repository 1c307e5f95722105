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

/** The reply as step body text: strings as is, nil as "", everything else as JSON. */
function replyText(reply: unknown): string {
  if (typeof reply === 'string') return reply;
  if (reply === null || reply === undefined) return '';
  if (Buffer.isBuffer(reply)) return reply.toString('utf8');
  return JSON.stringify(reply, (_k, v: unknown) => (Buffer.isBuffer(v) ? v.toString('utf8') : v));
}

export class RedisClients {
  private readonly clients = new Map<string, Promise<Redis>>();

  async run(method: RedisMethod, addr: LiveAddress, env: Readonly<Record<string, string>>, args: StepArgs): Promise<StepResponse> {
    const startedAt = process.hrtime.bigint();
    const timeoutMs = args.timeoutMs ?? DEFAULT_STEP_TIMEOUT_MS;
    const [name, ...rest] = args.command ?? [];
    if (!name) return failedStep(new Error(`${method}: command= needs at least a command name, e.g. ["PING"]`), startedAt);
    const key = `${addr.host}:${addr.port}`;
    try {
      const client = await this.client(key, addr, env, timeoutMs);
      const reply = await withTimeout(client.call(name, rest), timeoutMs, `redis ${name}`, () => this.discard(key));
      return { status: STEP_OK_STATUS, body: replyText(reply), data: reply ?? null, ok: true, error: '', durationMs: elapsedSince(startedAt) };
    } catch (err) {
      return failedStep(err, startedAt);
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
      // Without a listener ioredis prints every connection error to the console.
      client.on('error', () => undefined);
      client.on('end', () => this.discard(key, pending));
      pending = client.connect().then(
        () => client,
        (err: unknown) => {
          this.discard(key, pending);
          throw err;
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
