// The binary demo end to end: real PostgreSQL and Redis from Debian's packages and the demo api,
// all under real seccomp, through the CLI a user runs.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { faultbox, section } from './cli-run.js';
import { leftoverTempDirs, processesMatching } from './leftovers.js';

const SPEC = 'examples/binary-demo/faultbox.star';

function requireServers(): void {
  const pg = existsSync('/usr/lib/postgresql') ;
  const redis = ['/usr/bin/redis-server', '/usr/local/bin/redis-server'].some((p) => existsSync(p));
  if (!pg || !redis) throw new Error('PostgreSQL and Redis server binaries are required: run scripts/setup-services.sh (as root)');
}

describe('binary demo (real PostgreSQL, Redis, api under seccomp)', () => {
  let out: { code: number | null; stdout: string; stderr: string };
  let traceDir: string;
  let tempBefore: Set<string>;

  beforeAll(() => {
    requireServers();
    tempBefore = new Set(leftoverTempDirs());
    traceDir = mkdtempSync(join(tmpdir(), 'fbx-demo-trace-'));
    out = faultbox(['test', SPEC, '--output', join(traceDir, 'trace.json')]);
  });
  afterAll(() => rmSync(traceDir, { recursive: true, force: true }));

  it('passes every test of the demo spec', () => {
    expect(out.stdout).toMatch(/^16 passed, 0 failed$/m);
    expect(out.code).toBe(0);
  });

  it('starts each def test with the filters its fault() calls need: no test body runs twice', () => {
    expect(out.stdout).not.toContain('beyond the filters its syntax showed');
    const trace = JSON.parse(readFileSync(join(traceDir, 'trace.json'), 'utf8'));
    const filters = (name: string) => {
      const t = trace.tests.find((x: { name: string }) => x.name === name);
      const started = t.events.filter((e: { type: string; phase?: string }) => e.type === 'lifecycle' && e.phase === 'started');
      return Object.fromEntries(started.map((e: { service: string; detail: string }) => [e.service, e.detail]));
    };
    // fault(postgres, fsync=...) in a def: only PostgreSQL is filtered, with the fsync family.
    expect(filters('test_postgres_fsync_eio')).toMatchObject({ postgres: expect.stringMatching(/^filter:\[.*fsync/), redis: 'no filter', api: 'no filter' });
    expect(filters('test_redis_connect_refused')).toMatchObject({ postgres: 'no filter', redis: 'no filter', api: 'filter:[connect]' });
    expect(filters('test_happy_path')).toMatchObject({ postgres: 'no filter', redis: 'no filter', api: 'no filter' });
  });

  it('prints the fault_matrix grid, one row per scenario and one column per fault', () => {
    expect(out.stdout).toMatch(/fault matrix:\n {2}scenario +pg_disk_full +pg_fsync_eio +redis_down\n[ -]+\n {2}write_data +PASS +PASS +PASS\n {2}read_data +PASS +PASS +PASS/);
  });

  it('shows the rule expansion and the denied PostgreSQL WAL writes with their paths', () => {
    const block = section(out.stdout, '--- PASS: test_postgres_disk_full');
    expect(block).toContain('fault rule on postgres: write=deny(ENOSPC, path="**/pg_wal/**") → filter:[write,writev,pwrite64,pwritev,pwritev2] label="disk full"');
    expect(block).toMatch(/#\d+ {2}postgres {2}pwrite64 {2}deny\(no space left on device\) {2}\[disk full\] {2}\/\S+\/pg_wal\/0{7}1\d+/);
  });

  it('fires nth=2 on the second commit only, and delays without failing', () => {
    const nth = section(out.stdout, '--- PASS: test_second_wal_write_fails');
    expect(nth.match(/deny\(input\/output error\)/g)).toHaveLength(1);
    const delay = section(out.stdout, '--- PASS: test_slow_fsync');
    expect(delay).toMatch(/fdatasync {2}delay\(300ms\)/);
  });

  it('denies the api its Redis connects and the api degrades to PostgreSQL', () => {
    const block = section(out.stdout, '--- PASS: test_redis_connect_refused');
    expect(block).toMatch(/api {2}connect {2}deny\(connection refused\) {2}\[redis down\] {2}127\.0\.0\.1:16379/);
  });

  it('writes a trace with every test, its verdict and its syscall events', () => {
    const trace = JSON.parse(readFileSync(join(traceDir, 'trace.json'), 'utf8'));
    expect(trace.tests).toHaveLength(16);
    const disk = trace.tests.find((t: { name: string }) => t.name === 'test_postgres_write_enospc');
    expect(disk.result).toBe('pass');
    const denied = disk.events.filter((e: { type: string; decision?: string }) => e.type === 'syscall' && e.decision === 'deny');
    expect(denied.length).toBeGreaterThan(0);
    expect(denied[0]).toMatchObject({ service: 'postgres', errno: 'ENOSPC', label: 'disk full' });
    expect(denied[0].path).toMatch(/pg_wal/);
    // Per-service filtering: Redis is never filtered, PostgreSQL is.
    const started = disk.events.filter((e: { type: string; phase?: string }) => e.type === 'lifecycle' && e.phase === 'started');
    expect(started.find((e: { service: string }) => e.service === 'redis').detail).toBe('no filter');
    expect(started.find((e: { service: string }) => e.service === 'postgres').detail).toMatch(/^filter:\[write,/);
  });

  it('leaves no service process or temp dir behind', () => {
    expect(processesMatching('examples/binary-demo')).toEqual([]);
    expect(processesMatching('redis-server *:16379').concat(processesMatching('redis-server 127.0.0.1:16379'))).toEqual([]);
    expect(leftoverTempDirs().filter((d) => !tempBefore.has(d))).toEqual([]);
  });
});
