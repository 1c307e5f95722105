// Set-up shared by the container end-to-end tests: a working Docker engine (started with
// scripts/setup-docker.sh when it is not), the local images (scripts/build-images.sh, a no-op when
// cached), the static shim, and small builders for service declarations. Failing any of these
// fails the tests loudly; nothing is skipped.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { InterfaceDecl, ServiceDecl } from '../src/spec/model.js';

export const REPO = join(dirname(fileURLToPath(import.meta.url)), '..');
export const POSTGRES_IMAGE = 'faultbox-local/postgres:16';
export const REDIS_IMAGE = 'faultbox-local/redis:7';
export const NODE_IMAGE = 'faultbox-local/node:20';

function run(what: string, file: string, args: string[]): void {
  try {
    execFileSync(file, args, { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'], timeout: 600_000 });
  } catch (err) {
    const e = err as { stdout?: Buffer; stderr?: Buffer; message: string };
    throw new Error(
      `container tests need ${what}, and \`${[file, ...args].join(' ')}\` failed:\n${e.stdout?.toString() ?? ''}${e.stderr?.toString() ?? e.message}`,
    );
  }
}

function engineAnswers(): boolean {
  try {
    execFileSync('docker', ['info'], { stdio: 'ignore', timeout: 15_000 });
    return true;
  } catch {
    return false;
  }
}

let prepared = false;

/** Engine, images and shim, or an Error saying what to run. */
export function prepareContainerEnvironment(): void {
  if (prepared) return;
  if (process.getuid?.() !== 0) {
    throw new Error('container tests must run as root (the engine socket, and the seccomp handoff needs ptrace rights)');
  }
  if (!engineAnswers()) run('a Docker engine', 'bash', ['scripts/setup-docker.sh']);
  if (!engineAnswers()) throw new Error('no Docker engine answers even after scripts/setup-docker.sh; see /var/log/dockerd.log');
  run('the local images', 'bash', ['scripts/build-images.sh']);
  if (!existsSync(join(REPO, 'dist', 'shim', 'faultbox-shim'))) run('the seccomp shim', 'node', ['scripts/build-shim.mjs']);
  prepared = true;
}

const madeDirs: string[] = [];

/** A scratch dir under the system temp dir, removed by removeTempDirs(). */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  madeDirs.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const dir of madeDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

export function iface(name: string, protocol: InterfaceDecl['protocol'], port: number): InterfaceDecl {
  return { name, protocol, port };
}

/** A container service as the spec layer would declare it. */
export function containerService(
  name: string,
  image: string,
  interfaces: InterfaceDecl[],
  extra: Partial<Omit<ServiceDecl, 'name' | 'interfaces' | 'source'>> = {},
): ServiceDecl {
  return {
    name,
    source: { kind: 'image', ref: image },
    interfaces,
    env: {},
    dependsOn: [],
    volumes: {},
    ports: {},
    reuse: false,
    seccomp: true,
    baseDir: REPO,
    ...extra,
  };
}
