// Readiness of a container, translated to where the host can check it. Docker's port proxy accepts
// TCP connections on the published port before anything listens inside, so a tcp() check there
// proves nothing: postgres/redis interfaces get the protocol-aware `ready` probe on the published
// port, other tcp checks connect to the container's own address on the bridge, and http checks
// go to the published port.
import type { Healthcheck, InterfaceDecl } from '../../spec/model.js';
import { parseHostPort, waitHealthy, type HealthReport, type HealthTarget } from './healthcheck.js';
import type { RunningContainer } from './container.js';

/** Used when a container service declares no healthcheck but has an interface. */
export const DEFAULT_CONTAINER_READY_MS = 60_000;

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '0.0.0.0', '::1', '[::1]']);

export interface ContainerReadiness {
  readonly check: Healthcheck;
  readonly target: HealthTarget;
}

function protocolAware(iface: InterfaceDecl): boolean {
  return iface.protocol === 'postgres' || iface.protocol === 'redis';
}

/**
 * The check to run for a started container, or undefined when there is nothing to check (no
 * healthcheck and no interface). `env` is the env the container got (credentials for `ready`).
 */
export function containerReadiness(running: RunningContainer, env: Readonly<Record<string, string>> = running.service.env): ContainerReadiness | undefined {
  const service = running.service;
  const declared = service.healthcheck;
  const first = service.interfaces[0];
  const readyOn = (iface: InterfaceDecl) => ({ protocol: iface.protocol, addr: running.address(iface.name) });
  const target = (iface: InterfaceDecl | undefined): HealthTarget => ({
    service: service.name,
    readyOn: iface ? readyOn(iface) : undefined,
    env,
    isAlive: () => running.isAlive(),
    describeExit: () => running.describeExit(),
  });
  const onBridge = (iface: InterfaceDecl, timeoutMs: number): ContainerReadiness => {
    const host = running.ipAddress || '127.0.0.1';
    const port = running.ipAddress ? iface.port : running.hostPort(iface.name);
    return { check: { kind: 'tcp', addr: `${host}:${port}`, timeoutMs }, target: target(iface) };
  };

  if (!declared) {
    if (!first) return undefined;
    if (protocolAware(first)) return { check: { kind: 'ready', timeoutMs: DEFAULT_CONTAINER_READY_MS }, target: target(first) };
    return onBridge(first, DEFAULT_CONTAINER_READY_MS);
  }
  switch (declared.kind) {
    case 'ready':
      return { check: declared, target: target(first) };
    case 'tcp': {
      const { host, port } = parseHostPort(declared.addr);
      const ours = LOCAL_HOSTS.has(host) || host === service.name;
      const iface = ours ? service.interfaces.find((i) => i.port === port) : undefined;
      if (!iface) return { check: declared, target: target(first) }; // not one of ours: check it as written
      if (protocolAware(iface)) return { check: { kind: 'ready', timeoutMs: declared.timeoutMs }, target: target(iface) };
      return onBridge(iface, declared.timeoutMs);
    }
    case 'http': {
      const url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(declared.url) ? declared.url : `http://${declared.url}`);
      const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
      const published = running.ports.get(port);
      if (LOCAL_HOSTS.has(url.hostname) && published !== undefined) {
        url.hostname = '127.0.0.1';
        url.port = String(published);
      }
      return { check: { kind: 'http', url: url.href, timeoutMs: declared.timeoutMs }, target: target(first) };
    }
  }
}

/** Waits until the container answers its (translated) check; resolves at once when there is none. */
export async function waitContainerReady(running: RunningContainer, env?: Readonly<Record<string, string>>): Promise<HealthReport | undefined> {
  const readiness = containerReadiness(running, env);
  if (!readiness) return undefined;
  return waitHealthy(readiness.check, readiness.target);
}
