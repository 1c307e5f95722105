// What a crash rule does when it fires, inside the supervisor's worker: SIGKILL to the service's
// whole process tree while the trapped call is still held, so the call never runs (a killed
// thread leaves the seccomp wait without executing it). The orchestrator hears of it through a
// CrashNotice and restarts the service.
import { descendants, signalProcesses } from '../launch/process-group.js';

/** How the supervisor may act on a service beyond answering its calls. */
export interface AttachOptions {
  /** The service's first process (a binary's group leader, a container's init): crash rules kill its tree. */
  readonly rootPid?: number;
  /** Keep an undo log of its file changes (crash(lose_unsynced=True) may roll them back). */
  readonly undoLog?: boolean;
  /** Paths the service's calls name are inside this directory (a container: /proc/<pid>/root). */
  readonly fsRoot?: string;
}

export interface CrashNotice {
  readonly service: string;
  readonly ruleId: string;
  readonly loseUnsynced: boolean;
  /** The trapped call that triggered it, e.g. `pwrite64`. */
  readonly syscall: string;
}

/**
 * SIGKILLs the process that made the call, the service's root and every descendant of it, twice
 * over (a fork between the snapshot and the signal is caught by the second pass).
 */
export function killServiceTree(rootPid: number | undefined, callerPid: number): void {
  kill(callerPid);
  if (rootPid === undefined) return;
  for (let pass = 0; pass < 2; pass++) {
    const tree = descendants(rootPid);
    kill(rootPid);
    kill(-rootPid); // its process group (a binary service leads its own)
    signalProcesses(tree, 'SIGKILL');
  }
}

function kill(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}
