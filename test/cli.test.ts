// The CLI as a person meets it: help, check, errors with positions, exit codes.
import { describe, expect, it } from 'vitest';
import { faultbox } from './cli-run.js';

describe('faultbox CLI', () => {
  it('lists every command with one line each', () => {
    const r = faultbox(['--help']);
    expect(r.code).toBe(0);
    for (const cmd of ['check', 'test', 'record', 'explore', 'replay', 'corpus']) {
      expect(r.stdout).toMatch(new RegExp(`^  ${cmd} +\\S`, 'm'));
    }
    expect(r.stdout).toContain('3  infrastructure error');
  });

  it('check lists services, filters, tests and faults of a spec', () => {
    const r = faultbox(['check', 'examples/binary-demo/faultbox.star']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/postgres +binary \.\/bin\/postgres\.sh +main=postgres:15432 +filter:\[write,writev,pwrite64,pwritev,pwritev2,fsync,fdatasync,sync_file_range\]/);
    expect(r.stdout).toMatch(/redis +binary redis-server +main=redis:16379 +no filter/);
    expect(r.stdout).toContain('test_postgres_disk_full  (fault scenario)  filters: postgres[write,writev,pwrite64,pwritev,pwritev2]');
    // Per test, what its services start with: a def test's fault() is read from its syntax.
    expect(r.stdout).toContain('test_postgres_fsync_eio  filters: postgres[fsync,fdatasync,sync_file_range]');
    expect(r.stdout).toContain('test_redis_connect_refused  filters: api[connect]');
    expect(r.stdout).toMatch(/^ {2}test_happy_path {2}no filters$/m);
    expect(r.stdout).toContain('pg_disk_full: postgres write=deny(ENOSPC, path="**/pg_wal/**") label="disk full"');
  });

  it('a spec error names file:line:col, shows the line and a caret, and exits 2 without a JS stack', () => {
    const r = faultbox(['test', 'test/fixtures/cli/bad-kwarg.star']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('test/fixtures/cli/bad-kwarg.star:1:14: service: unexpected keyword argument "imag" (accepted: name, binary, image, build');
    expect(r.stderr).toMatch(/\n {13}\^\n/);
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
  });

  it('an unknown flag is a usage error naming the accepted flags', () => {
    const r = faultbox(['test', 'examples/binary-demo/faultbox.star', '--sed', '3']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown flag --sed (accepted: --test, --seed');
  });

  it('a test filter matching nothing is a usage error listing the tests', () => {
    const r = faultbox(['test', 'test/fixtures/cli/failing.star', '--test', 'nope']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('test_arithmetic_is_wrong');
  });

  it('a failing assertion prints the Starlark position and a replay command, and exits 1', () => {
    const r = faultbox(['test', 'test/fixtures/cli/failing.star']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('--- FAIL: test_arithmetic_is_wrong');
    expect(r.stdout).toContain('failing.star:2:14: assert_eq: arithmetic: 4 != 5');
    expect(r.stdout).toContain('replay: faultbox test test/fixtures/cli/failing.star --test test_arithmetic_is_wrong --seed 0');
    expect(r.stdout).toContain('0 passed, 1 failed');
  });

  it('a missing service binary is an infrastructure error: exit 3', () => {
    const r = faultbox(['test', 'test/fixtures/cli/missing-binary.star']);
    expect(r.code).toBe(3);
    expect(r.stdout).toContain('binary "./no-such-binary" not found');
  });

  it('a runaway scenario is cancelled at its timeout instead of hanging the run', () => {
    const r = faultbox(['test', 'test/fixtures/cli/runaway.star', '--test', 'spins'], { timeoutMs: 60_000 });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('timed out after 1.0s (the body was cancelled)');
  });

  it('a fault the filter cannot serve fails that test loudly (FAULT_NOT_FILTERABLE) and the run goes on', () => {
    const r = faultbox(['test', 'test/fixtures/cli/unfilterable.star']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('--- FAIL: test_alias_is_refused');
    expect(r.stdout).toContain('FAULT_NOT_FILTERABLE');
    expect(r.stdout).toContain('--- PASS: test_runs_after');
    expect(r.stdout).toContain('1 passed, 1 failed');
  });

  it('fault_matrix(require_faults_fire=True) fails a cell whose fault never fired as FAULT_BYPASSED', () => {
    const r = faultbox(['test', 'test/fixtures/cli/bypassed-matrix.star']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('--- PASS: test_matrix_fetch_index_slow_send');
    expect(r.stdout).toContain('--- FAIL: test_matrix_fetch_index_sync_fails');
    expect(r.stdout).toContain('FAULT_BYPASSED: web fsync=deny(EIO) never fired, so this cell tested nothing (require_faults_fire=True)');
    expect(r.stdout).toMatch(/fetch_index +PASS +BYPASSED/);
    // The scenario itself, without faults, passes.
    expect(r.stdout).toContain('--- PASS: test_fetch_index');
    expect(r.stdout).toContain('2 passed, 1 failed');
  });

  it('warns TEST_NO_ASSERTIONS under a def test that passed without an assert_* call', () => {
    const r = faultbox(['test', 'test/fixtures/cli/no-assertions.star']);
    expect(r.code).toBe(0);
    const block = (name: string) => r.stdout.split('--- ').find((b) => b.startsWith(`PASS: ${name} `)) ?? '';
    expect(block('test_checks_nothing')).toContain('warning: the test passed without checking anything (TEST_NO_ASSERTIONS)');
    expect(block('test_checks_through_a_helper')).not.toContain('TEST_NO_ASSERTIONS');
    expect(r.stdout).toContain('2 passed, 0 failed');
  });
});

