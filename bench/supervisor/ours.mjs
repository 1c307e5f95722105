// Runs the benchmark target under faultbox's own Supervisor (built code in dist/).
// Usage: node ours.mjs <target> <continue|deny|covered> <N>   → prints the target's ns_per_call line.
// continue: trapped, no rule; deny: every write fails with EIO and is recorded with its resolved
// path (a readlink per call); covered: a path-less rule covers write but never fires (an event per
// call, and a readlink to tell a runtime descriptor such as an eventfd from real I/O).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListenerHandoff, shimCommand, shimPath } from '../../dist/runtime/supervisor/handoff.js';
import { Supervisor } from '../../dist/runtime/supervisor/supervisor.js';
import { syscallNumber } from '../../dist/runtime/kernel/syscall-table.js';

const [target, mode, n] = process.argv.slice(2);
const sup = await Supervisor.start();
const dir = mkdtempSync(join(tmpdir(), 'faultbox-bench-'));
const handoff = await ListenerHandoff.open(dir);
const argv = shimCommand(shimPath(), handoff.socketPath, [syscallNumber('write')], target, ['write', n]);
const child = spawn(argv[0], argv.slice(1), { stdio: ['ignore', 'pipe', 'inherit'] });
let out = '';
child.stdout.on('data', (d) => { out += d; });
const done = new Promise((r) => child.on('close', r));
const { listenerFd } = await handoff.accept(5000, () => child.exitCode === null);
await sup.attach('bench', listenerFd);
const triggers = { deny: {}, covered: { nth: 2 ** 31 } };
if (triggers[mode]) {
  await sup.setRules('bench', [{ id: mode, service: 'bench', keyword: 'write', syscalls: ['write'], action: { kind: 'deny', errno: 'EIO' }, trigger: triggers[mode] }], 1);
}
handoff.acknowledge();
handoff.close();
await done;
const stats = await sup.stats();
const events = await sup.drainEvents();
await sup.stop();
rmSync(dir, { recursive: true, force: true });
process.stdout.write(`${out.trim()} notifications=${stats.notifications} events=${events.length}\n`);
