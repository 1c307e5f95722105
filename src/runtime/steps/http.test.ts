import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { LiveAddress } from '../../spec/host.js';
import { pickFreePort } from '../launch/ports.js';
import { HTTP_BODY_CAP_BYTES, httpStep } from './http.js';

let server: Server;
let addr: LiveAddress;

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      if (url.pathname === '/echo') {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ method: req.method, path: req.url, body, type: req.headers['content-type'] ?? null, token: req.headers['x-token'] ?? null }));
      } else if (url.pathname === '/text') res.end('  plain words \n');
      else if (url.pathname === '/status') {
        res.statusCode = Number(url.searchParams.get('code'));
        res.end('status body');
      } else if (url.pathname === '/big') res.end('y'.repeat(HTTP_BODY_CAP_BYTES + 4096));
      else if (url.pathname === '/slow') setTimeout(() => res.end('late'), 2000).unref();
      else res.end('root');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  addr = { host: '127.0.0.1', port: (server.address() as { port: number }).port };
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

describe('httpStep', () => {
  it('sends method, path, body, headers; decodes JSON into data', async () => {
    const r = await httpStep('post', addr, { path: 'echo?x=1', body: '{"k":1}', headers: { 'X-Token': 't1' } });
    expect(r.ok).toBe(true);
    expect(r.status).toBe(200);
    expect(r.error).toBe('');
    expect(r.data).toEqual({ method: 'POST', path: '/echo?x=1', body: '{"k":1}', type: 'application/json', token: 't1' });
    expect(JSON.parse(r.body)).toEqual(r.data);
    expect(r.durationMs).toBeGreaterThan(0);
  });

  it('covers every method and keeps an explicit content type', async () => {
    for (const m of ['get', 'put', 'delete', 'patch'] as const) {
      const r = await httpStep(m, addr, { path: '/echo', body: m === 'get' ? undefined : 'raw', headers: { 'content-type': 'text/x-custom' } });
      expect((r.data as { method: string }).method).toBe(m.toUpperCase());
      expect((r.data as { type: string | null }).type).toBe('text/x-custom');
    }
    const plain = await httpStep('post', addr, { path: '/echo', body: 'not json' });
    expect((plain.data as { type: string }).type).toBe('text/plain; charset=utf-8');
  });

  it('defaults the path to / and trims the body; data is undefined for non-JSON', async () => {
    expect((await httpStep('get', addr, {})).body).toBe('root');
    const r = await httpStep('get', addr, { path: '/text' });
    expect(r.body).toBe('plain words');
    expect(r.data).toBeUndefined();
  });

  it('reports the status; ok only for 2xx/3xx, and .error names any other status', async () => {
    const notFound = await httpStep('get', addr, { path: '/status?code=404' });
    expect(notFound).toMatchObject({ status: 404, ok: false, body: 'status body', error: 'HTTP 404 Not Found' });
    const redirect = await httpStep('get', addr, { path: '/status?code=302' });
    expect(redirect).toMatchObject({ status: 302, ok: true, error: '' });
    const fail = await httpStep('get', addr, { path: '/status?code=503' });
    expect(fail).toMatchObject({ status: 503, ok: false, error: 'HTTP 503 Service Unavailable' });
  });

  it('cuts bodies at 1 MiB', async () => {
    const r = await httpStep('get', addr, { path: '/big' });
    expect(r.status).toBe(200);
    expect(r.body.length).toBe(HTTP_BODY_CAP_BYTES);
  });

  it('turns a timeout into ok=false, status 0, without throwing', async () => {
    const r = await httpStep('get', addr, { path: '/slow', timeoutMs: 200 });
    expect(r).toMatchObject({ status: 0, ok: false, body: '', data: undefined });
    expect(r.error).toBe('GET /slow timed out after 200ms');
  });

  it('turns a refused connection into ok=false, status 0', async () => {
    const port = await pickFreePort();
    const r = await httpStep('get', { host: '127.0.0.1', port }, { path: '/' });
    expect(r).toMatchObject({ status: 0, ok: false });
    expect(r.error).toBe(`connect ECONNREFUSED 127.0.0.1:${port}`);
  });
});
