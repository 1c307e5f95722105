// Every step's timeout= bounds the whole step, connecting included: each client is pointed at a
// real TCP server that accepts and then never says a word (the shape of a server stalled by a
// delay fault), and each step must come back ok=False soon after its timeout instead of hanging.
import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LiveAddress } from '../../spec/host.js';
import { httpStep } from './http.js';
import { PostgresClients } from './postgres.js';
import { RedisClients } from './redis.js';
import { tcpSend } from './tcp.js';

const SILENT_PORT = 19210;
const addr: LiveAddress = { host: '127.0.0.1', port: SILENT_PORT };
let server: Server;
const held: Socket[] = [];

beforeAll(async () => {
  server = createServer((s) => {
    held.push(s);
    s.on('error', () => undefined);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(SILENT_PORT, '127.0.0.1', resolve);
  });
});

afterAll(async () => {
  for (const s of held) s.destroy();
  await new Promise((r) => server.close(r));
});

/** Runs a step with a 300 ms timeout, failing the test (not hanging it) past 10 s. */
async function bounded(run: () => Promise<{ ok: boolean; error: string; durationMs: number }>): Promise<{ ok: boolean; error: string; durationMs: number }> {
  const hung = new Promise<never>((_r, reject) => setTimeout(() => reject(new Error('the step ignored its timeout=')), 10_000).unref());
  return Promise.race([run(), hung]);
}

describe('step timeout= against a server that accepts and never answers', () => {
  it('bounds a redis command, including ioredis ready check on connect', async () => {
    const clients = new RedisClients();
    const r = await bounded(() => clients.run('command', addr, {}, { command: ['GET', 'k'], timeoutMs: 300 }));
    expect(r.ok).toBe(false);
    expect(r.error).toMatch(/timed out after 300ms/);
    await clients.closeAll();
  }, 15_000);

  it('bounds a postgres query, including the startup handshake', async () => {
    const clients = new PostgresClients();
    const r = await bounded(() => clients.run('query', 'db', addr, {}, { sql: 'SELECT 1', timeoutMs: 300 }));
    expect(r.ok).toBe(false);
    expect(r.error).toMatch(/time/i);
    await clients.closeAll();
  }, 15_000);

  it('bounds an http request and a tcp send', async () => {
    const h = await bounded(() => httpStep('get', addr, { path: '/', timeoutMs: 300 }));
    expect(h).toMatchObject({ ok: false });
    expect(h.error).toMatch(/timed out after 300ms/);
    const t = await bounded(() => tcpSend(addr, { data: 'PING', timeoutMs: 300 }));
    expect(t).toMatchObject({ ok: false });
    expect(t.error).toMatch(/within 300ms/);
  }, 15_000);
});
