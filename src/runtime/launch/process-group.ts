// Process groups and trees as the kernel sees them, read from /proc. "Gone" means no live member:
// zombies do not count, because an orphan's zombie may never be reaped (PID 1 in some containers
// and VMs does not reap), and a zombie holds no ports, files or CPU.
import { readdirSync, readFileSync } from 'node:fs';

interface ProcStat {
  readonly pid: number;
  readonly state: string;
  readonly ppid: number;
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
  // rest[0] = state (field 3), rest[1] = ppid, rest[2] = pgrp (field 5), rest[19] = starttime (field 22)
  return { pid, state: rest[0] ?? '?', ppid: Number(rest[1]), pgrp: Number(rest[2]), startTime: Number(rest[19]) };
}

/** The start time of a live (non-zombie) process, or undefined when it is gone. */
export function processStartTime(pid: number): number | undefined {
  const stat = readStat(pid);
  if (!stat || stat.state === 'Z' || stat.state === 'X') return undefined;
  return stat.startTime;
}

function liveProcesses(): ProcStat[] {
  const live: ProcStat[] = [];
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid <= 0) continue;
    const stat = readStat(pid);
    if (stat && stat.state !== 'Z' && stat.state !== 'X') live.push(stat);
  }
  return live;
}

/** Live members of a process group. */
export function groupMembers(pgid: number): number[] {
  return liveProcesses()
    .filter((p) => p.pgrp === pgid)
    .map((p) => p.pid);
}

/** A process identified across pid reuse. */
export interface ProcessRef {
  readonly pid: number;
  readonly startTime: number;
}

/**
 * The live descendants of a process, found through parent links. They matter because some
 * servers move their children out of the group (PostgreSQL's backends call setsid()), and a
 * group signal does not reach those.
 */
export function descendants(root: number): ProcessRef[] {
  const byParent = new Map<number, ProcStat[]>();
  for (const p of liveProcesses()) {
    const siblings = byParent.get(p.ppid);
    if (siblings) siblings.push(p);
    else byParent.set(p.ppid, [p]);
  }
  const found: ProcessRef[] = [];
  const queue = [root];
  for (let pid = queue.shift(); pid !== undefined; pid = queue.shift()) {
    for (const child of byParent.get(pid) ?? []) {
      found.push({ pid: child.pid, startTime: child.startTime });
      queue.push(child.pid);
    }
  }
  return found;
}

/** The refs that still name a live process (same pid, same start time). */
export function stillAlive(refs: readonly ProcessRef[]): ProcessRef[] {
  return refs.filter((r) => processStartTime(r.pid) === r.startTime);
}

/** Signals each still-live ref; processes already gone are skipped. */
export function signalProcesses(refs: readonly ProcessRef[], signal: NodeJS.Signals): void {
  for (const r of stillAlive(refs)) {
    try {
      process.kill(r.pid, signal);
    } catch {
      // exited between the check and the signal
    }
  }
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

/**
 * Whether `pgid` still names the group whose leader started at `leaderStartTime`. Once the leader
 * is gone and the group empty, the number is free: a newer process may hold that pid and lead a
 * group of its own, which must never receive our signals.
 */
export function groupIsOurs(pgid: number, leaderStartTime: number): boolean {
  const now = processStartTime(pgid);
  return now === undefined || now === leaderStartTime;
}

/**
 * Resolves true once the group has no live member (or its id now belongs to a newer group, when
 * the leader's start time is given) and none of `also` is alive; false if something is still
 * alive after timeoutMs.
 */
export async function waitGroupGone(
  pgid: number,
  timeoutMs: number,
  also: readonly ProcessRef[] = [],
  leaderStartTime?: number,
  pollMs = 15,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const groupGone = (leaderStartTime !== undefined && !groupIsOurs(pgid, leaderStartTime)) || !groupAlive(pgid);
    if (groupGone && stillAlive(also).length === 0) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
