import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { holdStderr } from './stderr-hold.js';

class FakeStderr extends EventEmitter {
  readonly written: string[] = [];
  write(chunk: string | Uint8Array): boolean {
    this.written.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  }
}

describe('holdStderr', () => {
  it('keeps writes off the terminal, hands each complete line to the screen, then writes all in order', async () => {
    const stream = new FakeStderr();
    const shown: string[] = [];
    const hold = holdStderr(stream as unknown as NodeJS.WriteStream, (line) => shown.push(line));
    const w = stream.write.bind(stream) as (chunk: string | Uint8Array, cb?: () => void) => boolean;

    let called = false;
    expect(w('faultbox: removed leftovers', () => (called = true))).toBe(true);
    expect(w(Buffer.from(' of 1 crashed run(s)\n\nwarning: x\npart'))).toBe(true);
    await Promise.resolve();
    expect(called).toBe(true);
    expect(stream.written).toEqual([]);
    expect(shown).toEqual(['faultbox: removed leftovers of 1 crashed run(s)', 'warning: x']);

    hold.release();
    expect(stream.written).toEqual(['faultbox: removed leftovers of 1 crashed run(s)\n\nwarning: x\npart']);
    // Released: writes go straight through again; a second release writes nothing twice.
    stream.write('after\n');
    hold.release();
    expect(stream.written).toEqual(['faultbox: removed leftovers of 1 crashed run(s)\n\nwarning: x\npart', 'after\n']);
  });

  it('writes nothing on release when nothing was held', () => {
    const stream = new FakeStderr();
    holdStderr(stream as unknown as NodeJS.WriteStream, () => undefined).release();
    expect(stream.written).toEqual([]);
  });
});
