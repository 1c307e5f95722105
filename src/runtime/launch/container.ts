// Container-mode services: `ContainerLauncher` creates each service's container on the run's network,
// publishes its interfaces on 127.0.0.1, and — when the service is faulted — runs the image's own
// entrypoint under the seccomp shim and hands the listener to the supervisor. A failed handoff is
// an error, never a silent fallback to an unfaulted container.
import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import type { Readable } from 'node:stream';
import { basename, isAbsolute, join, resolve } from 'node:path';
import type Dockerode from 'dockerode';
import { InfraError, InternalError } from '../../errors.js';
import type { ServiceDecl } from '../../spec/model.js';
import type { SyscallName } from '../../spec/syscall-families.js';
import type { LiveAddress } from '../../spec/host.js';
import { syscallNumber } from '../kernel/syscall-table.js';
import { ListenerHandoff, shimCommand, shimPath as defaultShimPath } from '../supervisor/handoff.js';
import { UNDO_LOG_EXTRA_NRS } from '../supervisor/undo-log-syscalls.js';
import { processCleanup, type CleanupRegistry, type Release } from './cleanup.js';
import { copyLogStream, demuxLogBuffer } from './container-logs.js';
import {
  LABEL,
  engineMessage,
  ensureNetwork,
  runNetworkName,
  ownerLabels,
  removeContainer,
  removeNetwork,
  statusOf,
  sweepLeftovers,
  type ContainerSweepReport,
} from './container-network.js';
import { connectDocker, requireTracePrivilege, type DockerClient } from './docker-engine.js';
import type { ImageResolver, ResolvedImage } from './image.js';
import { ServiceLog } from './logs.js';

/** Mount points inside a faulted container. */
export const SHIM_IN_CONTAINER = '/faultbox-shim';
export const SOCKET_DIR_IN_CONTAINER = '/var/run/faultbox';

export const STOP_TIMEOUT_S = 5;
export const DEFAULT_HANDOFF_TIMEOUT_MS = 30_000;
const LOG_TAIL_LINES = 40;

/** Who takes a faulted container's seccomp listener (the Supervisor). */
export interface ListenerSink {
  /** Takes ownership of the fd; resolves once the listener is being watched. */
  attach(service: string, listenerFd: number, options?: { rootPid?: number; undoLog?: boolean }): Promise<void> | void;
  /** Closes the service's (ended) listeners once its container is gone (keepRules: it will be resumed). */
  detach(service: string, options?: { keepRules?: boolean }): Promise<void> | void;
}

export interface ContainerLauncherOptions {
  readonly images: ImageResolver;
  /** Where `<service>.log` files go; they outlive the containers. */
  readonly logDir: string;
  /** Defaults to a new dockerode client (DOCKER_HOST or the default socket), checked on create(). */
  readonly docker?: DockerClient;
  readonly cleanup?: CleanupRegistry;
  /** Takes listeners of faulted containers; required before a faulted start. */
  readonly supervisor?: ListenerSink;
  readonly network?: string;
  /** The static shim on the host; defaults to dist/shim/faultbox-shim. */
  readonly shimPath?: string;
  readonly handoffTimeoutMs?: number;
  readonly log?: (line: string) => void;
}

export interface ContainerStartRequest {
  readonly service: ServiceDecl;
  /** The complete environment (the service env plus faultbox's address variables); defaults to service.env. */
  readonly env?: Readonly<Record<string, string>>;
  /**
   * Syscalls the filter traps. Empty (or `seccomp=False` on the service) starts the container
   * unfaulted: its own entrypoint, no shim, no filter.
   */
  readonly trapped?: readonly SyscallName[];
  /** Keep an undo log of its file changes from launch on (crash(lose_unsynced=True)). */
  readonly undoLog?: boolean;
}

export interface PortMapping {
  readonly containerPort: number;
  readonly hostPort: number;
}

type EngineContainer = Dockerode.Container;

/** What a halted container needs to be started again with a fresh handoff. */
interface RestartInfo {
  /** Host side of the socket bind mount (a faulted container's shim dials in there). */
  readonly socketDir: string | undefined;
  readonly socketName: string | undefined;
  readonly entrypoint: string[] | undefined;
  readonly undoLog: boolean;
  readonly supervisor: ListenerSink | undefined;
}

/** A started container and how to reach it. */
export class RunningContainer {
  private stopping: Promise<void> | undefined;
  private exitStatus: number | undefined;
  private exitedFlag = false;
  private release: Release | undefined;
  private readonly exitedPromise: Promise<void>;

  /** @internal — built by ContainerLauncher.start */
  constructor(
    readonly service: ServiceDecl,
    readonly name: string,
    readonly id: string,
    readonly image: ResolvedImage,
    /** The container's init process in the host PID namespace (the shim, then the entrypoint). */
    readonly hostPid: number,
    /** Its address on the run's network; the host reaches it directly through the bridge. */
    readonly ipAddress: string,
    readonly ports: ReadonlyMap<number, number>,
    /** The syscall numbers its filter traps; empty when unfaulted. */
    readonly trappedNrs: readonly number[],
    readonly log: ServiceLog,
    private readonly container: EngineContainer,
    exited: Promise<number>,
    private readonly logCopy: Promise<void>,
    private readonly onStopped: (c: RunningContainer) => Promise<void>,
    /** What resume() needs to start the same container again. */
    readonly restartInfo: RestartInfo,
  ) {
    this.exitedPromise = exited.then((status) => {
      this.exitStatus = status;
      this.exitedFlag = true;
    });
  }

  get faulted(): boolean {
    return this.trappedNrs.length > 0;
  }

  /** False once the container's main process exited (for healthchecks and the handoff). */
  isAlive(): boolean {
    return !this.exitedFlag;
  }

  /** The exit status once it exited. */
  get exitCode(): number | undefined {
    return this.exitStatus;
  }

  /** The host port publishing an interface's container port (127.0.0.1). */
  hostPort(iface: string): number {
    const decl = this.service.interfaces.find((i) => i.name === iface);
    if (!decl) throw new InternalError(`service "${this.service.name}" has no interface "${iface}"`);
    const port = this.ports.get(decl.port);
    if (port === undefined) throw new InternalError(`interface ${this.service.name}.${iface} (port ${decl.port}) was not published`);
    return port;
  }

  /** Where test steps and healthchecks reach an interface from the host. */
  address(iface: string): LiveAddress {
    return { host: '127.0.0.1', port: this.hostPort(iface) };
  }

  /** `<svc>:<port>`: how other containers on the run's network reach an interface. */
  internalAddr(iface: string): string {
    const decl = this.service.interfaces.find((i) => i.name === iface);
    if (!decl) throw new InternalError(`service "${this.service.name}" has no interface "${iface}"`);
    return `${this.service.name}:${decl.port}`;
  }

  /** The last lines of its output (kept in the log file after the container is removed). */
  logTail(lines = LOG_TAIL_LINES): string {
    return this.log.tail(lines);
  }

  /** How it ended, with its last output, for error messages. */
  describeExit(): string {
    const how = this.exitStatus === undefined ? 'is still running' : `exited with status ${this.exitStatus}`;
    const tail = this.logTail(20);
    return tail ? `container ${this.name} ${how}; last output:\n${tail.replace(/^/gm, '    ')}` : `container ${this.name} ${how} (no output)`;
  }

  /** Stops (SIGTERM or the image's stop signal, SIGKILL after 5 s) and removes it with its anonymous volumes. */
  stop(): Promise<void> {
    this.stopping ??= this.stopAndRemove();
    return this.stopping;
  }

  private async stopAndRemove(): Promise<void> {
    try {
      await this.container.stop({ t: STOP_TIMEOUT_S });
    } catch (err) {
      // 304: already stopped; 404: already gone.
      if (statusOf(err) !== 304 && statusOf(err) !== 404) {
        throw new InfraError(`could not stop container ${this.name}: ${engineMessage(err)}`);
      }
    }
    await removeContainer(this.container, this.name);
    // The followed log stream ends with the container; wait so the file holds its last words.
    await Promise.race([this.logCopy, new Promise((r) => setTimeout(r, 2000).unref())]);
    this.log.close();
    this.release?.();
    await this.onStopped(this);
  }

  /** @internal */
  setRelease(release: Release): void {
    this.release = release;
  }

  /** @internal the cleanup registration passes to the resumed instance. */
  takeRelease(): Release {
    const r = this.release ?? (() => {});
    this.release = undefined;
    return r;
  }

  /** @internal */
  get engineContainer(): EngineContainer {
    return this.container;
  }

  /**
   * Ends its processes but keeps the container (file system, volumes) for ContainerLauncher.resume:
   * gracefully (the stop signal, SIGKILL after 5 s) or with SIGKILL at once. The supervisor keeps
   * the service's rules.
   */
  async halt(how: 'graceful' | 'kill'): Promise<void> {
    try {
      if (how === 'kill') await this.container.kill({ signal: 'SIGKILL' });
      else await this.container.stop({ t: STOP_TIMEOUT_S });
    } catch (err) {
      // 304 / 409: not running any more (a crash rule's SIGKILL got there first).
      if (![304, 404, 409].includes(statusOf(err) ?? 0)) throw new InfraError(`could not stop container ${this.name}: ${engineMessage(err)}`);
    }
    await this.exitedPromise;
    await Promise.race([this.logCopy, new Promise((r) => setTimeout(r, 2000).unref())]);
    this.log.close();
    if (this.faulted) await this.restartInfo.supervisor?.detach(this.service.name, { keepRules: true });
  }

  /** Sends a signal to the container's processes (through the engine: its init forwards or dies). */
  async signal(sig: NodeJS.Signals): Promise<void> {
    if (sig === 'SIGKILL') return this.halt('kill');
    try {
      await this.container.kill({ signal: sig });
    } catch (err) {
      if (![304, 404, 409].includes(statusOf(err) ?? 0)) throw new InfraError(`could not signal container ${this.name}: ${engineMessage(err)}`);
    }
  }
}

/** Container ports published on the host: every interface's, and any fixed ones in ports=. */
function publishedPorts(service: ServiceDecl): Set<number> {
  return new Set<number>([...service.interfaces.map((i) => i.port), ...Object.keys(service.ports).map(Number)]);
}

function describeCommand(argv: readonly string[]): string {
  return argv.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : JSON.stringify(a))).join(' ');
}

/** `./data` and `/abs` are host paths (relative to the spec's directory); a bare name is a named volume. */
export function volumeBind(hostSide: string, containerSide: string, baseDir: string): string {
  const isPath = hostSide.startsWith('.') || hostSide.startsWith('/') || hostSide.startsWith('~') || hostSide.includes('/');
  let source = hostSide;
  if (isPath) {
    if (hostSide.startsWith('~')) source = join(process.env.HOME ?? '/root', hostSide.slice(1));
    else if (!isAbsolute(hostSide)) source = resolve(baseDir, hostSide);
  }
  return `${source}:${containerSide}`;
}

export class ContainerLauncher {
  readonly docker: DockerClient;
  readonly network: string;
  private readonly options: ContainerLauncherOptions;
  private readonly cleanup: CleanupRegistry;
  private readonly log: (line: string) => void;
  private readonly running = new Map<string, RunningContainer>();
  private networkReady: Promise<string> | undefined;
  private networkRelease: Release | undefined;
  private closed = false;
  private readonly starting = new Set<Promise<RunningContainer>>();

  private constructor(docker: DockerClient, options: ContainerLauncherOptions, readonly sweep: ContainerSweepReport) {
    this.docker = docker;
    this.options = options;
    this.cleanup = options.cleanup ?? processCleanup();
    this.network = options.network ?? runNetworkName(this.cleanup.runId);
    this.log = options.log ?? ((line) => process.stderr.write(`${line}\n`));
  }

  /** Connects to the engine and removes what crashed faultbox runs left behind. */
  static async create(options: ContainerLauncherOptions): Promise<ContainerLauncher> {
    const { client } = await connectDocker(options.docker);
    const sweep = await sweepLeftovers(client);
    const launcher = new ContainerLauncher(client, options, sweep);
    if (sweep.containers.length > 0 || sweep.networks.length > 0) {
      launcher.log(
        `faultbox: removed leftovers of crashed runs: ${sweep.containers.length} container(s)` +
          `${sweep.containers.length > 0 ? ` (${sweep.containers.join(', ')})` : ''}, ${sweep.networks.length} network(s)`,
      );
    }
    return launcher;
  }

  get runId(): string {
    return this.cleanup.runId;
  }

  containerName(service: string): string {
    return `faultbox-${this.runId}-${service}`.replace(/[^a-zA-Z0-9_.-]/g, '_');
  }

  /** The started container of a service, if any. */
  get(service: string): RunningContainer | undefined {
    return this.running.get(service);
  }

  /**
   * Starts a service's container (resolving its image first). A reused service (`reuse=True`)
   * that is still running with a filter covering the requested syscalls is returned as it is.
   */
  async start(request: ContainerStartRequest): Promise<RunningContainer> {
    if (this.closed) throw new InternalError('ContainerLauncher.start after close');
    const { service } = request;
    const wanted = [...(request.trapped ?? []).map(syscallNumber), ...(request.undoLog && (request.trapped ?? []).length > 0 ? UNDO_LOG_EXTRA_NRS : [])];
    const trappedNrs = service.seccomp ? [...new Set(wanted)].sort((a, b) => a - b) : [];
    const current = this.running.get(service.name);
    if (current) {
      // Same faulted-ness, and the running filter traps at least what is asked now.
      const covers = (current.trappedNrs.length > 0) === (trappedNrs.length > 0) && trappedNrs.every((nr) => current.trappedNrs.includes(nr));
      if (service.reuse && current.isAlive() && covers) return current;
      await current.stop();
    }
    // close() waits for starts in flight, so a Ctrl-C during a start leaves no container behind.
    const starting = (async () => {
      const image = await this.options.images.resolve(service);
      const networkId = await this.ensureNetwork();
      return this.launch(request, image, trappedNrs, networkId);
    })();
    this.starting.add(starting);
    try {
      return await starting;
    } finally {
      this.starting.delete(starting);
    }
  }

  /** Stops every container of a service that is not `reuse=True` (call between tests). */
  async endTest(): Promise<void> {
    const stops = [...this.running.values()].filter((c) => !c.service.reuse).map((c) => c.stop());
    await settleAll(stops);
  }

  /** Stops all containers (reused ones too) and removes the network. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.allSettled([...this.starting]);
    await settleAll([...this.running.values()].map((c) => c.stop()));
    if (this.networkReady) {
      const id = await this.networkReady.catch(() => undefined);
      if (id) await removeNetwork(this.docker, id);
      this.networkRelease?.();
    }
  }

  private ensureNetwork(): Promise<string> {
    if (!this.networkReady) {
      this.networkReady = ensureNetwork(this.docker, this.network, this.runId);
      const ready = this.networkReady;
      this.networkRelease = this.cleanup.register(`network ${this.network}`, async () => {
        const id = await ready.catch(() => undefined);
        if (id) await removeNetwork(this.docker, id);
      });
      this.networkReady.catch(() => {
        this.networkReady = undefined;
      });
    }
    return this.networkReady;
  }

  private async launch(request: ContainerStartRequest, image: ResolvedImage, trappedNrs: number[], networkId: string): Promise<RunningContainer> {
    const { service } = request;
    const name = this.containerName(service.name);
    const faulted = trappedNrs.length > 0;
    // A built image by its id: `faultbox-<svc>:latest` is shared by every spec with a service of
    // that name, and another run may retag it between our build and this start.
    const imageRef = image.how === 'built' ? image.id : image.ref;
    if (faulted) {
      requireTracePrivilege(service.name);
      if (!this.options.supervisor) throw new InternalError(`service "${service.name}" is faulted but the container launcher has no supervisor`);
    }

    // A container of this name left by an earlier start in this run (e.g. a failed stop).
    await this.docker.getContainer(name).remove({ force: true, v: true }).catch(() => undefined);

    let handoff: ListenerHandoff | undefined;
    let socketDir: string | undefined;
    let releaseSocketDir: Release | undefined;
    // The socket dir is needed only until the handoff is over (the shim has exec'd by then).
    const dropSocketDir = (): void => {
      if (socketDir) rmSync(socketDir, { recursive: true, force: true });
      releaseSocketDir?.();
      releaseSocketDir = undefined;
    };
    let entrypoint: string[] | undefined;
    let cmd: string[] | undefined = service.args ? [...service.args] : undefined;
    const binds = Object.entries(service.volumes).map(([host, ctr]) => volumeBind(host, ctr, service.baseDir));

    if (faulted) {
      const config = (await this.docker.getImage(imageRef).inspect()).Config;
      const argv = [...(config.Entrypoint ?? []), ...(service.args ?? config.Cmd ?? [])];
      if (argv.length === 0) {
        throw new InfraError(`service "${service.name}": image ${image.ref} has neither an ENTRYPOINT nor a CMD, and the service gives no args`);
      }
      const shim = this.options.shimPath ?? defaultShimPath();
      socketDir = mkdtempSync(join(tmpdir(), `faultbox-sock-${service.name}-`));
      releaseSocketDir = this.cleanup.trackTempDir(socketDir);
      chmodSync(socketDir, 0o755); // the image's user (often not root) must reach the socket
      handoff = await ListenerHandoff.open(socketDir);
      const inContainer = `${SOCKET_DIR_IN_CONTAINER}/${basename(handoff.socketPath)}`;
      // The image's user, working dir and env stay as they are: only the entrypoint changes.
      entrypoint = shimCommand(SHIM_IN_CONTAINER, inContainer, trappedNrs, argv[0]!, argv.slice(1));
      cmd = [];
      binds.push(`${shim}:${SHIM_IN_CONTAINER}:ro`, `${socketDir}:${SOCKET_DIR_IN_CONTAINER}`);
    }

    const exposed: Record<string, object> = {};
    const bindings: Record<string, { HostIp: string; HostPort: string }[]> = {};
    const published = publishedPorts(service);
    for (const port of published) {
      const fixed = service.ports[port];
      exposed[`${port}/tcp`] = {};
      bindings[`${port}/tcp`] = [{ HostIp: '127.0.0.1', HostPort: fixed ? String(fixed) : '' }];
    }

    const env = request.env ?? service.env;
    const createOptions: Dockerode.ContainerCreateOptions = {
      name,
      Image: imageRef,
      Hostname: service.name,
      Env: Object.entries(env).map(([k, v]) => `${k}=${v}`),
      ExposedPorts: exposed,
      Labels: { ...ownerLabels(this.runId), [LABEL.service]: service.name },
      HostConfig: {
        Binds: binds,
        PortBindings: bindings,
        ExtraHosts: ['host.docker.internal:host-gateway'],
        NetworkMode: networkId,
      },
      NetworkingConfig: { EndpointsConfig: { [networkId]: { Aliases: [service.name] } } },
    };
    if (entrypoint) createOptions.Entrypoint = entrypoint;
    if (cmd) createOptions.Cmd = cmd;

    const log = ServiceLog.open(this.options.logDir, service.name);
    let container: EngineContainer | undefined;
    let release: Release | undefined;
    const discard = async (): Promise<void> => {
      handoff?.close();
      dropSocketDir();
      if (container) await container.remove({ force: true, v: true }).catch(() => undefined);
      release?.();
      log.close();
    };
    try {
      container = await this.createContainer(createOptions, service.name);
      const created = container;
      release = this.cleanup.register(`container ${name}`, async () => {
        await created.stop({ t: STOP_TIMEOUT_S }).catch(() => undefined);
        await removeContainer(created, name);
      });
      const running = await this.boot({ request, image, trappedNrs, container, log, handoff, entrypoint, socketDir, dropSocketDir });
      running.setRelease(release);
      this.running.set(service.name, running);
      return running;
    } catch (err) {
      await discard();
      throw err;
    }
  }

  /**
   * Starts a created (or halted) container, follows its log, reads its pid, ports and address,
   * and — when faulted — takes its listener through the handoff.
   */
  private async boot(b: {
    readonly request: ContainerStartRequest;
    readonly image: ResolvedImage;
    readonly trappedNrs: number[];
    readonly container: EngineContainer;
    readonly log: ServiceLog;
    readonly handoff: ListenerHandoff | undefined;
    readonly entrypoint: string[] | undefined;
    readonly socketDir: string | undefined;
    readonly dropSocketDir: () => void;
    readonly resumed?: boolean;
  }): Promise<RunningContainer> {
    const { service } = b.request;
    const { container, handoff, entrypoint, log, trappedNrs, image } = b;
    const name = this.containerName(service.name);
    const faulted = trappedNrs.length > 0;
    const published = publishedPorts(service);
    // Attach the wait before starting, so even an instant exit is seen.
    const exited = container.wait({ condition: 'next-exit' }).then((r: { StatusCode?: number }) => r.StatusCode ?? -1, () => -1);
    let exitedNow = false;
    void exited.then(() => {
      exitedNow = true;
    });
    try {
      await container.start();
    } catch (err) {
      throw new InfraError(`service "${service.name}": container ${name} did not start: ${engineMessage(err)}`, portHint(err));
    }
    // A resumed container's earlier output is already in the log file.
    const since = b.resumed ? { since: Math.floor(Date.now() / 1000) } : {};
    const logStream = (await container.logs({ follow: true, stdout: true, stderr: true, ...since })) as unknown as Readable;
    const logCopy = copyLogStream(logStream, log);

    const info = await container.inspect();
    const hostPid = info.State.Pid;
    const ports = new Map<number, number>();
    for (const port of published) {
      const host = info.NetworkSettings.Ports?.[`${port}/tcp`]?.[0]?.HostPort;
      if (!host) throw new InfraError(`service "${service.name}": the engine did not publish container port ${port}`);
      ports.set(port, Number(host));
    }
    const ipAddress = info.NetworkSettings.Networks?.[this.network]?.IPAddress ?? '';

    if (faulted && handoff) {
      let attached = false;
      try {
        const handed = await handoff.accept(this.options.handoffTimeoutMs ?? DEFAULT_HANDOFF_TIMEOUT_MS, () => !exitedNow);
        await this.options.supervisor!.attach(service.name, handed.listenerFd, { rootPid: hostPid, undoLog: b.request.undoLog === true });
        attached = true;
        handoff.acknowledge();
      } catch (err) {
        if (attached) await Promise.resolve(this.options.supervisor!.detach(service.name)).catch(() => undefined);
        const logs = await this.recentLogs(container);
        const what = err instanceof Error ? err.message : String(err);
        throw new InfraError(
        `service "${service.name}": the seccomp handoff with container ${name} failed: ${what}` +
          `\n  entrypoint: ${describeCommand(entrypoint ?? [])}` +
          (logs ? `\n  container output:\n${logs.replace(/^/gm, '    ')}` : '\n  (the container printed nothing)'),
        'the container was removed; faults are never applied to a container without its filter. Try seccomp=False on the service to run it unfaulted',
        );
      } finally {
        handoff.close();
        b.dropSocketDir();
      }
    }

    return new RunningContainer(
      service, name, info.Id, image, hostPid, ipAddress, ports, trappedNrs, log, container, exited, logCopy,
      async (c) => {
        if (this.running.get(service.name) === c) this.running.delete(service.name);
        if (c.faulted) await this.options.supervisor?.detach(service.name);
      },
      { socketDir: b.socketDir, socketName: handoff ? basename(handoff.socketPath) : undefined, entrypoint, undoLog: b.request.undoLog === true, supervisor: this.options.supervisor },
    );
  }

  /**
   * Starts a halted container again (a restart within a test): same container, so its file
   * system and volumes are as the halt left them; a faulted one hands over a fresh listener.
   */
  async resume(old: RunningContainer): Promise<RunningContainer> {
    const { service } = old;
    const faulted = old.trappedNrs.length > 0;
    const socketDir = faulted ? old.restartInfo.socketDir : undefined;
    let releaseSocketDir: Release | undefined;
    if (socketDir) {
      mkdirSync(socketDir, { recursive: true, mode: 0o755 });
      chmodSync(socketDir, 0o755);
      releaseSocketDir = this.cleanup.trackTempDir(socketDir);
    }
    const dropSocketDir = (): void => {
      if (socketDir) rmSync(socketDir, { recursive: true, force: true });
      releaseSocketDir?.();
      releaseSocketDir = undefined;
    };
    const handoff = socketDir ? await ListenerHandoff.open(socketDir, old.restartInfo.socketName) : undefined;
    const log = ServiceLog.open(this.options.logDir, service.name);
    try {
      const running = await this.boot({
        request: { service, trapped: [], undoLog: old.restartInfo.undoLog }, image: old.image, trappedNrs: [...old.trappedNrs], container: old.engineContainer,
        log, handoff, entrypoint: old.restartInfo.entrypoint, socketDir, dropSocketDir, resumed: true,
      });
      running.setRelease(old.takeRelease());
      this.running.set(service.name, running);
      return running;
    } catch (err) {
      handoff?.close();
      dropSocketDir();
      log.close();
      throw err;
    }
  }

  private async createContainer(options: Dockerode.ContainerCreateOptions, service: string): Promise<EngineContainer> {
    try {
      return await this.docker.createContainer(options);
    } catch (err) {
      // Another faultbox's sweep may have removed a network it thought abandoned: recreate once.
      if (statusOf(err) === 404 && /network/i.test(engineMessage(err))) {
        this.networkReady = undefined;
        await this.ensureNetwork();
        return this.docker.createContainer(options);
      }
      throw new InfraError(`service "${service}": could not create its container: ${engineMessage(err)}`);
    }
  }

  private async recentLogs(container: EngineContainer): Promise<string> {
    try {
      const buf = (await container.logs({ stdout: true, stderr: true, follow: false, tail: LOG_TAIL_LINES })) as unknown as Buffer;
      return demuxLogBuffer(Buffer.isBuffer(buf) ? buf : Buffer.from(String(buf))).trimEnd();
    } catch {
      return '';
    }
  }
}

function portHint(err: unknown): string | undefined {
  return /port is already allocated|address already in use/i.test(engineMessage(err))
    ? 'a fixed host port in the service\'s ports= is taken: free it or use 0 for a random one'
    : undefined;
}

/** Waits for all, then throws the first failure (so one stuck container does not leave others running). */
async function settleAll(promises: readonly Promise<void>[]): Promise<void> {
  const results = await Promise.allSettled(promises);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}
