// Image resolution against the real engine, which has no registry to pull from: substitution to a
// local image, the pull failure's advice, and build failures that show the failing step.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InfraError } from '../src/errors.js';
import { connectDocker } from '../src/runtime/launch/docker-engine.js';
import { ImageResolver, parseImageMap, type PullProgress } from '../src/runtime/launch/image.js';
import { POSTGRES_IMAGE, containerService, prepareContainerEnvironment, removeTempDirs, tempDir } from './container-env.js';

describe('image resolution (real Docker, no registry)', () => {
  let docker: Docker;
  const logDir = tempDir('faultbox-images-logs-');
  const builtTags: string[] = [];

  beforeAll(async () => {
    prepareContainerEnvironment();
    docker = (await connectDocker()).client;
  });

  afterAll(async () => {
    for (const tag of builtTags) await docker.getImage(tag).remove({ force: true }).catch(() => undefined);
    removeTempDirs();
  });

  it('substitutes a registry image with the local build through the image map', async () => {
    const images = new ImageResolver({ docker, logDir, imageMap: parseImageMap([], 'postgres:16-alpine=faultbox-local/postgres:16') });
    const resolved = await images.resolve(containerService('postgres', 'postgres:16-alpine', []));
    expect(resolved).toMatchObject({ ref: POSTGRES_IMAGE, requested: 'postgres:16-alpine', how: 'local' });
    expect(resolved.id).toMatch(/^sha256:/);
  });

  it('fails a pull with advice naming the local image to map to', async () => {
    const progress: PullProgress[] = [];
    const images = new ImageResolver({ docker, logDir, imageMap: new Map(), onPullProgress: (p) => progress.push(p) });
    const err = await images.resolve(containerService('postgres', 'postgres:16-alpine', [])).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InfraError);
    const e = err as InfraError;
    expect(e.message).toContain('image "postgres:16-alpine" is not present locally and could not be pulled');
    expect(e.hint).toContain('scripts/build-images.sh');
    expect(e.hint).toContain('--image postgres:16-alpine=faultbox-local/postgres:16');
  });

  it('builds a context into faultbox-<svc>:latest, streaming the output to a log', async () => {
    const ctx = tempDir('faultbox-build-ok-');
    writeFileSync(join(ctx, 'Dockerfile'), 'FROM faultbox-local/debian:12\nCOPY hello.txt /hello.txt\nRUN cat /hello.txt\n');
    writeFileSync(join(ctx, 'hello.txt'), 'hello from the build context\n');
    const images = new ImageResolver({ docker, logDir });
    const svc = { ...containerService('greeter', 'unused', []), source: { kind: 'build' as const, context: ctx } };
    builtTags.push('faultbox-greeter:latest');
    const built = await images.resolve(svc);
    expect(built).toMatchObject({ ref: 'faultbox-greeter:latest', how: 'built' });
    const log = readFileSync(join(logDir, 'build-greeter.log'), 'utf8');
    expect(log).toContain('hello from the build context');
    const info = await docker.getImage('faultbox-greeter:latest').inspect();
    expect(info.Config.Labels).toMatchObject({ faultbox: '1', 'faultbox.service': 'greeter' });
  });

  it('reports a failing build step with its output', async () => {
    const ctx = tempDir('faultbox-build-bad-');
    mkdirSync(join(ctx, 'src'));
    writeFileSync(join(ctx, 'Dockerfile'), 'FROM faultbox-local/debian:12\nRUN echo "about to fail: missing config" && exit 3\n');
    const images = new ImageResolver({ docker, logDir });
    const svc = { ...containerService('bad', 'unused', []), source: { kind: 'build' as const, context: ctx } };
    builtTags.push('faultbox-bad:latest');
    const err = await images.resolve(svc).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InfraError);
    const message = (err as InfraError).message;
    expect(message).toContain(`building ${ctx}/Dockerfile failed`);
    expect(message).toContain('returned a non-zero code: 3');
    expect(message).toContain('about to fail: missing config');
    expect((err as InfraError).hint).toBe('fix the failing step shown above');
  });

  it('says the FROM image must exist locally when the base cannot be pulled', async () => {
    const ctx = tempDir('faultbox-build-nobase-');
    writeFileSync(join(ctx, 'Dockerfile'), 'FROM node:20-alpine\nCMD ["node"]\n');
    const images = new ImageResolver({ docker, logDir });
    const svc = { ...containerService('nobase', 'unused', []), source: { kind: 'build' as const, context: ctx } };
    const err = await images.resolve(svc).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InfraError);
    expect((err as InfraError).hint).toContain('its FROM image must exist locally');
  });
});
