import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { descendants, groupIsOurs, groupMembers, processStartTime, stillAlive, waitGroupGone } from './process-group.js';

async function until(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 300 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
}

describe('process groups and trees from /proc', () => {
  it('finds a group, the descendants that left it, and sees them gone after SIGKILL', async () => {
    // The shell leads a new group; one sleep stays in it, the other moves to its own session.
    const child = spawn('sh', ['-c', 'sleep 300 & setsid sleep 301 & wait'], { detached: true, stdio: 'ignore' });
    const pgid = child.pid!;
    // Settled = both sleeps exec'd: two descendants, exactly one still in the group.
    const settled = (): boolean => {
      const d = descendants(pgid);
      return d.length === 2 && d.filter((r) => groupMembers(pgid).includes(r.pid)).length === 1;
    };
    await until(settled);
    const tree = descendants(pgid);
    expect(tree).toHaveLength(2);
    const inGroup = groupMembers(pgid);
    expect(inGroup).toHaveLength(2); // the shell and the first sleep
    const leftGroup = tree.filter((r) => !inGroup.includes(r.pid));
    expect(leftGroup).toHaveLength(1);

    process.kill(-pgid, 'SIGKILL');
    // The group signal misses the setsid'd sleep: waiting on the tree reports it.
    expect(await waitGroupGone(pgid, 300, tree)).toBe(false);
    expect(stillAlive(tree).map((r) => r.pid)).toEqual(leftGroup.map((r) => r.pid));
    process.kill(leftGroup[0]!.pid, 'SIGKILL');
    expect(await waitGroupGone(pgid, 2000, tree)).toBe(true);
    expect(groupMembers(pgid)).toEqual([]);
  });

  it('tells our group from a newer one that took over the id (pid reuse)', async () => {
    const child = spawn('sleep', ['300'], { detached: true, stdio: 'ignore' });
    const pgid = child.pid!;
    const start = processStartTime(pgid)!;
    try {
      expect(groupIsOurs(pgid, start)).toBe(true);
      expect(groupIsOurs(pgid, start - 1)).toBe(false);
      // A group whose id now names another leader counts as gone for us.
      expect(await waitGroupGone(pgid, 0, [], start - 1)).toBe(true);
      expect(await waitGroupGone(pgid, 0, [], start)).toBe(false);
    } finally {
      process.kill(-pgid, 'SIGKILL');
    }
    await until(() => processStartTime(pgid) === undefined);
    expect(groupIsOurs(pgid, start)).toBe(true); // no process holds the id: nothing to confuse
  });
});
