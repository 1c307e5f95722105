// The lost-writes model's edges on real processes (test/fixtures/lost-writes-model): a shared
// writable mmap of a file makes the case say LOST_WRITES_BLIND instead of giving a result, an
// O_DSYNC write survives a power loss, io_uring_setup is refused with ENOSYS while the model is on
// (the kernel here supports io_uring: the refusal is faultbox's).
import { beforeAll, describe, expect, it } from 'vitest';
import { faultbox, section } from './cli-run.js';
import { leftoverTempDirs, processesMatching } from './leftovers.js';

describe('lost-writes model: blind spots and durable writes', () => {
  let run: ReturnType<typeof faultbox>;
  let before: Set<string>;

  beforeAll(() => {
    before = new Set(leftoverTempDirs());
    run = faultbox(['test', 'test/fixtures/lost-writes-model/faultbox.star']);
  }, 120_000);

  it('reports a shared writable mmap as a blind spot, not as a result', () => {
    const block = section(run.stdout, '--- FAIL: test_shared_mmap_is_a_blind_spot');
    expect(block).toContain('LOST_WRITES_BLIND');
    expect(block).toMatch(/a shared writable mmap of \S+\/mapped/);
    expect(run.code).not.toBe(0);
  });

  it('keeps an O_DSYNC write and refuses io_uring_setup', () => {
    expect(run.stdout).toContain('--- PASS: test_dsync_write_is_durable');
    expect(run.stdout).toContain('--- PASS: test_io_uring_is_refused');
  });

  it('leaves nothing behind', () => {
    expect(processesMatching('probe.py')).toEqual([]);
    expect(leftoverTempDirs().filter((d) => !before.has(d))).toEqual([]);
  });
});
