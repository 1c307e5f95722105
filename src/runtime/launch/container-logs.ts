// A container's output: the engine multiplexes stdout and stderr into frames (8-byte header:
// stream, 3 zero bytes, big-endian length) when the container has no TTY. We copy the followed
// stream into the service's log file, so its output survives the container's removal.
import { writeSync } from 'node:fs';
import type { Readable } from 'node:stream';
import type { ServiceLog } from './logs.js';

const FRAME_HEADER = 8;

/** Splits a complete multiplexed buffer (a non-follow logs answer) into text, streams interleaved. */
export function demuxLogBuffer(buf: Buffer): string {
  const parts: Buffer[] = [];
  let at = 0;
  while (at + FRAME_HEADER <= buf.length) {
    const stream = buf[at];
    const len = buf.readUInt32BE(at + 4);
    // Not a frame header: the container has a TTY and the buffer is raw text.
    if ((stream !== 0 && stream !== 1 && stream !== 2) || buf[at + 1] !== 0 || buf[at + 2] !== 0 || buf[at + 3] !== 0) {
      return buf.toString('utf8');
    }
    parts.push(buf.subarray(at + FRAME_HEADER, Math.min(buf.length, at + FRAME_HEADER + len)));
    at += FRAME_HEADER + len;
  }
  return Buffer.concat(parts).toString('utf8');
}

/**
 * Copies a followed multiplexed log stream into the service log until the stream ends (the
 * container stopped). Frames can straddle chunks, so partial ones are carried over.
 */
export function copyLogStream(stream: Readable, log: ServiceLog): Promise<void> {
  let pending: Buffer = Buffer.alloc(0);
  return new Promise((resolve) => {
    stream.on('data', (chunk: Buffer) => {
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
      while (pending.length >= FRAME_HEADER) {
        const len = pending.readUInt32BE(4);
        if (pending.length < FRAME_HEADER + len) break;
        const payload = pending.subarray(FRAME_HEADER, FRAME_HEADER + len);
        try {
          writeSync(log.writeFd, payload);
        } catch {
          // The log was closed (the service is being torn down); the rest is not needed.
        }
        pending = pending.subarray(FRAME_HEADER + len);
      }
    });
    const finish = (): void => resolve();
    stream.once('end', finish);
    stream.once('close', finish);
    stream.once('error', finish);
  });
}
