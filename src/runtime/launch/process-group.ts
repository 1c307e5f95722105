// Process groups as the kernel sees them, read from /proc. "Gone" means no live member: zombies do
// not count, because an orphan's zombie may never be reaped (PID 1 in some containers and VMs does
// not reap), and a zombie holds no ports, files or CPU.
import { readdirSync, readFileSync } from 'node:fs';

interface ProcStat {
  readonly pid: number;
  readonly state: string;
  readonly pgrp: number;
  /** Clock ticks since boot; with the pid it identifies a process across pid reuse. */
  readonly startTime: number;
}

function readStat(pid: number): ProcStat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // comm (field 2) may contain spaces and parentheses: everything after the last ')' is fixed.
  const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
  // rest[0] = state (field 3), rest[2] = pgrp (field 5), rest[19] = starttime (field 22)
  return { pid, state: rest[0] ?? '?', pgrp: Number(rest[2]), startTime: Number(rest[19]) };
}

/** The start time of a live (non-zombie) process, or undefined when it is gone. */
export function processStartTime(pid: number): number | undefined {
  const stat = readStat(pid);
  if (!stat || stat.state === 'Z' || stat.state === 'X') return undefined;
  return stat.startTime;
}

/** Live members of a process group. */
export function groupMembers(pgid: number): number[] {
  const members: number[] = [];
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid <= 0) continue;
    const stat = readStat(pid);
    if (stat && stat.pgrp === pgid && stat.state !== 'Z' && stat.state !== 'X') members.push(pid);
  }
  return members;
}

export function groupAlive(pgid: number): boolean {
  // Cheap path first: no process at all in the group.
  try {
    process.kill(-pgid, 0);
  } catch {
    return false;
  }
  return groupMembers(pgid).length > 0;
}

/** Sends a signal to every process of the group; a group that is already gone is not an error. */
export function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
  }
}

/** Resolves true once the group has no live member, false if it still has one after timeoutMs. */
export async function waitGroupGone(pgid: number, timeoutMs: number, pollMs = 15): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (!groupAlive(pgid)) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
