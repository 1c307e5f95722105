import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CleanupRegistry } from './cleanup.js';
import { removableTempDir, sweepStaleRuns, writeRunRecord, type RunRecord } from './cleanup-record.js';
import { groupMembers, processStartTime } from './process-group.js';

let dir: string;
let runsDir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'faultbox-cleanup-test-'));
  runsDir = join(dir, 'runs');
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** A detached `sleep` group we own, killed by the test if anything goes wrong. */
function sleeper(): number {
  const child = spawn('sleep', ['300'], { detached: true, stdio: 'ignore' });
  child.unref();
  return child.pid!;
}

/** The pid and start time of a process that has exited. */
function deadProcess(): { pid: number; start: number } {
  const r = spawnSync('sh', ['-c', 'echo $$; cat /proc/$$/stat']);
  const [pidLine, stat] = r.stdout.toString().split('\n');
  const start = Number(stat!.slice(stat!.lastIndexOf(')') + 2).split(' ')[19]);
  return { pid: Number(pidLine), start };
}

describe('CleanupRegistry', () => {
  it('disposes newest first and reports failures without stopping', async () => {
    const registry = new CleanupRegistry({ runsDir, log: () => {} });
    const order: string[] = [];
    registry.register('network', async () => {
      order.push('network');
    });
    registry.register('container', async () => {
      order.push('container');
      throw new Error('daemon gone');
    });
    const tmp = registry.makeTempDir('faultbox-cleanup-unit-');
    registry.register('late', async () => {
      order.push(`late (dir exists: ${existsSync(tmp)})`);
    });
    const report = await registry.dispose();
    expect(order).toEqual(['late (dir exists: true)', 'container', 'network']);
    expect(existsSync(tmp)).toBe(false);
    expect(report.disposed).toBe(3);
    expect(report.failures).toEqual([{ name: 'container', error: 'daemon gone' }]);
    expect(registry.size).toBe(0);
  });

  it('keeps a run record of groups and temp dirs while any are tracked', async () => {
    const registry = new CleanupRegistry({ runsDir, runId: 'unit-run', log: () => {} });
    const pgid = sleeper();
    const release = registry.trackGroup(pgid, 'service sleeper', async () => {
      process.kill(-pgid, 'SIGKILL');
    });
    const tmp = registry.makeTempDir('faultbox-cleanup-unit-');
    const record = JSON.parse(readFileSync(join(runsDir, 'unit-run.json'), 'utf8')) as RunRecord;
    expect(record.pid).toBe(process.pid);
    expect(record.pidStartTime).toBe(processStartTime(process.pid));
    expect(record.groups).toEqual([{ pgid, leaderStartTime: processStartTime(pgid), label: 'service sleeper' }]);
    expect(record.tempDirs).toEqual([tmp]);

    release();
    expect((JSON.parse(readFileSync(join(runsDir, 'unit-run.json'), 'utf8')) as RunRecord).groups).toEqual([]);
    process.kill(-pgid, 'SIGKILL');
    await registry.dispose();
    expect(readdirSync(runsDir)).toEqual([]);
  });

  it('disposeSync SIGKILLs tracked groups and removes temp dirs', async () => {
    const registry = new CleanupRegistry({ runsDir, log: () => {} });
    const pgid = sleeper();
    registry.trackGroup(pgid, 'service sleeper', async () => {});
    const tmp = registry.makeTempDir('faultbox-cleanup-unit-');
    registry.disposeSync();
    for (let i = 0; i < 200 && groupMembers(pgid).length > 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(groupMembers(pgid)).toEqual([]);
    expect(existsSync(tmp)).toBe(false);
    expect(readdirSync(runsDir)).toEqual([]);
  });
});

describe('sweepStaleRuns', () => {
  it('kills the groups and removes the temp dirs of a run whose faultbox is dead', async () => {
    const pgid = sleeper();
    const leftover = mkdtempSync(join(tmpdir(), 'faultbox-cleanup-leftover-'));
    const dead = deadProcess();
    writeRunRecord(runsDir, {
      runId: 'crashed',
      pid: dead.pid,
      pidStartTime: dead.start,
      startedAt: new Date().toISOString(),
      groups: [{ pgid, leaderStartTime: processStartTime(pgid)!, label: 'service sleeper' }],
      tempDirs: [leftover],
    });
    const report = await sweepStaleRuns(runsDir);
    expect(report).toEqual({ runs: ['crashed'], groupsKilled: 1, tempDirsRemoved: 1 });
    expect(groupMembers(pgid)).toEqual([]);
    expect(existsSync(leftover)).toBe(false);
    expect(readdirSync(runsDir)).toEqual([]);
  });

  it('leaves the record of a live run alone', async () => {
    const pgid = sleeper();
    try {
      writeRunRecord(runsDir, {
        runId: 'live',
        pid: process.pid,
        pidStartTime: processStartTime(process.pid)!,
        startedAt: new Date().toISOString(),
        groups: [{ pgid, leaderStartTime: processStartTime(pgid)!, label: 'service sleeper' }],
        tempDirs: [],
      });
      expect(await sweepStaleRuns(runsDir)).toEqual({ runs: [], groupsKilled: 0, tempDirsRemoved: 0 });
      expect(groupMembers(pgid)).toEqual([pgid]);
      expect(readdirSync(runsDir)).toEqual(['live.json']);
    } finally {
      process.kill(-pgid, 'SIGKILL');
    }
  });

  it('treats a reused faultbox pid as dead, and does not kill a group whose id was reused', async () => {
    const pgid = sleeper();
    try {
      writeRunRecord(runsDir, {
        runId: 'reused',
        pid: process.pid,
        pidStartTime: processStartTime(process.pid)! - 1, // same pid, another process
        startedAt: new Date().toISOString(),
        groups: [{ pgid, leaderStartTime: processStartTime(pgid)! - 1, label: 'service long gone' }],
        tempDirs: ['/etc'], // never removed: outside the temp dir
      });
      expect(await sweepStaleRuns(runsDir)).toEqual({ runs: ['reused'], groupsKilled: 0, tempDirsRemoved: 0 });
      expect(groupMembers(pgid)).toEqual([pgid]);
      expect(existsSync('/etc')).toBe(true);
    } finally {
      process.kill(-pgid, 'SIGKILL');
    }
  });

  it('returns an empty report when there is no runs directory', async () => {
    mkdirSync(dir, { recursive: true });
    expect(await sweepStaleRuns(join(dir, 'nothing-here'))).toEqual({ runs: [], groupsKilled: 0, tempDirsRemoved: 0 });
  });
});

describe('removableTempDir', () => {
  it('accepts only directories strictly inside the system temp dir', () => {
    expect(removableTempDir(join(tmpdir(), 'faultbox-x'))).toBe(true);
    expect(removableTempDir(tmpdir())).toBe(false);
    expect(removableTempDir('/etc')).toBe(false);
    expect(removableTempDir(join(tmpdir(), '..', 'etc'))).toBe(false);
    expect(removableTempDir('relative/dir')).toBe(false);
  });
});
