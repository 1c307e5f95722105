// A Go 1.19 service (Debian's golang) wakes its network poller by writing to a pipe it holds both
// ends of. A path-less write fault must leave that pipe alone, as it does eventfds: faulting it
// makes the Go runtime throw ("netpollBreak write failed") and kills the service for a reason
// that is faultbox's, not the service's.
import { describe, expect, it } from 'vitest';
import { faultboxAsync } from './cli-run.js';
import { isRuntimeFdCall } from '../src/runtime/supervisor/runtime-fds.js';

describe('Go runtime wake-up pipe', () => {
  it('is neither faulted nor counted by a path-less write rule, so the service lives on', async () => {
    const r = await faultboxAsync(['test', 'test/fixtures/go-wakeup/faultbox.star']);
    expect(r.stdout).toContain('--- PASS: test_write_fault_spares_the_runtime_wakeup_pipe');
    expect(r.stdout).not.toContain('netpollBreak');
    expect(r.code, r.stdout + r.stderr).toBe(0);
    // The census skips what the rules skip, by the name events give the pipe.
    expect(isRuntimeFdCall('write', 'pipe:[1289] (self)')).toBe(true);
    expect(isRuntimeFdCall('write', 'pipe:[1289]')).toBe(false);
  }, 120_000);
});
