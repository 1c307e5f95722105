// Local ports: waiting until declared ones are free before a test starts its services, naming who
// holds a busy one, and picking a free one.
import { createServer } from 'node:net';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { InfraError } from '../../errors.js';

export const DEFAULT_PORT_WAIT_MS = 10_000;

function tryBind(host: string, port: number): Promise<'free' | 'busy' | 'unsupported'> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE' || err.code === 'EACCES') resolve('busy');
      else resolve('unsupported'); // e.g. no IPv6 loopback on this machine
    });
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve('free')));
  });
}

/** Free = a service could bind it on the IPv4 and (when present) the IPv6 loopback. */
export async function isPortFree(port: number): Promise<boolean> {
  if ((await tryBind('127.0.0.1', port)) === 'busy') return false;
  return (await tryBind('::1', port)) !== 'busy';
}

/** A port that was free a moment ago (the kernel picked it); for tests and ports = {x: 0}. */
export function pickFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: 0, exclusive: true }, () => {
      const address = server.address();
      server.close(() => (address && typeof address === 'object' ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Who listens on a TCP port, as "pid 123 (postgres)" strings; best effort from /proc. */
export function portHolders(port: number): string[] {
  const inodes = new Set<string>();
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      // cols[1] = local addr:port (hex), cols[3] = state (0A = LISTEN), cols[9] = inode
      if (cols.length > 9 && cols[1]!.endsWith(`:${hexPort}`) && cols[3] === '0A') inodes.add(cols[9]!);
    }
  }
  if (inodes.size === 0) return [];
  const holders: string[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${entry}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      let target: string;
      try {
        target = readlinkSync(`/proc/${entry}/fd/${fd}`);
      } catch {
        continue;
      }
      const m = /^socket:\[(\d+)\]$/.exec(target);
      if (m && inodes.has(m[1]!)) {
        let comm = '?';
        try {
          comm = readFileSync(`/proc/${entry}/comm`, 'utf8').trim();
        } catch {
          // raced with its exit
        }
        holders.push(`pid ${entry} (${comm})`);
        break;
      }
    }
  }
  return holders;
}

/**
 * Resolves once every port is free on localhost; an InfraError after timeoutMs names the busy
 * ports and their holders (a leftover server from an earlier run, usually).
 */
export async function waitPortsFree(ports: readonly number[], timeoutMs = DEFAULT_PORT_WAIT_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let busy: number[] = [...new Set(ports)];
  for (;;) {
    const still: number[] = [];
    for (const port of busy) if (!(await isPortFree(port))) still.push(port);
    busy = still;
    if (busy.length === 0) return;
    if (Date.now() >= deadline) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const described = busy.map((p) => {
    const who = portHolders(p);
    return who.length > 0 ? `${p} (held by ${who.join(', ')})` : `${p}`;
  });
  throw new InfraError(
    `port${busy.length > 1 ? 's' : ''} ${described.join(', ')} still in use on localhost after ${timeoutMs / 1000}s`,
    'stop whatever listens there (a system service or a leftover from an earlier run), or change the port in the spec',
  );
}
