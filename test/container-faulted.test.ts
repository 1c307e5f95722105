// Faulted containers against the real engine: the image's own entrypoint runs under the seccomp
// shim, the listener reaches the Supervisor, and rules fail syscalls made inside the container —
// by PostgreSQL's forked backends too. A broken handoff fails loudly with the container's output.
import { readdirSync, readFileSync } from 'node:fs';
import pg from 'pg';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SyscallEvent } from '../src/spec/events.js';
import type { FaultRule } from '../src/spec/model.js';
import { InfraError } from '../src/errors.js';
import { CleanupRegistry } from '../src/runtime/launch/cleanup.js';
import { ContainerLauncher } from '../src/runtime/launch/container.js';
import { waitContainerReady } from '../src/runtime/launch/container-readiness.js';
import { connectDocker } from '../src/runtime/launch/docker-engine.js';
import { ImageResolver } from '../src/runtime/launch/image.js';
import { Supervisor } from '../src/runtime/supervisor/supervisor.js';
import { POSTGRES_IMAGE, REDIS_IMAGE, containerService, iface, prepareContainerEnvironment, removeTempDirs, tempDir } from './container-env.js';

const WRITE_FAMILY = ['write', 'writev', 'pwrite64', 'pwritev', 'pwritev2'] as const;
const DATA_DIR = '/var/lib/postgresql/data';

function seccompOf(pid: number): { mode: number; filters: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return {
    mode: Number(/^Seccomp:\s*(\d+)/m.exec(status)?.[1]),
    filters: Number(/^Seccomp_filters:\s*(\d+)/m.exec(status)?.[1]),
  };
}

/** Host pids of a process's children (PostgreSQL's backends and background workers). */
function childrenOf(pid: number): number[] {
  const kids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) kids.push(Number(entry));
    } catch {
      // exited meanwhile
    }
  }
  return kids;
}

describe('faulted containers (real Docker, real Supervisor)', () => {
  let launcher: ContainerLauncher;
  let supervisor: Supervisor;
  let cleanup: CleanupRegistry;
  const logDir = tempDir('faultbox-faulted-logs-');

  beforeAll(async () => {
    prepareContainerEnvironment();
    supervisor = await Supervisor.start();
    cleanup = new CleanupRegistry({ runsDir: tempDir('faultbox-faulted-runs-'), log: () => undefined });
    const { client } = await connectDocker();
    launcher = await ContainerLauncher.create({
      docker: client,
      images: new ImageResolver({ docker: client, logDir }),
      logDir,
      cleanup,
      supervisor,
      log: () => undefined,
    });
  });

  afterAll(async () => {
    await launcher?.close();
    await supervisor?.stop();
    const report = await cleanup?.dispose();
    expect(report?.failures ?? []).toEqual([]);
    const left = await launcher.docker.listContainers({ all: true, filters: { label: [`faultbox.run=${cleanup.runId}`] } });
    expect(left).toEqual([]);
    removeTempDirs();
  });

  it('denies PostgreSQL\'s data writes inside the container: the write fails and events name files in its data dir', async () => {
    const svc = containerService('postgres', POSTGRES_IMAGE, [iface('main', 'postgres', 5432)], {
      env: { POSTGRES_PASSWORD: 'test', POSTGRES_DB: 'testdb' },
      healthcheck: { kind: 'tcp', addr: 'localhost:5432', timeoutMs: 60_000 },
    });
    const started = performance.now();
    const db = await launcher.start({ service: svc, trapped: [...WRITE_FAMILY] });
    const report = await waitContainerReady(db);
    const readyMs = performance.now() - started;
    console.log(`postgres (fresh container, faulted: write family trapped) start-to-ready: ${readyMs.toFixed(0)} ms (${report?.attempts} probe attempts)`);

    expect(db.faulted).toBe(true);
    const info = await launcher.docker.getContainer(db.id).inspect();
    expect(info.Config.Entrypoint?.slice(0, 1)).toEqual(['/faultbox-shim']);
    expect(info.Config.Entrypoint?.slice(3)).toEqual(['--', '/usr/local/bin/docker-entrypoint.sh', 'postgres']);

    const client = new pg.Client({ ...db.address('main'), user: 'postgres', password: 'test', database: 'testdb' });
    client.on('error', () => undefined);
    await client.connect();
    await client.query('CREATE TABLE items (id int, note text)');
    await client.query("INSERT INTO items VALUES (1, 'before the fault')");

    // The postmaster and every forked process (this connection's backend included) carry our
    // filter on top of Docker's own: two filters.
    const postmaster = seccompOf(db.hostPid);
    const backends = childrenOf(db.hostPid);
    console.log(`faulted postgres: postmaster Seccomp=${postmaster.mode} Seccomp_filters=${postmaster.filters}; ${backends.length} children`);
    expect(postmaster).toEqual({ mode: 2, filters: 2 });
    expect(backends.length).toBeGreaterThan(3);
    for (const pid of backends) expect(seccompOf(pid).filters).toBe(2);

    await supervisor.drainEvents();
    const rule: FaultRule = {
      id: 'r1',
      service: 'postgres',
      keyword: 'write',
      syscalls: [...WRITE_FAMILY],
      action: { kind: 'deny', errno: 'ENOSPC' },
      trigger: {},
    };
    await supervisor.setRules('postgres', [rule], 0);
    let failure: unknown;
    try {
      await client.query("INSERT INTO items SELECT g, repeat('x', 200) FROM generate_series(2, 5000) g");
      await client.query('CHECKPOINT');
    } catch (err) {
      failure = err;
    }
    await supervisor.setRules('postgres', [], 0);
    await client.end().catch(() => undefined);

    expect(failure, 'INSERT + CHECKPOINT must fail while writes are denied').toBeInstanceOf(Error);
    console.log(`failure seen by the client: ${(failure as Error).message}`);
    const events = (await supervisor.drainEvents()).filter((e): e is SyscallEvent => e.type === 'syscall');
    const denied = events.filter((e) => e.service === 'postgres' && e.decision === 'deny' && e.errno === 'ENOSPC');
    const deniedPwrites = denied.filter((e) => e.syscall === 'pwrite64');
    console.log(`denied calls: ${denied.length}; sample:\n${deniedPwrites.slice(0, 3).map((e) => `  #${e.seq} pid ${e.pid} ${e.syscall} ${e.path}`).join('\n')}`);
    expect(deniedPwrites.length).toBeGreaterThan(0);
    // The paths are PostgreSQL's files inside the container (WAL or relation files), resolved
    // from the host through /proc: the events come from the container's processes.
    expect(deniedPwrites.some((e) => e.path?.startsWith(`${DATA_DIR}/`))).toBe(true);
    // Denied in this connection's backend, a process the postmaster forked after the handoff.
    expect(backends).toContain(deniedPwrites[0]!.pid);
    // (PostgreSQL's own complaint cannot reach its log: its stderr writes were denied too.)
    await db.stop();
  });

  it('runs a non-root image (redis user) faulted: the shim reaches the socket and the server answers', async () => {
    const svc = containerService('cache', REDIS_IMAGE, [iface('main', 'redis', 6379)]);
    const cache = await launcher.start({ service: svc, trapped: ['connect', 'accept', 'accept4'] });
    await waitContainerReady(cache);
    const info = await launcher.docker.getContainer(cache.id).inspect();
    expect(info.Config.User).toBe('redis');
    expect(readFileSync(`/proc/${cache.hostPid}/status`, 'utf8')).toMatch(/^Uid:\s+(\d+)/m);
    expect(Number(/^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${cache.hostPid}/status`, 'utf8'))?.[1])).not.toBe(0);
    expect(seccompOf(cache.hostPid).filters).toBe(2);

    await supervisor.drainEvents();
    const client = new Redis({ ...cache.address('main'), lazyConnect: true, maxRetriesPerRequest: 0 });
    await client.connect();
    try {
      expect(await client.ping()).toBe('PONG');
    } finally {
      client.disconnect();
    }
    // Observed without a rule: redis's accept of our connection went through the supervisor.
    await supervisor.setRecording('cache', true);
    const again = new Redis({ ...cache.address('main'), lazyConnect: true, maxRetriesPerRequest: 0 });
    await again.connect();
    expect(await again.ping()).toBe('PONG');
    again.disconnect();
    const events = (await supervisor.drainEvents()).filter((e): e is SyscallEvent => e.type === 'syscall' && e.service === 'cache');
    expect(events.some((e) => e.syscall === 'accept' || e.syscall === 'accept4')).toBe(true);
    await cache.stop();
  });

  it('fails loudly, with the container output, when the shim cannot start the program — never an unfaulted fallback', async () => {
    const svc = containerService('broken', REDIS_IMAGE, [], { args: ['/no/such/server', '--flag'] });
    const err = await launcher.start({ service: svc, trapped: ['write'] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InfraError);
    const message = (err as InfraError).message;
    console.log(message);
    expect(message).toContain('seccomp handoff with container');
    expect(message).toContain('/no/such/server');
    expect(message).toMatch(/faultbox-shim: cannot execute \/no\/such\/server/);
    expect(launcher.get('broken')).toBeUndefined();
    const left = await launcher.docker.listContainers({ all: true, filters: { label: ['faultbox.service=broken'] } });
    expect(left).toEqual([]);
  });
});
