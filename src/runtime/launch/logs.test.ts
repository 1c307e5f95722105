import { afterEach, describe, expect, it } from 'vitest';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ServiceLog } from './logs.js';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'faultbox-logs-test-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('ServiceLog', () => {
  it('writes to <dir>/<service>.log and tails the last lines', () => {
    const dir = tempDir();
    const log = ServiceLog.open(dir, 'api');
    expect(log.path).toBe(join(dir, 'api.log'));
    for (let i = 1; i <= 100; i++) writeSync(log.writeFd, `line ${i}\n`);
    expect(log.tail(3)).toBe('line 98\nline 99\nline 100');
    expect(log.tail().split('\n')).toHaveLength(40);
    log.close();
    expect(log.tail(1)).toBe('line 100'); // readable after close
  });

  it('tails only what this launch wrote when the file is reused by a relaunch', () => {
    const dir = tempDir();
    const first = ServiceLog.open(dir, 'db');
    writeSync(first.writeFd, 'first run\n');
    first.close();
    const second = ServiceLog.open(dir, 'db');
    expect(second.tail()).toBe('');
    writeSync(second.writeFd, 'second run\n');
    expect(second.tail()).toBe('second run');
    expect(readFileSync(second.path, 'utf8')).toBe('first run\nsecond run\n');
    second.close();
  });

  it('keeps a tail bounded and starting at a whole line for huge output', () => {
    const dir = tempDir();
    const log = ServiceLog.open(dir, 'noisy');
    appendFileSync(log.path, `${'x'.repeat(200)}\n`.repeat(2000));
    const tail = log.tail(10_000);
    expect(tail.length).toBeLessThanOrEqual(64 * 1024);
    expect(tail.split('\n').every((l) => l === 'x'.repeat(200))).toBe(true);
    log.close();
  });

  it('sanitizes service names into file names', () => {
    const dir = tempDir();
    const log = ServiceLog.open(dir, 'a/b c');
    expect(log.path).toBe(join(dir, 'a_b_c.log'));
    log.close();
  });
});
