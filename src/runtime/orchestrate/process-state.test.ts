import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { exitInProgress, statExiting } from './process-state.js';

describe('process exit detection', () => {
  it('reads the state and the exiting flag after the command name', () => {
    expect(statExiting('42 (node) S 1 42 42 0 -1 4194560 0 0')).toBe(false);
    expect(statExiting('42 (node) Z 1 42 42 0 -1 4194564 0 0')).toBe(true);
    expect(statExiting('42 (a) b) R 1 42 42 0 -1 4194308 0 0')).toBe(true); // PF_EXITING (0x4) set, odd name
  });

  it('sees a real child as exiting once it exited, before the parent reaps it', async () => {
    const child = spawn('sh', ['-c', 'read x'], { stdio: ['pipe', 'ignore', 'ignore'] });
    await new Promise((r) => child.once('spawn', r));
    expect(exitInProgress(child.pid!)).toBe(false);
    const exited = new Promise((r) => child.once('exit', r));
    child.stdin.end('\n');
    // Spin without yielding to the event loop, so nothing can reap the child meanwhile: once it
    // has exited it stays a zombie, and isAlive() (the exit event) would still say alive.
    const until = Date.now() + 5000;
    const zombie = () => /\) Z /.test(readFileSync(`/proc/${child.pid}/stat`, 'utf8'));
    while (!zombie() && Date.now() < until);
    expect(zombie()).toBe(true);
    expect(child.exitCode).toBe(null); // the parent has not heard of it yet
    expect(exitInProgress(child.pid!)).toBe(true);
    await exited;
    expect(exitInProgress(child.pid!)).toBe(true); // reaped: gone
  });
});
