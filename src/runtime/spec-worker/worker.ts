// The spec worker: loads the spec with the Starlark interpreter and runs test bodies and
// scenarios on request, reaching the runtime through SyncHostBridge.
import { parentPort, workerData } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import { loadSpec, type LoadedSpec } from '../../spec/index.js';
import { SyncHostBridge } from './host-bridge.js';
import type { SerializedError, WorkerCommand, WorkerReply } from './protocol.js';

interface WorkerInit {
  readonly hostPort: MessagePort;
  readonly flag: SharedArrayBuffer;
}

const init = workerData as WorkerInit;
const bridge = new SyncHostBridge(init.hostPort, new Int32Array(init.flag));
let loaded: LoadedSpec | undefined;

function serialize(err: unknown): SerializedError {
  const e = err instanceof Error ? err : new Error(String(err));
  const known = ['SpecError', 'InfraError', 'UsageError'] as const;
  const kind = (known as readonly string[]).includes(e.name) ? (e.name as SerializedError['kind']) : 'InternalError';
  return { kind, message: e.message, stack: e.stack };
}

function handle(cmd: WorkerCommand): WorkerReply {
  try {
    switch (cmd.op) {
      case 'load':
        loaded = loadSpec(cmd.file, { print: (line) => bridge.print(line) });
        return { id: cmd.id, ok: true, model: loaded.model };
      case 'run-test':
      case 'run-scenario': {
        if (!loaded) throw new Error('spec worker: run before load');
        bridge.setAddresses(cmd.addresses);
        const outcome = cmd.op === 'run-test' ? loaded.runTest(cmd.name, bridge) : loaded.runScenario(cmd.name, bridge);
        return { id: cmd.id, ok: true, outcome };
      }
    }
  } catch (err) {
    return { id: cmd.id, ok: false, error: serialize(err) };
  }
}

parentPort!.on('message', (cmd: WorkerCommand) => {
  parentPort!.postMessage(handle(cmd));
});
