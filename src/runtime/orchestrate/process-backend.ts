// Binary services: a process group per service; trapped ones start under the shim, whose
// listener is handed to the supervisor before the target is allowed to exec.
import { ProcessLauncher } from '../launch/process.js';
import type { CleanupRegistry } from '../launch/cleanup.js';
import { ListenerHandoff, shimCommand, shimPath } from '../supervisor/handoff.js';
import { syscallNumber } from '../kernel/syscall-table.js';
import type { ServiceDecl } from '../../spec/model.js';
import type { LiveAddress } from '../../spec/host.js';
import type { RunningService, ServiceBackend, StartContext } from './running-service.js';
import type { SupervisorPort } from './supervisor-port.js';
import { exitInProgress } from './process-state.js';
import { UNDO_LOG_EXTRA_NRS } from '../supervisor/undo-log-syscalls.js';

/** How long the shim may take to dial in and hand over its listener. */
const HANDOFF_TIMEOUT_MS = 10_000;

export class ProcessBackend implements ServiceBackend {
  private readonly launcher: ProcessLauncher;

  constructor(
    private readonly supervisor: () => Promise<SupervisorPort>,
    cleanup: CleanupRegistry,
    runDir: string,
  ) {
    this.launcher = new ProcessLauncher({ logDir: runDir, cleanup });
  }

  async start(decl: ServiceDecl, ctx: StartContext): Promise<RunningService> {
    if (decl.source.kind !== 'binary') throw new Error(`internal: ${decl.name} is not a binary service`);
    const filtered = ctx.trapped.length > 0;
    const handoff = filtered ? await ListenerHandoff.open(ctx.scratchDir) : undefined;
    const supervisor = filtered ? await this.supervisor() : undefined;
    const shim = filtered ? shimPath() : '';
    const nrs = [...ctx.trapped.map(syscallNumber), ...(ctx.undoLog ? UNDO_LOG_EXTRA_NRS : [])];
    try {
      const proc = await this.launcher.start({
        service: decl.name,
        binary: decl.source.path,
        baseDir: decl.baseDir,
        args: decl.args ?? [],
        env: { ...decl.env, FAULTBOX_SERVICE_DIR: ctx.scratchDir },
        wrap: handoff
          ? (program, args) => {
              const argv = shimCommand(shim, handoff.socketPath, nrs, program, args);
              return { program: argv[0]!, args: argv.slice(1) };
            }
          : undefined,
        beforeReady: handoff
          ? async (p) => {
              const { listenerFd } = await handoff.accept(HANDOFF_TIMEOUT_MS, () => p.isAlive());
              await supervisor!.attach(decl.name, listenerFd, { rootPid: p.pid, undoLog: ctx.undoLog === true });
              handoff.acknowledge();
            }
          : undefined,
        onExit: (exit) => {
          if (!exit.requested) ctx.onUnexpectedExit(exit.signal ? `killed by ${exit.signal}` : `exited with code ${exit.code}`);
        },
      });
      const addresses: Record<string, LiveAddress> = {};
      for (const iface of decl.interfaces) addresses[iface.name] = { host: '127.0.0.1', port: iface.port };
      return {
        decl,
        addresses,
        filtered,
        isAlive: () => proc.isAlive(),
        exitInProgress: () => proc.isAlive() && exitInProgress(proc.pid),
        describeExit: () => (proc.exit ? (proc.exit.signal ? `killed by ${proc.exit.signal}` : `exited with code ${proc.exit.code}`) : ''),
        logTail: (n) => proc.logTail(n),
        stop: async () => {
          await proc.stop();
          if (supervisor) await supervisor.detach(decl.name);
        },
        // The scratch dir belongs to the service manager and outlives the halt.
        halt: async (how) => {
          if (how === 'kill') await proc.kill('SIGKILL');
          else await proc.stop();
          if (supervisor) await supervisor.detach(decl.name, { keepRules: true });
        },
        signal: (sig) => proc.kill(sig),
      };
    } finally {
      handoff?.close();
    }
  }

  async close(): Promise<void> {}
}
