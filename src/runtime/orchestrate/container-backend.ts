// Container services through the container launcher (dockerode), faulted through the same
// shim handoff and supervisor as binary services.
import type { CleanupRegistry } from '../launch/cleanup.js';
import { ContainerLauncher, type RunningContainer } from '../launch/container.js';
import { connectDocker } from '../launch/docker-engine.js';
import { ImageResolver } from '../launch/image.js';
import { loadDefaultImages } from '../launch/default-images.js';
import { waitContainerReady } from '../launch/container-readiness.js';
import type { ServiceDecl } from '../../spec/model.js';
import type { LiveAddress } from '../../spec/host.js';
import type { RunningService, ServiceBackend, StartContext } from './running-service.js';
import type { SupervisorPort } from './supervisor-port.js';

export interface ContainerBackendOptions {
  readonly supervisor: () => Promise<SupervisorPort>;
  readonly cleanup: CleanupRegistry;
  readonly runDir: string;
  readonly imageMap: ReadonlyMap<string, string>;
  readonly print: (line: string) => void;
}

class ContainerBackend implements ServiceBackend {
  private launcher?: Promise<ContainerLauncher>;
  private images?: ImageResolver;
  /** The container behind each service handed out (a restart resumes it). */
  private readonly containers = new WeakMap<RunningService, RunningContainer>();

  constructor(private readonly opts: ContainerBackendOptions) {}

  private getLauncher(): Promise<ContainerLauncher> {
    this.launcher ??= (async () => {
      const { client } = await connectDocker();
      const images = new ImageResolver({ docker: client, logDir: this.opts.runDir, imageMap: this.opts.imageMap, defaults: loadDefaultImages(), onSubstitute: this.opts.print });
      this.images = images;
      return ContainerLauncher.create({
        images,
        docker: client,
        logDir: this.opts.runDir,
        cleanup: this.opts.cleanup,
        log: this.opts.print,
        // The supervisor starts on the first faulted container only.
        supervisor: {
          attach: async (service, fd, options) => (await this.opts.supervisor()).attach(service, fd, options),
          detach: async (service, options) => (await this.opts.supervisor()).detach(service, options),
        },
      });
    })();
    return this.launcher;
  }

  /** Makes the service's image present (pulled, built or substituted) before any test needs it. */
  async prepare(decl: ServiceDecl): Promise<void> {
    await this.getLauncher();
    await this.images!.resolve(decl);
  }

  async start(decl: ServiceDecl, ctx: StartContext): Promise<RunningService> {
    const launcher = await this.getLauncher();
    // A restart within a test starts the same (halted) container again.
    const previous = ctx.resume ? this.containers.get(ctx.resume) : undefined;
    const c = previous ? await launcher.resume(previous) : await launcher.start({ service: decl, trapped: ctx.trapped, undoLog: ctx.undoLog === true });
    await waitContainerReady(c);
    const addresses: Record<string, LiveAddress> = {};
    for (const iface of decl.interfaces) addresses[iface.name] = c.address(iface.name);
    const svc: RunningService = {
      decl,
      addresses,
      filtered: c.faulted,
      readyChecked: true,
      checkReady: async () => {
        await waitContainerReady(c);
      },
      isAlive: () => c.isAlive(),
      describeExit: () => c.describeExit(),
      logTail: (n) => c.logTail(n),
      stop: () => c.stop(),
      halt: (how) => c.halt(how),
      signal: (sig) => c.signal(sig),
    };
    this.containers.set(svc, c);
    return svc;
  }

  async close(): Promise<void> {
    if (this.launcher) await (await this.launcher).close();
  }
}

export function containerBackendFactory(opts: ContainerBackendOptions): ServiceBackend {
  return new ContainerBackend(opts);
}
