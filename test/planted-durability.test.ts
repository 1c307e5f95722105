// The planted durability examples against the real supervisor: the kv service that acknowledges
// before fsync and the one that renames without fsync lose acknowledged writes only under a
// modelled power loss (crash(lose_unsynced=True)); the one that does it right loses nothing.
import { describe, expect, it } from 'vitest';
import { faultbox, section } from './cli-run.js';
import { leftoverTempDirs, processesMatching } from './leftovers.js';

const spec = (name: string) => `examples/planted-durability/${name}/faultbox.star`;

function run(name: string) {
  const before = new Set(leftoverTempDirs());
  const r = faultbox(['test', spec(name)]);
  const left = leftoverTempDirs().filter((d) => !before.has(d));
  return { ...r, left };
}

describe('planted durability bugs', () => {
  it.each(['ack-before-fsync', 'rename-without-fsync'])('%s survives a crash but loses an acknowledged write to a power loss', (name) => {
    const r = run(name);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('--- PASS: test_process_crash_keeps_acknowledged_write');
    expect(section(r.stdout, '--- FAIL: test_power_loss_keeps_acknowledged_write')).toContain('the acknowledged PUT of greeting must survive a power loss: 404 != 200');
    const fault = section(r.stdout, '--- FAIL: test_power_loss_during_next_write');
    expect(fault).toMatch(/#\d+ {2}kv {2}write {2}crash {2}\[power loss\] {2}\S+\/data\./);
    expect(fault).toContain('the acknowledged PUT of first must survive a power loss during the next write: 404 != 200');
    expect(r.left).toEqual([]);
  }, 120_000);

  it('atomic-rename (fsync the file, rename, fsync the directory) loses nothing', () => {
    const r = run('atomic-rename');
    expect(r.stdout).toContain('4 passed, 0 failed'); // the three tests and the explorer's scenario, fault-free
    expect(r.code).toBe(0);
    // The crash fault did fire: the pass is not vacuous.
    expect(section(r.stdout, '--- PASS: test_power_loss_during_next_write')).toMatch(/kv {2}write {2}crash/);
    expect(r.left).toEqual([]);
    expect(processesMatching('planted-durability/kv.mjs')).toEqual([]);
  }, 120_000);
});
