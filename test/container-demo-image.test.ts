// The demo api's `build=` image: built once per run from its Dockerfile with `FROM node:20-slim`
// mapped to the local node image, cached by the engine across runs, and started by the id that
// build produced — not by its shared `faultbox-<svc>:latest` tag, which another run may retag.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CleanupRegistry } from '../src/runtime/launch/cleanup.js';
import { ContainerLauncher } from '../src/runtime/launch/container.js';
import { ImageResolver, parseImageMap } from '../src/runtime/launch/image.js';
import type { ServiceDecl } from '../src/spec/model.js';
import { REPO, prepareContainerEnvironment } from './container-env.js';

// Its own service name, so its tag is not the demo's `faultbox-api:latest`.
const SERVICE = 'demo-api-image-check';
const TAG = `faultbox-${SERVICE}:latest`;

const apiService: ServiceDecl = {
  name: SERVICE,
  source: { kind: 'build', context: 'examples/container-demo/api' },
  interfaces: [{ name: 'public', protocol: 'http', port: 8080 }],
  env: { PORT: '8080' },
  dependsOn: [],
  volumes: {},
  ports: {},
  reuse: false,
  seccomp: true,
  baseDir: REPO,
};

describe('container demo api image (real Docker, no registry)', () => {
  let docker: Docker;
  let dirs: string[] = [];
  const tempDir = (prefix: string): string => {
    const d = mkdtempSync(join(tmpdir(), prefix));
    dirs.push(d);
    return d;
  };

  beforeAll(() => {
    prepareContainerEnvironment();
    docker = new Docker();
  });
  afterAll(async () => {
    await docker.getImage(TAG).remove({ force: true }).catch(() => undefined);
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
    dirs = [];
  });

  function resolver(): ImageResolver {
    return new ImageResolver({ docker, logDir: tempDir('faultbox-demo-image-logs-'), imageMap: parseImageMap(['node:20-slim=faultbox-local/node:20'], '') });
  }

  it('builds once per resolver, and the same context gives the same image on a later run', async () => {
    const first = resolver();
    const a = await first.resolve(apiService);
    const again = await first.resolve(apiService);
    expect(again).toBe(a); // memoised: no second build in the same run
    const b = await resolver().resolve(apiService);
    expect(b.id).toBe(a.id); // the engine's build cache: nothing rebuilt
    const base = await docker.getImage('faultbox-local/node:20').inspect();
    const built = await docker.getImage(a.id).inspect();
    const baseLayers = base.RootFS.Layers ?? [];
    expect(baseLayers.length).toBeGreaterThan(0);
    expect((built.RootFS.Layers ?? []).slice(0, baseLayers.length)).toEqual(baseLayers);
  });

  it('starts the container from the built id even when the tag was moved to another image meanwhile', async () => {
    const images = resolver();
    const built = await images.resolve(apiService);
    // Another run retags the shared name (here: to the Redis image) before our start.
    await docker.getImage('faultbox-local/redis:7').tag({ repo: `faultbox-${SERVICE}`, tag: 'latest' });
    const cleanup = new CleanupRegistry({ runsDir: tempDir('faultbox-demo-image-runs-'), log: () => undefined });
    const launcher = await ContainerLauncher.create({ docker, images, logDir: tempDir('faultbox-demo-image-ctr-'), cleanup, log: () => undefined });
    try {
      const c = await launcher.start({ service: apiService });
      const info = await docker.getContainer(c.id).inspect();
      expect(info.Image).toBe(built.id);
    } finally {
      await launcher.close();
      const report = await cleanup.dispose();
      expect(report.failures).toEqual([]);
    }
  });
});
