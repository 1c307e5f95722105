// Unfaulted container services against the real engine and the local images: PostgreSQL answers a
// real query through its published port, Redis answers commands, a built `api` reaches Redis by
// its name on the run's network, and an unfaulted container carries no faultbox filter.
import { chmodSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CleanupRegistry } from '../src/runtime/launch/cleanup.js';
import { ContainerLauncher } from '../src/runtime/launch/container.js';
import { containerReadiness, waitContainerReady } from '../src/runtime/launch/container-readiness.js';
import { tcpProbe } from '../src/runtime/launch/healthcheck.js';
import { createServer } from 'node:net';
import { InfraError } from '../src/errors.js';
import { ImageResolver, parseImageMap } from '../src/runtime/launch/image.js';
import { connectDocker } from '../src/runtime/launch/docker-engine.js';
import { POSTGRES_IMAGE, REDIS_IMAGE, REPO, containerService, iface, prepareContainerEnvironment, removeTempDirs, tempDir } from './container-env.js';

function seccompStatus(pid: number): { mode: number; filters: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return {
    mode: Number(/^Seccomp:\s*(\d+)/m.exec(status)?.[1]),
    filters: Number(/^Seccomp_filters:\s*(\d+)/m.exec(status)?.[1]),
  };
}

describe('container services (real Docker)', () => {
  let launcher: ContainerLauncher;
  let cleanup: CleanupRegistry;
  const logDir = tempDir('faultbox-ctr-logs-');

  beforeAll(async () => {
    prepareContainerEnvironment();
    cleanup = new CleanupRegistry({ runsDir: tempDir('faultbox-ctr-runs-'), log: () => undefined });
    const { client } = await connectDocker();
    const images = new ImageResolver({ docker: client, logDir, imageMap: parseImageMap(['node:20-slim=faultbox-local/node:20'], '') });
    launcher = await ContainerLauncher.create({ docker: client, images, logDir, cleanup, log: () => undefined });
  });

  afterAll(async () => {
    await launcher?.close();
    const report = await cleanup?.dispose();
    expect(report?.failures ?? []).toEqual([]);
    const left = await launcher.docker.listContainers({ all: true, filters: { label: [`faultbox.run=${cleanup.runId}`] } });
    expect(left).toEqual([]);
    // The api image this test built (a real run keeps it as a cache).
    await launcher.docker.getImage('faultbox-api:latest').remove({ force: true }).catch(() => undefined);
    removeTempDirs();
  });

  it('runs PostgreSQL and answers a real query from the host through the published port', async () => {
    const svc = containerService('postgres', POSTGRES_IMAGE, [iface('main', 'postgres', 5432)], {
      env: { POSTGRES_PASSWORD: 'test', POSTGRES_DB: 'testdb' },
      healthcheck: { kind: 'tcp', addr: 'localhost:5432', timeoutMs: 60_000 },
    });
    const started = performance.now();
    const pgc = await launcher.start({ service: svc });
    // Docker's port proxy accepts a TCP connection whether or not anything listens inside, so the
    // declared tcp() check is replaced by the protocol-aware one for a postgres interface.
    await tcpProbe(pgc.address('main'), 1000);
    expect(containerReadiness(pgc)?.check).toEqual({ kind: 'ready', timeoutMs: 60_000 });
    const report = await waitContainerReady(pgc);
    const readyMs = performance.now() - started;
    console.log(`postgres (fresh container, unfaulted) start-to-ready: ${readyMs.toFixed(0)} ms (${report?.attempts} probe attempts)`);

    expect(pgc.name).toBe(`faultbox-${cleanup.runId}-postgres`);
    const addr = pgc.address('main');
    expect(addr.host).toBe('127.0.0.1');
    expect(addr.port).not.toBe(5432);
    const client = new pg.Client({ host: addr.host, port: addr.port, user: 'postgres', password: 'test', database: 'testdb' });
    await client.connect();
    try {
      const r = await client.query('SELECT current_database() AS db, 6 * 7 AS answer');
      expect(r.rows).toEqual([{ db: 'testdb', answer: 42 }]);
    } finally {
      await client.end();
    }
    // Unfaulted: only Docker's own profile filter, not ours.
    expect(pgc.faulted).toBe(false);
    const seccomp = seccompStatus(pgc.hostPid);
    console.log(`unfaulted postgres: Seccomp=${seccomp.mode} Seccomp_filters=${seccomp.filters}`);
    expect(seccomp.filters).toBe(1);

    const info = await launcher.docker.getContainer(pgc.id).inspect();
    expect(info.Config.Labels).toMatchObject({ faultbox: '1', 'faultbox.run': cleanup.runId, 'faultbox.pid': String(process.pid) });
    expect(info.Config.Entrypoint).toEqual(['/usr/local/bin/docker-entrypoint.sh']);
    await pgc.stop();
    await expect(launcher.docker.getContainer(pgc.id).inspect()).rejects.toMatchObject({ statusCode: 404 });
    expect(readFileSync(pgc.log.path, 'utf8')).toContain('database system is ready to accept connections');
  });

  it('runs Redis with args replacing CMD, a volume relative to the spec dir, and a random host port', async () => {
    const specDir = tempDir('faultbox-ctr-spec-');
    mkdirSync(join(specDir, 'redis-data'));
    chmodSync(join(specDir, 'redis-data'), 0o777); // the image runs as the redis user
    const svc = containerService('cache', REDIS_IMAGE, [iface('main', 'redis', 6379)], {
      args: ['redis-server', '--protected-mode', 'no', '--maxmemory', '7mb', '--dir', '/data'],
      ports: { 6379: 0 },
      volumes: { './redis-data': '/data' },
      baseDir: specDir,
    });
    const cache = await launcher.start({ service: svc });
    await waitContainerReady(cache);
    const client = new Redis({ host: '127.0.0.1', port: cache.hostPort('main'), lazyConnect: true, maxRetriesPerRequest: 0 });
    await client.connect();
    try {
      await client.set('k', 'v');
      expect(await client.get('k')).toBe('v');
      const maxmemory = (await client.config('GET', 'maxmemory')) as string[];
      expect(maxmemory[1]).toBe(String(7 * 1024 * 1024));
      expect(await client.save()).toBe('OK');
      expect(existsSync(join(specDir, 'redis-data', 'dump.rdb'))).toBe(true);
    } finally {
      client.disconnect();
    }
  });

  it('builds an api from its Dockerfile and reaches the cache container by name on the run network', async () => {
    const api = containerService('api', 'unused', [iface('public', 'http', 8080)], {
      env: { CACHE_ADDR: launcher.get('cache')!.internalAddr('main') },
      healthcheck: { kind: 'http', url: 'localhost:8080/health', timeoutMs: 30_000 },
    });
    const built = { ...api, source: { kind: 'build' as const, context: join('test', 'fixtures', 'container-api') }, baseDir: REPO };
    const running = await launcher.start({ service: built });
    expect(running.image.ref).toBe('faultbox-api:latest');
    expect(readFileSync(join(logDir, 'build-api.log'), 'utf8')).toContain('node:20-slim → faultbox-local/node:20');
    await waitContainerReady(running);
    const res = await fetch(`http://127.0.0.1:${running.hostPort('public')}/cache-ping`);
    expect(await res.json()).toEqual({ reply: '+PONG' });
    expect(running.internalAddr('public')).toBe('api:8080');
  });

  it('a second run at once gets a network of its own: its `cache` is never the answer to the first run’s name', async () => {
    const otherCleanup = new CleanupRegistry({ runsDir: tempDir('faultbox-ctr-runs2-'), log: () => undefined });
    const other = await ContainerLauncher.create({ docker: launcher.docker, images: new ImageResolver({ docker: launcher.docker, logDir }), logDir, cleanup: otherCleanup, log: () => undefined });
    try {
      // Same service name; a password makes a PING that reached it answer NOAUTH instead of PONG.
      const rival = containerService('cache', REDIS_IMAGE, [iface('main', 'tcp', 6379)], { args: ['redis-server', '--requirepass', 'other-run'] });
      await waitContainerReady(await other.start({ service: rival }));
      expect(other.network).not.toBe(launcher.network);
      const api = launcher.get('api')!;
      for (let i = 0; i < 6; i++) {
        const res = await fetch(`http://127.0.0.1:${api.hostPort('public')}/cache-ping`);
        expect(await res.json()).toEqual({ reply: '+PONG' });
      }
    } finally {
      await other.close();
      await otherCleanup.dispose();
    }
    expect((await launcher.docker.listNetworks({ filters: { name: [other.network] } })).length).toBe(0);
  });

  it('keeps a reuse=True service across tests and removes the others at the end of a test', async () => {
    // Declared as plain tcp: readiness connects to the container's own address on the bridge.
    const session = containerService('session', REDIS_IMAGE, [iface('main', 'tcp', 6379)], { reuse: true });
    const kept = await launcher.start({ service: session });
    expect(kept.ipAddress).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(containerReadiness(kept)?.check).toEqual({ kind: 'tcp', addr: `${kept.ipAddress}:6379`, timeoutMs: 60_000 });
    await waitContainerReady(kept);
    const api = launcher.get('api')!;
    await launcher.endTest();
    expect(launcher.get('api')).toBeUndefined();
    await expect(launcher.docker.getContainer(api.id).inspect()).rejects.toMatchObject({ statusCode: 404 });
    expect((await launcher.docker.getContainer(kept.id).inspect()).State.Running).toBe(true);
    // The next test's start of the same unfaulted service gets the same container back.
    const again = await launcher.start({ service: session });
    expect(again).toBe(kept);
  });

  it('fails with the port named when a fixed host port is taken, and leaves no container behind', async () => {
    const holder = createServer();
    await new Promise<void>((r) => holder.listen(0, '127.0.0.1', () => r()));
    const taken = (holder.address() as { port: number }).port;
    try {
      const svc = containerService('fixed', REDIS_IMAGE, [iface('main', 'redis', 6379)], { ports: { 6379: taken } });
      const err = await launcher.start({ service: svc }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(InfraError);
      expect((err as InfraError).message).toContain(`127.0.0.1:${taken}`);
      expect((err as InfraError).hint).toContain('ports=');
      const left = await launcher.docker.listContainers({ all: true, filters: { label: ['faultbox.service=fixed'] } });
      expect(left).toEqual([]);
    } finally {
      holder.close();
    }
  });
});
