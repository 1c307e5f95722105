import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { copyLogStream, demuxLogBuffer } from './container-logs.js';
import { ServiceLog } from './logs.js';

function frame(stream: 1 | 2, text: string): Buffer {
  const payload = Buffer.from(text);
  const header = Buffer.alloc(8);
  header[0] = stream;
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
}

describe('container log frames', () => {
  it('demuxes a complete answer, stdout and stderr interleaved in order', () => {
    expect(demuxLogBuffer(Buffer.concat([frame(1, 'out\n'), frame(2, 'err\n'), frame(1, 'more\n')]))).toBe('out\nerr\nmore\n');
  });

  it('treats a buffer without frame headers (a TTY container) as raw text', () => {
    expect(demuxLogBuffer(Buffer.from('plain text output\n'))).toBe('plain text output\n');
  });

  it('copies a followed stream into the service log even when frames straddle chunks', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'faultbox-clog-'));
    try {
      const log = ServiceLog.open(dir, 'db');
      const stream = new PassThrough();
      const done = copyLogStream(stream, log);
      const all = Buffer.concat([frame(1, 'hello '), frame(2, 'world\n')]);
      for (let i = 0; i < all.length; i += 3) stream.write(all.subarray(i, i + 3));
      stream.end();
      await done;
      log.close();
      expect(readFileSync(log.path, 'utf8')).toBe('hello world\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
