// Whether a process has begun exiting, read from /proc/<pid>/stat. A crash is visible to its
// peers (the kernel closes its sockets during exit) before the parent hears of the exit, so a
// verdict taken in between would call the crash a plain failure.
import { readFileSync } from 'node:fs';

/** Set in the task flags once the task runs its exit path (linux/sched.h). */
const PF_EXITING = 0x4;

/** Parses the state and flags of a /proc/<pid>/stat line (the name may contain spaces or ')'). */
export function statExiting(stat: string): boolean {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const state = fields[0];
  const flags = Number(fields[6]);
  return state === 'Z' || state === 'X' || (Number.isFinite(flags) && (flags & PF_EXITING) !== 0);
}

/** True while `pid` is exiting or a zombie; also when it is already gone. */
export function exitInProgress(pid: number): boolean {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return true;
  }
  return statExiting(stat);
}
