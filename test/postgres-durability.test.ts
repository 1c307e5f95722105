// Ground truth for the lost-writes model on real PostgreSQL 15 (Debian): with fsync=on no
// acknowledged commit is lost to a modelled power loss; with fsync=off (documented to lose data
// on a power loss) one is. A model too weak would pass both; one too strong would fail both.
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { faultbox, section } from './cli-run.js';
import { leftoverTempDirs, processesMatching } from './leftovers.js';

describe('PostgreSQL durability under a modelled power loss', () => {
  it('finds the PostgreSQL server binaries (installed by npm run setup)', () => {
    expect(existsSync('/usr/lib/postgresql'), 'PostgreSQL is not installed: run npm run setup').toBe(true);
  });

  it('fsync=on: every acknowledged commit survives, also a crash at the next WAL write', () => {
    const before = new Set(leftoverTempDirs());
    const r = faultbox(['test', 'examples/postgres-durability/fsync-on.star']);
    expect(r.stdout).toContain('3 passed, 0 failed'); // with the explorer's scenario, fault-free
    expect(r.code).toBe(0);
    expect(section(r.stdout, '--- PASS: test_commit_survives_power_loss_at_next_wal_write')).toMatch(/pg {2}pwrite64 {2}crash {2}\[power loss\] {2}\S+\/pg_wal\//);
    expect(leftoverTempDirs().filter((d) => !before.has(d))).toEqual([]);
    expect(processesMatching('faultbox-run-').filter((p) => p.includes('pgdata'))).toEqual([]);
  }, 180_000);

  it('fsync=off: an acknowledged commit is lost', () => {
    const r = faultbox(['test', 'examples/postgres-durability/fsync-off.star']);
    expect(r.code).toBe(1);
    expect(section(r.stdout, '--- FAIL: test_commit_survives_power_loss')).toMatch(/reading commit 1 back after a power loss: relation "acked" does not exist|acknowledged commit 1 lost/);
    expect(section(r.stdout, '--- FAIL: test_commit_survives_power_loss_at_next_wal_write')).toMatch(/commit 1/);
  }, 180_000);
});
