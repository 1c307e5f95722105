import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server, type Socket } from 'node:net';
import type { LiveAddress } from '../../spec/host.js';
import { pickFreePort } from '../launch/ports.js';
import { tcpSend } from './tcp.js';

let server: Server;
let addr: LiveAddress;
const sockets = new Set<Socket>();

beforeAll(async () => {
  // Answers the first line: "upper <text>" → TEXT; "json" → a JSON line; "close" → hangs up; "mute" → silence.
  server = createServer((sock) => {
    sockets.add(sock);
    sock.on('close', () => sockets.delete(sock));
    let buf = '';
    sock.on('data', (c: Buffer) => {
      buf += c.toString();
      const nl = buf.indexOf('\n');
      if (nl < 0) return;
      const line = buf.slice(0, nl);
      if (line.startsWith('upper ')) sock.write(`${line.slice(6).toUpperCase()}\r\nextra line\n`);
      else if (line === 'json') sock.write('{"n":3}\n');
      else if (line === 'close') sock.end();
      else if (line === 'partial') sock.end('no newline');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  addr = { host: '127.0.0.1', port: (server.address() as { port: number }).port };
});
afterAll(() => {
  for (const s of sockets) s.destroy();
  server.close();
});

describe('tcpSend', () => {
  it('sends one line and returns the first line of the reply', async () => {
    const r = await tcpSend(addr, { data: 'upper hello' });
    expect(r).toMatchObject({ status: 200, ok: true, body: 'HELLO', error: '', data: undefined });
  });

  it('decodes a JSON reply line into data', async () => {
    expect((await tcpSend(addr, { data: 'json\n' })).data).toEqual({ n: 3 });
  });

  it('accepts a final line without newline at EOF', async () => {
    expect(await tcpSend(addr, { data: 'partial' })).toMatchObject({ ok: true, body: 'no newline' });
  });

  it('fails without throwing when the peer closes without a reply, is silent, or is absent', async () => {
    const closed = await tcpSend(addr, { data: 'close' });
    expect(closed).toMatchObject({ ok: false, status: 0, error: `connection to 127.0.0.1:${addr.port} closed before a reply line` });
    const silent = await tcpSend(addr, { data: 'mute', timeoutMs: 200 });
    expect(silent).toMatchObject({ ok: false, status: 0, error: `no reply line from 127.0.0.1:${addr.port} within 200ms` });
    const port = await pickFreePort();
    const refused = await tcpSend({ host: '127.0.0.1', port }, { data: 'x' });
    expect(refused).toMatchObject({ ok: false, status: 0, error: `connect ECONNREFUSED 127.0.0.1:${port}` });
  });
});
