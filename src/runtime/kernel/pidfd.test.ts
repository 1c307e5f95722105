import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { InfraError } from '../../errors.js';
import { libc } from './libc.js';
import { takeFdFromProcess } from './pidfd.js';

describe('takeFdFromProcess', () => {
  it('duplicates another process\'s fd into this one', async () => {
    const child = spawn('sleep', ['5'], { stdio: ['ignore', 'pipe', 'ignore'] });
    try {
      const seen = new Promise<string>((r) => child.stdout!.once('data', (d: Buffer) => r(d.toString())));
      await new Promise((r) => child.once('spawn', r));
      // The child's stdout is the write end of a pipe we read: write through our copy of it.
      const fd = takeFdFromProcess(child.pid!, 1);
      const msg = Buffer.from('via pidfd_getfd');
      expect(libc().write(fd, msg, msg.length)).toBe(msg.length);
      libc().close(fd);
      expect(await seen).toBe('via pidfd_getfd');
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('fails with an InfraError naming the pid and fd', () => {
    expect(() => takeFdFromProcess(process.pid, 987654)).toThrow(InfraError);
    expect(() => takeFdFromProcess(process.pid, 987654)).toThrow(/pidfd_getfd\(pid \d+, fd 987654\)/);
    expect(() => takeFdFromProcess(2 ** 22 + 4321, 0)).toThrow(/pidfd_open/);
  });
});
