// A run's watchdog (started by death-watch.ts): waits for EOF on stdin, which comes when the
// faultbox that holds the other end is gone, then removes that run's leftovers — its recorded
// process groups and their descendants, its temp dirs, its containers, their anonymous volumes
// and networks — and exits. Only this run's record and Docker label are ever consulted, and a
// deadline ends it even if the engine hangs. Usage: death-watch-main.js <runsDir> <runId> <ownerPid>
import { readRunRecord, removeRecordedLeftovers, removeRunRecord } from './cleanup-record.js';
import { removeRunResources } from './container-network.js';
import { connectDocker } from './docker-engine.js';

/** However the cleanup goes, the watchdog is gone this long after its owner. */
const DUTY_LIMIT_MS = 10_000;

const [runsDir, runId] = process.argv.slice(2);
if (!runsDir || !runId) {
  process.stderr.write('usage: death-watch-main.js <runsDir> <runId> <ownerPid>\n');
  process.exit(2);
}

async function removeLeftovers(): Promise<void> {
  const record = readRunRecord(runsDir!, runId!);
  const processes = record ? removeRecordedLeftovers(record) : Promise.resolve(undefined);
  // Containers go in parallel with the processes; an engine that is absent just means none.
  const containers = connectDocker()
    .then(({ client }) => removeRunResources(client, runId!))
    .catch(() => undefined);
  await Promise.allSettled([processes, containers]);
  removeRunRecord(runsDir!, runId!);
}

let started = false;
const onOwnerGone = (): void => {
  if (started) return;
  started = true;
  setTimeout(() => process.exit(1), DUTY_LIMIT_MS).unref();
  void removeLeftovers().finally(() => process.exit(0));
};
for (const signal of ['SIGINT', 'SIGHUP', 'SIGPIPE'] as const) process.on(signal, () => undefined);
process.stdin.on('end', onOwnerGone);
process.stdin.on('close', onOwnerGone);
process.stdin.on('error', onOwnerGone);
process.stdin.resume();
