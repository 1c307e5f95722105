// A faultbox run SIGKILLed mid-run leaves its container and network behind; the next run's
// launcher removes them when it starts (their faultbox.pid is dead), and leaves live runs alone.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CleanupRegistry } from '../src/runtime/launch/cleanup.js';
import { ContainerLauncher } from '../src/runtime/launch/container.js';
import { connectDocker } from '../src/runtime/launch/docker-engine.js';
import { ImageResolver } from '../src/runtime/launch/image.js';
import { REPO, REDIS_IMAGE, containerService, iface, prepareContainerEnvironment, removeTempDirs, tempDir } from './container-env.js';

interface ChildReport {
  container: string;
  network: string;
  runId: string;
  pid: number;
}

/** Runs test/container-crash-child.ts (a faultbox-like process) until it reports its container. */
async function startChild(hooks = false): Promise<{ child: ChildProcess; report: ChildReport }> {
  const args = [join(REPO, 'test', 'container-crash-child.ts'), tempDir('faultbox-crash-runs-'), tempDir('faultbox-crash-logs-')];
  if (hooks) args.push('--hooks');
  const child = spawn(join(REPO, 'node_modules', '.bin', 'vite-node'), args, { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const report = await new Promise<ChildReport>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line.startsWith('{')) resolve(JSON.parse(line) as ChildReport);
    });
    child.once('exit', (code) => reject(new Error(`the child run exited (${code}) before reporting:\n${stderr}`)));
  });
  return { child, report };
}

async function exists(docker: Docker, kind: 'container' | 'network', id: string): Promise<boolean> {
  try {
    if (kind === 'container') await docker.getContainer(id).inspect();
    else await docker.getNetwork(id).inspect();
    return true;
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode === 404) return false;
    throw err;
  }
}

describe('sweep after a crashed run (real Docker)', () => {
  let docker: Docker;
  beforeAll(async () => {
    prepareContainerEnvironment();
    docker = (await connectDocker()).client;
  });

  const launchers: ContainerLauncher[] = [];
  afterAll(async () => {
    for (const l of launchers) await l.close();
    removeTempDirs();
  });

  it('removes the containers and network of a SIGKILLed run, but not those of a live one', async () => {
    // A live run of our own, holding a container: the sweep must not touch it.
    const logDir = tempDir('faultbox-sweep-logs-');
    const liveCleanup = new CleanupRegistry({ runsDir: tempDir('faultbox-sweep-runs-'), log: () => undefined });
    const live = await ContainerLauncher.create({ docker, images: new ImageResolver({ docker, logDir }), logDir, cleanup: liveCleanup, log: () => undefined });
    launchers.push(live);

    const { child, report } = await startChild();
    expect(await exists(docker, 'container', report.container)).toBe(true);
    const networkInfo = await docker.getNetwork(report.network).inspect();
    expect(networkInfo.Labels).toMatchObject({ faultbox: '1', 'faultbox.pid': String(report.pid) });

    const ourCache = await live.start({ service: containerService('cache', REDIS_IMAGE, [iface('main', 'redis', 6379)]) });

    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    // Nothing cleaned up after it: both are still there.
    expect(await exists(docker, 'container', report.container)).toBe(true);

    const logDir2 = tempDir('faultbox-sweep-logs2-');
    const next = await ContainerLauncher.create({
      docker,
      images: new ImageResolver({ docker, logDir: logDir2 }),
      logDir: logDir2,
      cleanup: new CleanupRegistry({ runsDir: tempDir('faultbox-sweep-runs2-'), log: () => undefined }),
      log: () => undefined,
    });
    launchers.push(next);
    expect(next.sweep.containers).toEqual([`faultbox-${report.runId}-cache`]);
    expect(await exists(docker, 'container', report.container)).toBe(false);
    expect(await exists(docker, 'container', ourCache.id)).toBe(true);
    // The dead run's network goes with it; the live run is on a network of its own, untouched.
    expect(next.sweep.networks).toEqual([`faultbox-net-${report.runId}`]);
    expect(await exists(docker, 'network', report.network)).toBe(false);
    expect(await exists(docker, 'network', live.network)).toBe(true);
    await live.close();
    expect(await exists(docker, 'container', ourCache.id)).toBe(false);
    expect(await exists(docker, 'network', live.network)).toBe(false);
  });

  it('removes an abandoned network nobody uses', async () => {
    const { child, report } = await startChild();
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));

    const logDir = tempDir('faultbox-sweep-logs3-');
    const next = await ContainerLauncher.create({
      docker,
      images: new ImageResolver({ docker, logDir }),
      logDir,
      cleanup: new CleanupRegistry({ runsDir: tempDir('faultbox-sweep-runs3-'), log: () => undefined }),
      log: () => undefined,
    });
    launchers.push(next);
    expect(next.sweep.containers).toContain(`faultbox-${report.runId}-cache`);
    expect(next.sweep.networks).toContain(`faultbox-net-${report.runId}`);
    expect(await exists(docker, 'container', report.container)).toBe(false);
    expect(await exists(docker, 'network', report.network)).toBe(false);
  });

  it('Ctrl-C (SIGINT) on a run removes its containers and network through the cleanup registry', async () => {
    const { child, report } = await startChild(true);
    child.kill('SIGINT');
    const code = await new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
    expect(code).toBe(130);
    expect(await exists(docker, 'container', report.container)).toBe(false);
    expect(await exists(docker, 'network', report.network)).toBe(false);
  });
});
