// What a run of ours can leave behind, for tests asserting that nothing is.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { tmpdir } from 'node:os';

/** Temp dirs owned by faultbox runs that are still alive (other suites may run beside us). */
function liveRunDirs(): Set<string> {
  const live = new Set<string>();
  const dir = join(tmpdir(), 'faultbox-runs');
  if (!existsSync(dir)) return live;
  for (const f of readdirSync(dir)) {
    try {
      const rec = JSON.parse(readFileSync(join(dir, f), 'utf8')) as { pid: number; tempDirs: string[] };
      process.kill(rec.pid, 0);
      for (const d of rec.tempDirs) live.add(basename(d));
    } catch {
      // a dead run's record, or one being rewritten
    }
  }
  return live;
}

/** Our temp dirs still present (run dirs, service scratch dirs) that no live run owns. */
export function leftoverTempDirs(): string[] {
  const live = liveRunDirs();
  return readdirSync(tmpdir()).filter((n) => n.startsWith('faultbox-run-') && !live.has(n));
}

/** Live processes whose command line mentions `needle` (e.g. a spec's service paths). */
export function processesMatching(needle: string): string[] {
  const out: string[] = [];
  for (const pid of readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
    if (Number(pid) === process.pid) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      if (/\) Z /.test(stat)) continue; // zombies hold nothing
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
      if (cmd.includes(needle)) out.push(`${pid} ${cmd}`);
    } catch {
      // the process ended while we looked
    }
  }
  return out;
}

/** Live processes whose environment holds `needle` (a marker given in a spec's env=), as "pid cmdline". */
export function processesWithEnvironment(needle: string): string[] {
  const out: string[] = [];
  for (const pid of readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
    try {
      if (/\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'))) continue;
      if (!readFileSync(`/proc/${pid}/environ`, 'latin1').includes(needle)) continue;
      out.push(`${pid} ${readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim()}`);
    } catch {
      // the process ended while we looked, or is not ours to read
    }
  }
  return out;
}
