// The Docker engine connection for container mode: one dockerode client, checked once, and the
// privilege check faulted containers need (taking their seccomp listener and reading their memory
// is a ptrace-level access across PID namespaces).
import { readFileSync } from 'node:fs';
import Docker from 'dockerode';
import { InfraError } from '../../errors.js';

export type DockerClient = Docker;

/** Bit 19 of the capability sets (linux/capability.h). */
const CAP_SYS_PTRACE = 19;
const PING_TIMEOUT_MS = 5000;

export interface EngineInfo {
  readonly client: DockerClient;
  readonly serverVersion: string;
  readonly apiVersion: string;
}

function describe(err: unknown): string {
  const e = err as NodeJS.ErrnoException & { statusCode?: number; json?: { message?: string } };
  if (e?.code) return `${e.code}${e.message ? ` (${e.message})` : ''}`;
  return e?.json?.message ?? (err instanceof Error ? err.message : String(err));
}

/** Where dockerode will connect, for messages (it reads DOCKER_HOST itself). */
export function engineAddress(): string {
  const host = process.env.DOCKER_HOST;
  return host && host.length > 0 ? host : 'unix:///var/run/docker.sock';
}

/**
 * Connects to the engine and checks it answers. Throws an InfraError saying how to get one
 * (scripts/setup-docker.sh installs and starts it) when it does not.
 */
export async function connectDocker(client: DockerClient = new Docker()): Promise<EngineInfo> {
  const where = engineAddress();
  try {
    const answered = await Promise.race([
      client.version(),
      new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error(`no answer within ${PING_TIMEOUT_MS / 1000}s`)), PING_TIMEOUT_MS).unref(),
      ),
    ]);
    return { client, serverVersion: answered.Version, apiVersion: answered.ApiVersion };
  } catch (err) {
    const reason = describe(err);
    const missing = /ENOENT|ECONNREFUSED/.test(reason);
    const denied = /EACCES|EPERM/.test(reason);
    throw new InfraError(
      `container mode needs a Docker engine, and none answers at ${where}: ${reason}`,
      denied
        ? 'this user may not use the Docker socket: run faultbox as root'
        : missing
          ? 'install and start one with scripts/setup-docker.sh (as root), or start dockerd if it is installed'
          : 'check that dockerd is running and healthy (its log: /var/log/dockerd.log when started by scripts/setup-docker.sh)',
    );
  }
}

/** True when this process may ptrace (and so pidfd_getfd / read /proc/<pid>/mem of) other users' processes. */
export function hasTracePrivilege(status: string = readFileSync('/proc/self/status', 'utf8')): boolean {
  const m = /^CapEff:\s*([0-9a-f]+)$/m.exec(status);
  if (!m) return false;
  return (BigInt(`0x${m[1]}`) & (1n << BigInt(CAP_SYS_PTRACE))) !== 0n;
}

/**
 * Faulted containers: the supervisor reads the container processes' memory and fds across PID
 * namespaces, which the kernel allows only with ptrace rights over them.
 */
export function requireTracePrivilege(service: string): void {
  if (hasTracePrivilege()) return;
  throw new InfraError(
    `service "${service}": fault injection into a container needs root (or CAP_SYS_PTRACE) to take its seccomp listener and read its syscall arguments; faultbox runs as uid ${process.getuid?.() ?? '?'} without it`,
    'run faultbox as root (sudo), or give it CAP_SYS_PTRACE',
  );
}
