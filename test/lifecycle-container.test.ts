// Lifecycle steps and lost writes in container mode, on the real engine: a restart starts the
// same container again (its file system survives), kill + start, and crash(lose_unsynced=True)
// rolling back an unsynced rename through the container's root. No container, volume or network
// of the run is left.
import { spawnSync } from 'node:child_process';
import Docker from 'dockerode';
import { beforeAll, describe, expect, it } from 'vitest';
import { FAULTBOX, REPO, section } from './cli-run.js';
import { prepareContainerEnvironment } from './container-env.js';

describe('lifecycle steps (container mode)', () => {
  let run: { code: number | null; stdout: string; stderr: string; pid: number };

  beforeAll(() => {
    prepareContainerEnvironment();
    const r = spawnSync('node', [FAULTBOX, 'test', 'test/fixtures/lifecycle-container/faultbox.star', '--image', 'node:20-slim=faultbox-local/node:20'], {
      cwd: REPO, encoding: 'utf8', timeout: 300_000,
    });
    run = { code: r.status, stdout: r.stdout, stderr: r.stderr, pid: r.pid };
  }, 320_000);

  it('restarts, kills and starts the same container, and models a power loss through its root', () => {
    expect(run.stdout, run.stderr).toContain('3 passed, 0 failed');
    expect(run.code).toBe(0);
    expect(section(run.stdout, '--- PASS: test_power_loss_in_container_loses_the_unsynced_rename')).not.toContain('LOST_WRITES_BLIND');
  });

  it('leaves no container, volume or network of the run', async () => {
    const docker = new Docker();
    const label = `faultbox.pid=${run.pid}`;
    expect(await docker.listContainers({ all: true, filters: { label: [label] } })).toEqual([]);
    expect((await docker.listNetworks({ filters: { label: [label] } })).map((n) => n.Name)).toEqual([]);
  });
});
