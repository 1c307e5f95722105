// PostgreSQL test steps: `query(sql=, params=)` → data = rows as plain objects. One connection per
// (service, address) is reused across a test's steps; SQL errors and lost connections come back as
// ok=false with the server's message, never thrown.
import pg from 'pg';
import type { LiveAddress, StepArgs, StepResponse } from '../../spec/host.js';
import { DEFAULT_STEP_TIMEOUT_MS, STEP_OK_STATUS, elapsedSince, failedStep, withTimeout } from './response.js';

export const POSTGRES_METHODS = ['query'] as const;
export type PostgresMethod = (typeof POSTGRES_METHODS)[number];

export interface PostgresCredentials {
  readonly user: string;
  readonly password: string | undefined;
  readonly database: string;
}

/**
 * Credentials from the service env, as the official image reads them: POSTGRES_USER (default
 * postgres), POSTGRES_PASSWORD (default none), POSTGRES_DB (default: the user name).
 */
export function postgresCredentials(env: Readonly<Record<string, string>>): PostgresCredentials {
  const user = env.POSTGRES_USER || 'postgres';
  return { user, password: env.POSTGRES_PASSWORD || undefined, database: env.POSTGRES_DB || user };
}

export function postgresClientConfig(addr: LiveAddress, env: Readonly<Record<string, string>>, connectTimeoutMs: number): pg.ClientConfig {
  const creds = postgresCredentials(env);
  return {
    host: addr.host,
    port: addr.port,
    user: creds.user,
    password: creds.password,
    database: creds.database,
    connectionTimeoutMillis: connectTimeoutMs,
    application_name: 'faultbox',
  };
}

/** Closes a client without waiting on a server that may be stalled by a fault. */
export async function closePostgresClient(client: pg.Client): Promise<void> {
  const ended = client.end().catch(() => undefined);
  const gaveUp = new Promise<'late'>((r) => setTimeout(() => r('late'), 500).unref());
  if ((await Promise.race([ended, gaveUp])) === 'late') {
    // pg exposes no "destroy"; the socket is the only way to stop waiting for the server's goodbye.
    (client as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
  }
}

function describePgError(err: unknown): string {
  const e = err as { message?: string; code?: string };
  const text = e.message || String(err);
  return typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code) ? `${text} (SQLSTATE ${e.code})` : text;
}

/** A server-reported error that leaves the session usable (statement errors, not FATAL). */
function sessionSurvives(err: unknown): boolean {
  const e = err as { severity?: string; code?: string };
  return err instanceof pg.DatabaseError && e.severity !== 'FATAL' && e.severity !== 'PANIC';
}

/** Plain JSON data (BigInt, Date and Buffer values become JSON's string/number/object forms). */
function plainRows(rows: readonly unknown[]): { body: string; data: unknown[] } {
  const body = JSON.stringify(rows, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
  return { body, data: JSON.parse(body) as unknown[] };
}

export class PostgresClients {
  private readonly clients = new Map<string, Promise<pg.Client>>();

  async run(
    method: PostgresMethod,
    service: string,
    addr: LiveAddress,
    env: Readonly<Record<string, string>>,
    args: StepArgs,
  ): Promise<StepResponse> {
    const startedAt = process.hrtime.bigint();
    const timeoutMs = args.timeoutMs ?? DEFAULT_STEP_TIMEOUT_MS;
    if (args.sql === undefined) return failedStep(new Error(`${method}: sql= is required`), startedAt);
    const key = `${service}@${addr.host}:${addr.port}`;
    try {
      // One deadline for connecting and the query, so a step never takes longer than its timeout=.
      const answered = this.client(key, addr, env, timeoutMs).then((c) =>
        c.query({ text: args.sql!, values: args.params ? [...args.params] : undefined }),
      );
      const result = await withTimeout(answered, timeoutMs, 'query', () => this.discard(key));
      const { body, data } = plainRows(result.rows ?? []);
      return { status: STEP_OK_STATUS, body, data, ok: true, error: '', durationMs: elapsedSince(startedAt) };
    } catch (err) {
      if (!sessionSurvives(err)) this.discard(key);
      return failedStep(new Error(describePgError(err)), startedAt);
    }
  }

  /** Ends every connection (at the end of a test, before its services stop). */
  async closeAll(): Promise<void> {
    const pending = [...this.clients.values()];
    this.clients.clear();
    await Promise.all(pending.map((p) => p.then(closePostgresClient, () => undefined)));
  }

  private client(key: string, addr: LiveAddress, env: Readonly<Record<string, string>>, timeoutMs: number): Promise<pg.Client> {
    let pending = this.clients.get(key);
    if (!pending) {
      const client = new pg.Client(postgresClientConfig(addr, env, timeoutMs));
      // A server killed mid-test makes the idle client emit 'error'; unhandled, it would crash us.
      client.on('error', () => this.discard(key, pending));
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

  /** Forgets a connection (the next step reconnects) and closes it in the background. */
  private discard(key: string, only?: Promise<pg.Client>): void {
    const pending = this.clients.get(key);
    if (!pending || (only && pending !== only)) return;
    this.clients.delete(key);
    pending.then(closePostgresClient, () => undefined).catch(() => undefined);
  }
}
