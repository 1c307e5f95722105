// The bridge network a run's containers share (`faultbox-net-<run>`), the labels that tie a
// container or network to the faultbox process that made it, and the sweep that removes what a
// dead faultbox left.
import type Dockerode from 'dockerode';
import { InfraError } from '../../errors.js';
import type { DockerClient } from './docker-engine.js';
import { processStartTime } from './process-group.js';

const NETWORK_PREFIX = 'faultbox-net';

/**
 * Each run has a network of its own: two runs on one network would both register `postgres` as an
 * alias, and the engine's DNS would answer either run's container; and a shared network is created
 * and removed by whichever run comes first or last, which races.
 */
export function runNetworkName(runId: string): string {
  return `${NETWORK_PREFIX}-${runId}`.replace(/[^a-zA-Z0-9_.-]/g, '_');
}

export const LABEL = {
  managed: 'faultbox',
  run: 'faultbox.run',
  pid: 'faultbox.pid',
  /** With the pid, tells our faultbox from a later process that reused its pid. */
  pidStart: 'faultbox.pidstart',
  service: 'faultbox.service',
} as const;

/** Labels naming this process as the owner. */
export function ownerLabels(runId: string): Record<string, string> {
  return {
    [LABEL.managed]: '1',
    [LABEL.run]: runId,
    [LABEL.pid]: String(process.pid),
    [LABEL.pidStart]: String(processStartTime(process.pid) ?? 0),
  };
}

/** The owning faultbox process is gone (or its pid now belongs to another process). */
export function ownerDead(labels: Readonly<Record<string, string>> | undefined): boolean {
  const pid = Number(labels?.[LABEL.pid]);
  if (!Number.isInteger(pid) || pid <= 0) return false; // not ours to judge
  const start = processStartTime(pid);
  if (start === undefined) return true;
  const recorded = Number(labels?.[LABEL.pidStart]);
  return Number.isFinite(recorded) && recorded > 0 && recorded !== start;
}

export function engineMessage(err: unknown): string {
  const e = err as { json?: { message?: string }; message?: string };
  const fromJson = e?.json && typeof e.json === 'object' ? e.json.message : undefined;
  return (fromJson ?? e?.message ?? String(err)).replace(/^\(HTTP code \d+\)\s*[a-z ]*-\s*/i, '').trim();
}

export function statusOf(err: unknown): number | undefined {
  return (err as { statusCode?: number })?.statusCode;
}

/** How long a removal another caller started may take before we give up waiting for it. */
const REMOVAL_WAIT_MS = 15_000;

/**
 * Removes a container with its anonymous volumes. Gone already is fine; a removal already in
 * progress (a stop racing the cleanup hooks on Ctrl-C) is waited for, so a caller that returns
 * knows the container and its volumes are gone.
 */
export async function removeContainer(container: Pick<Dockerode.Container, 'remove' | 'inspect'>, name: string): Promise<void> {
  try {
    await container.remove({ force: true, v: true });
    return;
  } catch (err) {
    if (statusOf(err) === 404) return;
    if (!/already in progress/i.test(engineMessage(err))) {
      throw new InfraError(`could not remove container ${name}: ${engineMessage(err)}`);
    }
  }
  const deadline = Date.now() + REMOVAL_WAIT_MS;
  while (Date.now() < deadline) {
    try {
      await container.inspect();
    } catch (err) {
      if (statusOf(err) === 404) return;
      throw new InfraError(`could not check the removal of container ${name}: ${engineMessage(err)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new InfraError(`container ${name} was still being removed after ${REMOVAL_WAIT_MS / 1000}s`, 'check dockerd\'s log');
}

/** Creates the run's bridge network (or finds it, when this run made it already); returns its id. */
export async function ensureNetwork(docker: DockerClient, name: string, runId: string): Promise<string> {
  const existing = (await docker.listNetworks({ filters: { name: [name] } })).find((n) => n.Name === name);
  if (existing) return existing.Id;
  try {
    const created = await docker.createNetwork({
      Name: name,
      Driver: 'bridge',
      CheckDuplicate: true,
      Labels: ownerLabels(runId),
    });
    return created.id;
  } catch (err) {
    throw new InfraError(`could not create the Docker network "${name}": ${engineMessage(err)}`, 'check dockerd\'s log');
  }
}

/** Removes the network unless containers (of another run) still use it. */
export async function removeNetwork(docker: DockerClient, name: string): Promise<'removed' | 'in-use' | 'absent'> {
  try {
    await docker.getNetwork(name).remove();
    return 'removed';
  } catch (err) {
    const status = statusOf(err);
    if (status === 404) return 'absent';
    if (status === 403 || status === 409 || /active endpoints/i.test(engineMessage(err))) return 'in-use';
    throw new InfraError(`could not remove the Docker network "${name}": ${engineMessage(err)}`);
  }
}

export interface ContainerSweepReport {
  readonly containers: readonly string[];
  readonly networks: readonly string[];
}

/**
 * Removes containers and networks labelled by a faultbox process that is no longer alive (killed
 * with SIGKILL, crashed, or the machine lost power mid-run). Anything of a live run is left alone.
 */
export async function sweepLeftovers(docker: DockerClient): Promise<ContainerSweepReport> {
  const removedContainers: string[] = [];
  const containers = await docker.listContainers({ all: true, filters: { label: [`${LABEL.managed}=1`] } });
  for (const c of containers) {
    if (!ownerDead(c.Labels)) continue;
    try {
      await docker.getContainer(c.Id).remove({ force: true, v: true });
      removedContainers.push(c.Names[0]?.replace(/^\//, '') ?? c.Id.slice(0, 12));
    } catch (err) {
      if (statusOf(err) !== 404 && statusOf(err) !== 409) {
        throw new InfraError(`could not remove leftover container ${c.Names[0] ?? c.Id}: ${engineMessage(err)}`);
      }
    }
  }
  const removedNetworks: string[] = [];
  const networks = await docker.listNetworks({ filters: { label: [`${LABEL.managed}=1`] } });
  for (const n of networks) {
    if (!ownerDead(n.Labels)) continue;
    if ((await removeNetwork(docker, n.Id)) === 'removed') removedNetworks.push(n.Name);
  }
  return { containers: removedContainers, networks: removedNetworks };
}

/**
 * Removes every container of one run (with its anonymous volumes) and the networks it created or
 * joined, unless another run's containers still use them. For a run whose faultbox died: the
 * death watch calls it, so nothing of another run is touched. Lists twice, because a create the
 * dead process had already sent may complete after the first listing.
 */
export async function removeRunResources(docker: DockerClient, runId: string): Promise<ContainerSweepReport> {
  const containers: string[] = [];
  const networkNames = new Set<string>();
  for (let pass = 0; pass < 2; pass++) {
    const found = await docker.listContainers({ all: true, filters: { label: [`${LABEL.run}=${runId}`] } });
    for (const c of found) for (const n of Object.keys(c.NetworkSettings?.Networks ?? {})) networkNames.add(n);
    await Promise.all(
      found.map(async (c) => {
        await removeContainer(docker.getContainer(c.Id), c.Id);
        containers.push(c.Names[0]?.replace(/^\//, '') ?? c.Id.slice(0, 12));
      }),
    );
    if (pass === 0) await new Promise((r) => setTimeout(r, 250));
  }
  const labelled = await docker.listNetworks({ filters: { label: [`${LABEL.run}=${runId}`] } });
  for (const n of labelled) networkNames.add(n.Name);
  const networks: string[] = [];
  for (const name of networkNames) {
    if (['bridge', 'host', 'none'].includes(name)) continue;
    if ((await removeNetwork(docker, name)) === 'removed') networks.push(name);
  }
  return { containers, networks };
}
