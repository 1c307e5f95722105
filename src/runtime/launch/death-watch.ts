// The parent side of a run's death watch: a small process in its own session that holds the read
// end of a pipe only this faultbox holds the write end of. The kernel closes that end however
// faultbox ends (exit, SIGKILL, OOM, a crash of Node), and the watchdog, reading EOF, removes what
// the run left (death-watch-main.ts). On a clean exit nothing is left, so it just exits.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InternalError } from '../../errors.js';
import { processStartTime, type ProcessRef } from './process-group.js';

/** `<package root>/dist/runtime/launch/death-watch-main.js`, built by `npm run build`. */
function watchdogScript(): string {
  // This file is src/runtime/launch/death-watch.ts (tests) or dist/runtime/launch/death-watch.js.
  const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
  const path = join(root, 'dist', 'runtime', 'launch', 'death-watch-main.js');
  if (!existsSync(path)) throw new InternalError(`the death watch is missing: ${path} (run npm run build)`);
  return path;
}

/** Starts the watchdog of run `runId`, whose record lives in `runsDir`. */
export function startDeathWatch(runsDir: string, runId: string): ProcessRef {
  const child = spawn(process.execPath, [watchdogScript(), runsDir, runId, String(process.pid)], {
    // Its own session: a Ctrl-C or hang-up aimed at faultbox's process group does not reach it.
    detached: true,
    // Only the pipe: holding faultbox's stdout or stderr would keep a caller reading them waiting.
    stdio: ['pipe', 'ignore', 'ignore'],
  });
  if (child.pid === undefined || !child.stdin) throw new InternalError('could not start the death watch');
  // Neither the child nor the pipe may keep faultbox's event loop alive; libuv opens the pipe
  // close-on-exec, so no service we start inherits the write end and delays the EOF.
  child.unref();
  (child.stdin as unknown as { unref(): void }).unref();
  child.stdin.on('error', () => undefined);
  return { pid: child.pid, startTime: processStartTime(child.pid) ?? 0 };
}
