import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import { SpecError } from '../../errors.js';
import { STEP_METHODS, StepClients, stepMethodProblem } from './dispatch.js';

let server: Server;
let port: number;
beforeAll(async () => {
  server = createServer((_req, res) => res.end('{"hello":"world"}'));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  port = (server.address() as { port: number }).port;
});
afterAll(() => server.close());

describe('StepClients', () => {
  it('routes by protocol', async () => {
    const clients = new StepClients();
    const r = await clients.run(
      { service: 'api', iface: 'public', protocol: 'http', method: 'get', args: { path: '/' } },
      { addr: { host: '127.0.0.1', port }, env: {} },
    );
    expect(r.data).toEqual({ hello: 'world' });
    await clients.closeAll();
  });

  it('rejects a method the protocol does not have, naming the accepted ones', () => {
    const clients = new StepClients();
    const call = (): unknown =>
      clients.run({ service: 'db', iface: 'main', protocol: 'postgres', method: 'get', args: {} }, { addr: { host: '127.0.0.1', port }, env: {} });
    expect(call).toThrow(SpecError);
    expect(call).toThrow('db.main: a postgres interface has no step method "get" (accepted: query)');
    expect(stepMethodProblem('tcp', 'post')).toBe('a tcp interface has no step method "post" (accepted: send)');
    expect(stepMethodProblem('http', 'patch')).toBeUndefined();
    expect(STEP_METHODS.redis).toEqual(['command']);
  });
});
