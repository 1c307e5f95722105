// The on-disk record of what a run started (`/tmp/faultbox-runs/<runid>.json`), and the sweep a
// later run performs when the recording faultbox died without cleaning up (SIGKILL, OOM, power).
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join, relative, resolve } from 'node:path';
import {
  descendants, groupMembers, processStartTime, signalGroup, signalProcesses, waitGroupGone, type ProcessRef,
} from './process-group.js';

export const DEFAULT_RUNS_DIR = '/tmp/faultbox-runs';

export interface RecordedGroup {
  readonly pgid: number;
  /** Start time of the group leader when recorded: tells our group from a later reuse of the id. */
  readonly leaderStartTime: number;
  readonly label: string;
}

export interface RunRecord {
  readonly runId: string;
  readonly pid: number;
  /** With pid, identifies the faultbox process even if its pid is later reused. */
  readonly pidStartTime: number;
  readonly startedAt: string;
  readonly groups: readonly RecordedGroup[];
  readonly tempDirs: readonly string[];
  /** The run's death watch (death-watch.ts), so a sweep can end one that is stuck. */
  readonly watchdog?: ProcessRef;
}

export function runFilePath(runsDir: string, runId: string): string {
  return join(runsDir, `${runId}.json`);
}

/** Atomic replace, so a sweeper never reads half a record. */
export function writeRunRecord(runsDir: string, record: RunRecord): void {
  mkdirSync(runsDir, { recursive: true, mode: 0o755 });
  const path = runFilePath(runsDir, record.runId);
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(record, null, 2)}\n`);
  renameSync(tmp, path);
}

export function removeRunRecord(runsDir: string, runId: string): void {
  try {
    unlinkSync(runFilePath(runsDir, runId));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}

function ownerAlive(record: RunRecord): boolean {
  const start = processStartTime(record.pid);
  return start !== undefined && start === record.pidStartTime;
}

/**
 * The live processes of a recorded group and their descendants (servers such as PostgreSQL move
 * their children out of the group with setsid()), or none when the group id now belongs to
 * someone else: a live process whose pid is our pgid but with another start time leads a newer group.
 */
function recordedGroupProcesses(group: RecordedGroup): ProcessRef[] {
  const leaderStart = processStartTime(group.pgid);
  if (leaderStart !== undefined && leaderStart !== group.leaderStartTime) return [];
  const members = groupMembers(group.pgid);
  const refs = members.flatMap((pid) => {
    const startTime = processStartTime(pid);
    return startTime === undefined ? [] : [{ pid, startTime }];
  });
  return [...refs, ...members.flatMap((pid) => descendants(pid))];
}

/** Only directories under the system temp dir are ever removed from a record. */
export function removableTempDir(dir: string): boolean {
  if (!isAbsolute(dir)) return false;
  const rel = relative(resolve(tmpdir()), resolve(dir));
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}

export interface SweepReport {
  /** Run ids whose owner was dead and whose leftovers were removed. */
  readonly runs: readonly string[];
  readonly groupsKilled: number;
  readonly tempDirsRemoved: number;
}

export interface LeftoversRemoved {
  readonly groupsKilled: number;
  readonly tempDirsRemoved: number;
}

/**
 * SIGKILLs a dead run's recorded process groups (all of them first, so no parent lives on to
 * respawn a child), waits until they are gone, and deletes its temp dirs.
 */
export async function removeRecordedLeftovers(record: RunRecord): Promise<LeftoversRemoved> {
  const victims = record.groups.map((g) => ({ group: g, refs: recordedGroupProcesses(g) })).filter((v) => v.refs.length > 0);
  for (const v of victims) {
    signalGroup(v.group.pgid, 'SIGKILL');
    signalProcesses(v.refs, 'SIGKILL');
  }
  await Promise.all(victims.map((v) => waitGroupGone(v.group.pgid, 2000, v.refs, v.group.leaderStartTime)));
  let tempDirsRemoved = 0;
  for (const dir of record.tempDirs) {
    if (!removableTempDir(dir) || !existsSync(dir)) continue;
    rmSync(dir, { recursive: true, force: true });
    tempDirsRemoved += 1;
  }
  return { groupsKilled: victims.length, tempDirsRemoved };
}

export function readRunRecord(runsDir: string, runId: string): RunRecord | undefined {
  return readRecord(runFilePath(runsDir, runId));
}

function readRecord(path: string): RunRecord | undefined {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as RunRecord;
    if (typeof parsed.pid !== 'number' || !Array.isArray(parsed.groups)) return undefined;
    return parsed;
  } catch {
    return undefined;
  }
}

/**
 * Removes what runs whose faultbox process is dead left behind: SIGKILLs their process groups,
 * deletes their temp dirs and their record. Records of live runs (including ours) are untouched.
 */
export async function sweepStaleRuns(runsDir = DEFAULT_RUNS_DIR): Promise<SweepReport> {
  let names: string[];
  try {
    names = readdirSync(runsDir);
  } catch {
    return { runs: [], groupsKilled: 0, tempDirsRemoved: 0 };
  }
  const runs: string[] = [];
  let groupsKilled = 0;
  let tempDirsRemoved = 0;
  for (const name of names) {
    if (!name.endsWith('.json')) continue;
    const path = join(runsDir, name);
    const record = readRecord(path);
    if (!record) continue; // not ours to judge; leave it
    if (ownerAlive(record)) continue;
    try {
      // A death watch still alive after its owner died is stuck: end it and do its work here.
      if (record.watchdog) signalProcesses([record.watchdog], 'SIGKILL');
      const removed = await removeRecordedLeftovers(record);
      groupsKilled += removed.groupsKilled;
      tempDirsRemoved += removed.tempDirsRemoved;
      rmSync(path, { force: true });
      runs.push(record.runId);
    } catch {
      // Another user's run (EPERM/EACCES): theirs to sweep. Never fail our run over it.
    }
  }
  return { runs, groupsKilled, tempDirsRemoved };
}
