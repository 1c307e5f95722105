import { describe, expect, it } from 'vitest';
import { AF_INET, AF_INET6, AF_UNIX, decodeSockaddr, formatIpv6 } from './sockaddr.js';

function inet(a: number[], port: number): Buffer {
  const b = Buffer.alloc(16);
  b.writeUInt16LE(AF_INET, 0);
  b.writeUInt16BE(port, 2);
  Buffer.from(a).copy(b, 4);
  return b;
}

function inet6(text: string, port: number, scope = 0): Buffer {
  const b = Buffer.alloc(28);
  b.writeUInt16LE(AF_INET6, 0);
  b.writeUInt16BE(port, 2);
  // Expand `::` by hand; inputs here are simple.
  const [h, t] = text.split('::');
  const head = h ? h.split(':') : [];
  const tail = t ? t.split(':') : [];
  const groups = [...head, ...new Array(8 - head.length - tail.length).fill('0'), ...tail];
  groups.forEach((g, i) => b.writeUInt16BE(parseInt(g, 16), 8 + 2 * i));
  b.writeUInt32LE(scope, 24);
  return b;
}

function unix(path: string, abstract = false): { buf: Buffer; len: number } {
  const b = Buffer.alloc(110);
  b.writeUInt16LE(AF_UNIX, 0);
  const bytes = Buffer.from(path);
  if (abstract) {
    bytes.copy(b, 3);
    return { buf: b, len: 3 + bytes.length };
  }
  bytes.copy(b, 2);
  return { buf: b, len: 2 + bytes.length + 1 };
}

describe('decodeSockaddr', () => {
  it('decodes IPv4 address and big-endian port', () => {
    expect(decodeSockaddr(inet([127, 0, 0, 1], 5432), 16)).toBe('127.0.0.1:5432');
    expect(decodeSockaddr(inet([10, 1, 2, 254], 65535), 16)).toBe('10.1.2.254:65535');
  });

  it('decodes IPv6 with RFC 5952 compression and a scope id', () => {
    expect(decodeSockaddr(inet6('::1', 6379), 28)).toBe('[::1]:6379');
    expect(decodeSockaddr(inet6('fe80::1', 80, 2), 28)).toBe('[fe80::1%2]:80');
    expect(decodeSockaddr(inet6('2001:db8:0:0:1:0:0:1', 443), 28)).toBe('[2001:db8::1:0:0:1]:443');
    expect(decodeSockaddr(inet6('::', 1), 28)).toBe('[::]:1');
  });

  it('prints IPv4-mapped IPv6 addresses dotted', () => {
    expect(decodeSockaddr(inet6('::ffff:7f00:1', 8080), 28)).toBe('[::ffff:127.0.0.1]:8080');
  });

  it('decodes path, abstract and unnamed unix sockets', () => {
    const p = unix('/run/pg/.s.PGSQL.5432');
    expect(decodeSockaddr(p.buf, p.len)).toBe('unix:/run/pg/.s.PGSQL.5432');
    const a = unix('faultbox\u0001', true);
    expect(decodeSockaddr(a.buf, a.len)).toBe('unix:@faultbox\\x01');
    expect(decodeSockaddr(p.buf, 2)).toBe('unix:');
  });

  it('stops at the addrlen the target gave, and rejects truncated addresses', () => {
    const p = unix('/tmp/sock');
    expect(decodeSockaddr(p.buf, 2 + 4)).toBe('unix:/tmp');
    expect(decodeSockaddr(inet([1, 2, 3, 4], 1), 7)).toBeUndefined();
    expect(decodeSockaddr(inet6('::1', 1), 20)).toBeUndefined();
    expect(decodeSockaddr(Buffer.from([2]), 1)).toBeUndefined();
  });

  it('names families it does not decode', () => {
    const b = Buffer.alloc(16);
    b.writeUInt16LE(16, 0); // AF_NETLINK
    expect(decodeSockaddr(b, 12)).toBe('family16:');
  });

  it('keeps a lone zero group uncompressed', () => {
    const b = inet6('1:0:2:3:4:5:6:7', 0);
    expect(formatIpv6(b, 8)).toBe('1:0:2:3:4:5:6:7');
  });
});
