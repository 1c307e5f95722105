// The census says which calls act on a descriptor in non-blocking mode, read from the kernel
// (/proc/<pid>/fdinfo flags), and the space then never fails those calls with EINTR or EAGAIN:
// Go's net package keeps every socket non-blocking and waits for readiness edges, so an EAGAIN
// returned while the socket is ready hangs the service for a reason the kernel cannot produce.
// Python's socketserver keeps blocking sockets, where both errnos stay meaningful.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Census } from '../src/explorer/census/census.js';
import { encodeFault } from '../src/explorer/corpus/fault-json.js';
import { enumerateSingles } from '../src/explorer/space/generate.js';
import { buildFaultSpace, resolveSpaceSettings } from '../src/explorer/space/space.js';
import { makeSandbox, runFaultbox, type Sandbox } from './fixtures/planted-tiny/harness.js';
import { REPO } from './container-env.js';

const sandboxes: Sandbox[] = [];
afterAll(() => sandboxes.forEach((s) => s.dispose()));

async function recorded(target: string): Promise<Census> {
  const sandbox = makeSandbox(`census-${target}`);
  sandboxes.push(sandbox);
  const r = await runFaultbox(sandbox, ['record', join(REPO, 'examples', 'targets', target, 'faultbox.star')]);
  expect(r.code, r.stdout + r.stderr).toBe(0);
  const dir = join(sandbox.cwd, '.faultbox');
  const file = readdirSync(dir).find((n) => n.startsWith('census-'));
  expect(file, `no census in ${dir}`).toBeDefined();
  return JSON.parse(readFileSync(join(dir, file!), 'utf8')) as Census;
}

/** Transient-errno singles of a service's socket I/O families, as "family errno@nth". */
function transientSocketSingles(census: Census, scenario: string, service: string): string[] {
  const space = buildFaultSpace(census, [scenario], resolveSpaceSettings(undefined, { services: [service], families: ['read', 'write', 'recvfrom', 'sendto'], delays: false }));
  return [...enumerateSingles(space.scenarios[0]!)]
    .map(encodeFault)
    .filter((f) => f.errno === 'EAGAIN' || f.errno === 'EINTR')
    .map((f) => `${f.syscall} ${f.errno}@${f.nth ?? 'always'}${f.path ? ` ${f.path}` : ''}`);
}

describe('the census marks calls on non-blocking descriptors', () => {
  it('a Go service: its socket reads and writes are non-blocking, so no EINTR/EAGAIN is generated for them', async () => {
    const census = await recorded('go-nth-write');
    const ledger = census.scenarios.acked_entry_reads_back!.services.ledger!;
    const socketReads = ledger.read!.sites.filter((s) => s.kind === 'socket').flatMap((s) => s.occurrences);
    expect(socketReads.length).toBeGreaterThan(0);
    expect(ledger.read!.nonblocking ?? []).toEqual(expect.arrayContaining(socketReads));
    // Its journal file writes are not sockets: O_NONBLOCK means nothing there and they are not marked.
    const fileWrites = ledger.write!.sites.filter((s) => s.kind === 'file').flatMap((s) => s.occurrences);
    expect(fileWrites.length).toBeGreaterThan(0);
    for (const o of fileWrites) expect(ledger.write!.nonblocking ?? []).not.toContain(o);
    expect(transientSocketSingles(census, 'acked_entry_reads_back', 'ledger')).toEqual([]);
  }, 120_000);

  it('a Python service: its sockets block (recv/send are recvfrom/sendto), nothing is marked, and EINTR/EAGAIN stay in the space', async () => {
    const census = await recorded('py-ack-loss');
    const scenario = Object.keys(census.scenarios)[0]!;
    const kv = census.scenarios[scenario]!.services.kv!;
    expect(kv.recvfrom!.sites.some((s) => s.kind === 'socket')).toBe(true);
    for (const family of Object.values(kv)) expect(family.nonblocking).toBeUndefined();
    expect(transientSocketSingles(census, scenario, 'kv').length).toBeGreaterThan(0);
  }, 120_000);
});
