import { describe, expect, it } from 'vitest';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer, type Server } from 'node:net';
import { InfraError, SpecError } from '../../errors.js';
import { httpProbe, normalizeHealthUrl, parseHostPort, tcpProbe, waitHealthy } from './healthcheck.js';
import { pickFreePort } from './ports.js';

const alive = { isAlive: () => true, env: {} };

function tcpServer(port: number): Promise<Server> {
  return new Promise((resolve) => {
    const s = createServer((sock) => sock.end());
    s.listen(port, '127.0.0.1', () => resolve(s));
  });
}

function httpServer(status: number): Promise<{ server: HttpServer; port: number }> {
  return new Promise((resolve) => {
    const server = createHttpServer((_req, res) => {
      res.statusCode = status;
      res.end('x');
    });
    server.listen(0, '127.0.0.1', () => resolve({ server, port: (server.address() as { port: number }).port }));
  });
}

function close(server: Server | HttpServer): Promise<void> {
  return new Promise((r) => server.close(() => r()));
}

describe('addresses', () => {
  it('parses host:port forms', () => {
    expect(parseHostPort('localhost:5432')).toEqual({ host: 'localhost', port: 5432 });
    expect(parseHostPort(':8080')).toEqual({ host: 'localhost', port: 8080 });
    expect(parseHostPort('[::1]:6379')).toEqual({ host: '::1', port: 6379 });
    expect(() => parseHostPort('localhost')).toThrow(SpecError);
    expect(() => parseHostPort('localhost:99999')).toThrow(/healthcheck address "localhost:99999" is not host:port/);
  });

  it('prepends http:// when the scheme is missing', () => {
    expect(normalizeHealthUrl('localhost:8080/health')).toBe('http://localhost:8080/health');
    expect(normalizeHealthUrl('https://x/health')).toBe('https://x/health');
  });
});

describe('probes', () => {
  it('tcp passes when something accepts, fails with the connect error otherwise', async () => {
    const port = await pickFreePort();
    await expect(tcpProbe({ host: '127.0.0.1', port }, 1000)).rejects.toThrow(/ECONNREFUSED/);
    const server = await tcpServer(port);
    await expect(tcpProbe({ host: '127.0.0.1', port }, 1000)).resolves.toBeUndefined();
    await close(server);
  });

  it('http accepts 2xx and 3xx and rejects other statuses', async () => {
    for (const [status, passes] of [[200, true], [204, true], [302, true], [404, false], [503, false]] as const) {
      const { server, port } = await httpServer(status);
      const probe = httpProbe(`127.0.0.1:${port}/health`, 1000);
      if (passes) await expect(probe).resolves.toBeUndefined();
      else await expect(probe).rejects.toThrow(`GET http://127.0.0.1:${port}/health answered ${status}`);
      await close(server);
    }
  });
});

describe('waitHealthy', () => {
  it('polls until the service starts listening', async () => {
    const port = await pickFreePort();
    let server: Server | undefined;
    setTimeout(() => void tcpServer(port).then((s) => (server = s)), 300);
    const report = await waitHealthy({ kind: 'tcp', addr: `127.0.0.1:${port}`, timeoutMs: 10_000 }, { service: 'api', ...alive });
    expect(report.attempts).toBeGreaterThan(1);
    await close(server!);
  });

  it('fails naming service, check and last error after the timeout', async () => {
    const port = await pickFreePort();
    const error = await waitHealthy({ kind: 'tcp', addr: `127.0.0.1:${port}`, timeoutMs: 400 }, { service: 'api', ...alive }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InfraError);
    expect((error as Error).message).toMatch(
      new RegExp(`^service "api": healthcheck tcp 127.0.0.1:${port} did not pass within 0.4s \\(\\d+ attempts\\); last error: connect ECONNREFUSED 127.0.0.1:${port}$`),
    );
  });

  it('gives up as soon as the service has exited, with its exit description', async () => {
    const port = await pickFreePort();
    let calls = 0;
    const error = await waitHealthy(
      { kind: 'http', url: `localhost:${port}/health`, timeoutMs: 60_000 },
      { service: 'api', env: {}, isAlive: () => ++calls < 3, describeExit: () => 'exited with code 1' },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InfraError);
    expect((error as Error).message).toBe(
      `service "api" exited before its healthcheck http GET http://localhost:${port}/health passed: exited with code 1`,
    );
  });

  it('ready on a tcp/http interface falls back to a TCP connect; without an interface it is a spec error', async () => {
    const port = await pickFreePort();
    const server = await tcpServer(port);
    await expect(
      waitHealthy({ kind: 'ready', timeoutMs: 2000 }, { service: 'api', readyOn: { protocol: 'http', addr: { host: '127.0.0.1', port } }, ...alive }),
    ).resolves.toMatchObject({ attempts: 1 });
    await close(server);
    await expect(waitHealthy({ kind: 'ready', timeoutMs: 2000 }, { service: 'api', ...alive })).rejects.toBeInstanceOf(SpecError);
  });
});
