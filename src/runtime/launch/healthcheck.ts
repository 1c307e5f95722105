// Waiting until a started service answers: tcp (connect succeeds), http (GET answers 2xx/3xx) and
// protocol-aware `ready` (PostgreSQL SELECT 1, Redis PING, else TCP), polled with backoff until the
// check's timeout, giving up early when the service process has exited.
import { connect } from 'node:net';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import pg from 'pg';
import { Redis } from 'ioredis';
import { InfraError, SpecError } from '../../errors.js';
import type { Healthcheck, Protocol } from '../../spec/model.js';
import type { LiveAddress } from '../../spec/host.js';
import { closePostgresClient, postgresClientConfig } from '../steps/postgres.js';
import { redisOptions, rememberRedisErrors } from '../steps/redis.js';

export interface HealthTarget {
  readonly service: string;
  /** For `ready`: the protocol of the service's first interface and where it is reachable. */
  readonly readyOn?: { readonly protocol: Protocol; readonly addr: LiveAddress };
  /** The service env: `ready` takes credentials from it. */
  readonly env: Readonly<Record<string, string>>;
  /** False once the service has exited; polling stops then. */
  readonly isAlive: () => boolean;
  /** How it exited and its last output, added to the error when isAlive() turned false. */
  readonly describeExit?: () => string;
}

export interface HealthReport {
  readonly attempts: number;
  readonly elapsedMs: number;
}

/** One attempt; resolves when healthy, rejects with the reason otherwise. */
type Probe = (attemptTimeoutMs: number) => Promise<void>;

const FIRST_DELAY_MS = 50;
const MAX_DELAY_MS = 1000;
const MAX_ATTEMPT_MS = 5000;

/** "localhost:5432", ":5432", "[::1]:5432" → host and port. */
export function parseHostPort(addr: string): LiveAddress {
  const m = /^(?:\[([^\]]+)\]|([^:]*)):(\d{1,5})$/.exec(addr.trim());
  const port = m ? Number(m[3]) : NaN;
  if (!m || port < 1 || port > 65535) throw new SpecError(`healthcheck address "${addr}" is not host:port`);
  return { host: m[1] ?? (m[2] || 'localhost'), port };
}

/** The scheme is optional in specs (`http("localhost:8080/health")`). */
export function normalizeHealthUrl(url: string): string {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(url) ? url : `http://${url}`;
}

export function tcpProbe(addr: LiveAddress, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: addr.host, port: addr.port });
    const timer = setTimeout(() => socket.destroy(new Error(`connect timed out after ${timeoutMs}ms`)), timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.destroy();
      resolve();
    });
    socket.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

export function httpProbe(url: string, timeoutMs: number): Promise<void> {
  const target = new URL(normalizeHealthUrl(url));
  const request = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    // Certificates are not the question here, only whether the service answers.
    const req = request(target, { method: 'GET', agent: false, timeout: timeoutMs, rejectUnauthorized: false }, (res) => {
      res.resume();
      const status = res.statusCode ?? 0;
      if (status >= 200 && status < 400) resolve();
      else reject(new Error(`GET ${target.href} answered ${status}`));
    });
    req.once('timeout', () => req.destroy(new Error(`GET ${target.href} timed out after ${timeoutMs}ms`)));
    req.once('error', reject);
    req.end();
  });
}

export async function postgresProbe(addr: LiveAddress, env: Readonly<Record<string, string>>, timeoutMs: number): Promise<void> {
  const client = new pg.Client({ ...postgresClientConfig(addr, env, timeoutMs), query_timeout: timeoutMs });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
  } finally {
    await closePostgresClient(client);
  }
}

export async function redisProbe(addr: LiveAddress, env: Readonly<Record<string, string>>, timeoutMs: number): Promise<void> {
  const client = new Redis({ ...redisOptions(addr, env, timeoutMs), commandTimeout: timeoutMs });
  const explain = rememberRedisErrors(client);
  try {
    await client.connect();
    const reply = await client.ping();
    if (reply !== 'PONG') throw new Error(`PING answered ${JSON.stringify(reply)}`);
  } catch (err) {
    throw await explain(err);
  } finally {
    client.disconnect();
  }
}

/** What the check does, for messages, and the probe that does it. */
export function healthProbe(check: Healthcheck, target: HealthTarget): { readonly what: string; readonly probe: Probe } {
  switch (check.kind) {
    case 'tcp': {
      const addr = parseHostPort(check.addr);
      return { what: `tcp ${check.addr}`, probe: (t) => tcpProbe(addr, t) };
    }
    case 'http':
      return { what: `http GET ${normalizeHealthUrl(check.url)}`, probe: (t) => httpProbe(check.url, t) };
    case 'ready': {
      const on = target.readyOn;
      if (!on) throw new SpecError(`service "${target.service}": ready() needs an interface to check, and the service declares none`);
      const at = `${on.addr.host}:${on.addr.port}`;
      if (on.protocol === 'postgres') return { what: `ready (postgres SELECT 1 on ${at})`, probe: (t) => postgresProbe(on.addr, target.env, t) };
      if (on.protocol === 'redis') return { what: `ready (redis PING on ${at})`, probe: (t) => redisProbe(on.addr, target.env, t) };
      return { what: `ready (tcp connect to ${at})`, probe: (t) => tcpProbe(on.addr, t) };
    }
  }
}

function reason(err: unknown): string {
  if (err instanceof AggregateError && err.errors.length > 0) return err.errors.map(reason).join('; ');
  return err instanceof Error ? err.message || (err as NodeJS.ErrnoException).code || err.name : String(err);
}

/**
 * Polls the check until it passes. Throws an InfraError naming the service, the check and the
 * last error when the timeout passes or the service exits first.
 */
export async function waitHealthy(check: Healthcheck, target: HealthTarget): Promise<HealthReport> {
  const { what, probe } = healthProbe(check, target);
  const started = Date.now();
  const deadline = started + check.timeoutMs;
  let delay = FIRST_DELAY_MS;
  let lastError = 'no attempt finished';
  let attempts = 0;
  const exitedError = (): InfraError =>
    new InfraError(
      `service "${target.service}" exited before its healthcheck ${what} passed` +
        (target.describeExit ? `: ${target.describeExit()}` : ''),
      'the service log above usually says why',
    );
  for (;;) {
    if (!target.isAlive()) throw exitedError();
    attempts += 1;
    const remaining = deadline - Date.now();
    try {
      await probe(Math.max(100, Math.min(remaining, MAX_ATTEMPT_MS)));
      return { attempts, elapsedMs: Date.now() - started };
    } catch (err) {
      lastError = reason(err);
    }
    if (!target.isAlive()) throw exitedError();
    const wait = Math.min(delay, deadline - Date.now());
    if (wait <= 0) break;
    await new Promise((r) => setTimeout(r, wait));
    delay = Math.min(delay * 1.5, MAX_DELAY_MS);
  }
  throw new InfraError(
    `service "${target.service}": healthcheck ${what} did not pass within ${check.timeoutMs / 1000}s ` +
      `(${attempts} attempt${attempts === 1 ? '' : 's'}); last error: ${lastError}`,
    'check that the service listens on that address and that the credentials in its env are right',
  );
}
