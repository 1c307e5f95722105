// Denied socket calls do to the connection what the kernel would (src/runtime/supervisor/
// socket-effects.ts), on real Python servers under real seccomp: an aborted accept resets the
// pending connection (no accept loop spinning on it, the client told at once), and a connection
// error on a reply ends the connection (a server that ignores the error cannot keep its client
// waiting). Each assertion fails without the effect: the client then waits for its 5 s timeout.
import { describe, expect, it } from 'vitest';
import { faultbox } from './cli-run.js';

describe('socket faults that mean what the kernel means', () => {
  it('accept=deny(ECONNABORTED) resets the pending connection; a reset reply ends the connection', () => {
    const r = faultbox(['test', 'test/fixtures/socket-effects/faultbox.star'], { timeoutMs: 120_000 });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('--- PASS: test_aborted_accept');
    expect(r.stdout).toContain('--- PASS: test_reset_reply');
    expect(r.stdout).toMatch(/web +accept4? +deny\(software caused connection abort\)/);
    expect(r.stdout).toContain('2 passed, 0 failed');
  });
});
