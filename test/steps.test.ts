// End-to-end: the step clients against real services — a node HTTP/TCP server, PostgreSQL and
// Redis — all started through the ProcessLauncher. Missing servers fail these tests.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Protocol } from '../src/spec/model.js';
import type { LiveAddress, StepArgs } from '../src/spec/host.js';
import { CleanupRegistry } from '../src/runtime/launch/cleanup.js';
import { waitHealthy } from '../src/runtime/launch/healthcheck.js';
import { pickFreePort } from '../src/runtime/launch/ports.js';
import { ProcessLauncher } from '../src/runtime/launch/process.js';
import { StepClients } from '../src/runtime/steps/dispatch.js';
import { startPostgres, type PostgresServer } from './fixtures/real-servers/postgres.js';
import { startRedis, type RedisServer } from './fixtures/real-servers/redis.js';

let base: string;
let cleanup: CleanupRegistry;
let launcher: ProcessLauncher;

beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'faultbox-steps-e2e-'));
  cleanup = new CleanupRegistry({ runsDir: join(base, 'runs'), log: () => {} });
  launcher = new ProcessLauncher({ logDir: join(base, 'logs'), cleanup });
});
afterAll(async () => {
  const report = await cleanup.dispose();
  rmSync(base, { recursive: true, force: true });
  expect(report.failures).toEqual([]);
});

function stepper(clients: StepClients, service: string, protocol: Protocol, addr: LiveAddress, env: Record<string, string> = {}) {
  return (method: string, args: StepArgs) => clients.run({ service, iface: 'main', protocol, method, args }, { addr, env });
}

describe('http and tcp steps against a node service', () => {
  it('answers, and turns a stopped service into ok=false status 0 without throwing', async () => {
    const httpPort = await pickFreePort();
    const tcpPort = await pickFreePort();
    const proc = await launcher.start({
      service: 'echo',
      binary: process.execPath,
      baseDir: join(import.meta.dirname, 'fixtures/real-servers'),
      args: ['echo-server.mjs', String(httpPort), String(tcpPort)],
    });
    const alive = { service: 'echo', env: {}, isAlive: () => proc.isAlive() };
    await waitHealthy({ kind: 'http', url: `127.0.0.1:${httpPort}/health`, timeoutMs: 10_000 }, alive);
    await waitHealthy({ kind: 'tcp', addr: `127.0.0.1:${tcpPort}`, timeoutMs: 10_000 }, alive);
    expect(proc.logTail()).toBe(`echo-server listening http=${httpPort} tcp=${tcpPort}`);

    const clients = new StepClients();
    const http = stepper(clients, 'echo', 'http', { host: '127.0.0.1', port: httpPort });
    const tcp = stepper(clients, 'echo', 'tcp', { host: '127.0.0.1', port: tcpPort });
    expect(await http('get', { path: '/json' })).toMatchObject({ status: 200, ok: true, data: { service: 'echo' } });
    const posted = await http('post', { path: '/orders', body: '{"qty":2}' });
    expect(posted.data).toEqual({ method: 'POST', url: '/orders', body: '{"qty":2}' });
    expect(await tcp('send', { data: 'ping me' })).toMatchObject({ ok: true, status: 200, body: 'PING ME' });

    await proc.stop();
    const refused = await http('get', { path: '/json' });
    expect(refused).toMatchObject({ status: 0, ok: false, error: `connect ECONNREFUSED 127.0.0.1:${httpPort}` });
    expect(await tcp('send', { data: 'x' })).toMatchObject({ status: 0, ok: false, error: `connect ECONNREFUSED 127.0.0.1:${tcpPort}` });
    await clients.closeAll();
  });
});

describe('postgres steps', () => {
  let pg: PostgresServer;
  beforeAll(async () => {
    pg = await startPostgres(launcher, cleanup, { password: 'step-secret' });
    await waitHealthy(
      { kind: 'ready', timeoutMs: 30_000 },
      { service: 'db', readyOn: { protocol: 'postgres', addr: pg.addr }, env: pg.env, isAlive: () => pg.proc.isAlive() },
    );
  });

  it('runs statements with params and returns rows as plain objects', async () => {
    const clients = new StepClients();
    const query = stepper(clients, 'db', 'postgres', pg.addr, pg.env);
    expect(await query('query', { sql: 'CREATE TABLE items (id int PRIMARY KEY, name text, price numeric, big bigint)' })).toMatchObject({
      ok: true,
      status: 200,
      data: [],
    });
    const insert = await query('query', { sql: 'INSERT INTO items VALUES ($1, $2, $3, $4), (2, $5, 1.5, 9007199254740993) RETURNING id', params: [1, 'apple', '0.25', null, 'pear'] });
    expect(insert.data).toEqual([{ id: 1 }, { id: 2 }]);
    const select = await query('query', { sql: 'SELECT id, name, price, big FROM items ORDER BY id' });
    expect(select).toMatchObject({ ok: true, status: 200, error: '' });
    expect(select.data).toEqual([
      { id: 1, name: 'apple', price: '0.25', big: null },
      { id: 2, name: 'pear', price: '1.5', big: '9007199254740993' },
    ]);
    expect(JSON.parse(select.body)).toEqual(select.data);
    expect(Object.getPrototypeOf((select.data as object[])[0])).toBe(Object.prototype);
    await clients.closeAll();
  });

  it('reports SQL errors as ok=false with the SQLSTATE, and keeps using the same session', async () => {
    const clients = new StepClients();
    const query = stepper(clients, 'db', 'postgres', pg.addr, pg.env);
    const before = await query('query', { sql: 'SELECT pg_backend_pid() AS pid' });
    const bad = await query('query', { sql: 'SELECT * FROM no_such_table' });
    expect(bad).toMatchObject({ ok: false, status: 0, data: undefined, error: 'relation "no_such_table" does not exist (SQLSTATE 42P01)' });
    const dup = await query('query', { sql: 'SELECT 1/0' });
    expect(dup.error).toBe('division by zero (SQLSTATE 22012)');
    const after = await query('query', { sql: 'SELECT pg_backend_pid() AS pid' });
    expect(after.data).toEqual(before.data); // one connection per (service, address) within a test
    await clients.closeAll();
    const fresh = new StepClients();
    const again = await stepper(fresh, 'db', 'postgres', pg.addr, pg.env)('query', { sql: 'SELECT pg_backend_pid() AS pid' });
    expect(again.data).not.toEqual(before.data); // closeAll really closed it
    await fresh.closeAll();
  });

  it('reports bad credentials and a missing sql= as failed steps', async () => {
    const clients = new StepClients();
    const wrong = await stepper(clients, 'db', 'postgres', pg.addr, { ...pg.env, POSTGRES_PASSWORD: 'nope' })('query', { sql: 'SELECT 1' });
    expect(wrong).toMatchObject({ ok: false, status: 0, error: 'password authentication failed for user "faultbox" (SQLSTATE 28P01)' });
    const missing = await stepper(clients, 'db', 'postgres', pg.addr, pg.env)('query', {});
    expect(missing).toMatchObject({ ok: false, error: 'query: sql= is required' });
    await clients.closeAll();
  });

  it('a server killed under an open connection gives failed steps, not exceptions', async () => {
    const clients = new StepClients();
    const query = stepper(clients, 'db', 'postgres', pg.addr, pg.env);
    expect((await query('query', { sql: 'SELECT 1 AS one' })).data).toEqual([{ one: 1 }]);
    await pg.proc.stop(); // the pooled connection is now dead
    const r1 = await query('query', { sql: 'SELECT 1 AS one' });
    expect(r1.ok).toBe(false);
    expect(r1.status).toBe(0);
    expect(r1.error).not.toBe('');
    const r2 = await query('query', { sql: 'SELECT 1 AS one', timeoutMs: 5000 });
    expect(r2).toMatchObject({ ok: false, error: `connect ECONNREFUSED 127.0.0.1:${pg.addr.port}` });
    await clients.closeAll();
  });
});

describe('redis steps', () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await startRedis(launcher, cleanup, { password: 'redis-pass' });
    await waitHealthy(
      { kind: 'ready', timeoutMs: 30_000 },
      { service: 'cache', readyOn: { protocol: 'redis', addr: redis.addr }, env: redis.env, isAlive: () => redis.proc.isAlive() },
    );
  });

  it('runs commands with AUTH from the env and returns replies as data', async () => {
    const clients = new StepClients();
    const cmd = (...command: string[]) => stepper(clients, 'cache', 'redis', redis.addr, redis.env)('command', { command });
    expect(await cmd('SET', 'greeting', 'hello')).toMatchObject({ ok: true, status: 200, data: 'OK', body: 'OK' });
    expect(await cmd('GET', 'greeting')).toMatchObject({ data: 'hello', body: 'hello' });
    expect(await cmd('INCR', 'counter')).toMatchObject({ data: 1, body: '1' });
    await cmd('RPUSH', 'list', 'a', 'b');
    expect(await cmd('LRANGE', 'list', '0', '-1')).toMatchObject({ data: ['a', 'b'], body: '["a","b"]' });
    expect(await cmd('GET', 'missing')).toMatchObject({ ok: true, data: null, body: '' });
    const wrongType = await cmd('INCR', 'list');
    expect(wrongType).toMatchObject({ ok: false, status: 0 });
    expect(wrongType.error).toMatch(/^WRONGTYPE /);
    const first = await cmd('CLIENT', 'ID');
    expect((await cmd('CLIENT', 'ID')).data).toBe(first.data); // one client per address
    expect(await stepper(clients, 'cache', 'redis', redis.addr, redis.env)('command', { command: [] })).toMatchObject({ ok: false });
    await clients.closeAll();
  });

  it('reports a wrong password with the server reason', async () => {
    const clients = new StepClients();
    const r = await stepper(clients, 'cache', 'redis', redis.addr, { REDIS_PASSWORD: 'nope' })('command', { command: ['PING'] });
    expect(r.ok).toBe(false);
    expect(r.error).toMatch(/^WRONGPASS /);
    await clients.closeAll();
  });

  it('a dead server gives an error promptly instead of a queued command', async () => {
    const clients = new StepClients();
    const cmd = (...command: string[]) => stepper(clients, 'cache', 'redis', redis.addr, redis.env)('command', { command, timeoutMs: 30_000 });
    expect((await cmd('PING')).data).toBe('PONG');
    await redis.proc.stop();
    const r1 = await cmd('PING');
    expect(r1).toMatchObject({ ok: false, status: 0 });
    expect(r1.durationMs).toBeLessThan(5000); // far below the 30 s step timeout: no offline queue
    const r2 = await cmd('PING');
    expect(r2).toMatchObject({ ok: false, error: `connect ECONNREFUSED 127.0.0.1:${redis.addr.port}` });
    await clients.closeAll();
  });
});
