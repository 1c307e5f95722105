import { describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:net';
import { InfraError } from '../../errors.js';
import { isPortFree, pickFreePort, portHolders, waitPortsFree } from './ports.js';

function listen(port: number, host = '127.0.0.1'): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}

describe('ports', () => {
  it('picks a port that can be bound', async () => {
    const port = await pickFreePort();
    expect(port).toBeGreaterThan(0);
    const server = await listen(port);
    server.close();
  });

  it('sees a listener on the loopback or on the wildcard address as busy', async () => {
    for (const host of ['127.0.0.1', '0.0.0.0']) {
      const port = await pickFreePort();
      expect(await isPortFree(port)).toBe(true);
      const server = await listen(port, host);
      expect(await isPortFree(port)).toBe(false);
      await new Promise((r) => server.close(r));
      expect(await isPortFree(port)).toBe(true);
    }
  });

  it('names the process that holds a port', async () => {
    const port = await pickFreePort();
    const server = await listen(port);
    try {
      expect(portHolders(port)[0]).toMatch(new RegExp(`^pid ${process.pid} \\(`));
    } finally {
      server.close();
    }
  });

  it('waits until a busy port is released', async () => {
    const port = await pickFreePort();
    const server = await listen(port);
    setTimeout(() => server.close(), 300);
    await waitPortsFree([port], 10_000);
    expect(await isPortFree(port)).toBe(true);
  });

  it('fails with an InfraError naming the busy port and its holder', async () => {
    const port = await pickFreePort();
    const server = await listen(port);
    try {
      const error = await waitPortsFree([port], 300).then(
        () => undefined,
        (err: unknown) => err,
      );
      expect(error).toBeInstanceOf(InfraError);
      expect((error as Error).message).toMatch(new RegExp(`^port ${port} \\(held by pid ${process.pid} \\(.+\\)\\) still in use on localhost after 0.3s$`));
    } finally {
      server.close();
    }
  });
});
