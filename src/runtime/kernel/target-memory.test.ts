import { describe, expect, it } from 'vitest';
import { libc } from './libc.js';
import { pinnedBuffer } from './pinned-buffer.js';
import { PATH_READ_MAX, TargetMemory } from './target-memory.js';

// Reads this process's own memory: process_vm_readv treats it like any other target.
describe('TargetMemory', () => {
  it('reads a NUL-terminated string that crosses a page boundary', () => {
    const region = pinnedBuffer(3 * 4096);
    const base = libc().addressOf(region);
    const pageEnd = 4096 - (base % 4096);
    const text = '/var/lib/data/' + 'x'.repeat(40);
    const at = pageEnd - 10; // starts 10 bytes before a page boundary
    region.write(text, at, 'utf8');
    region[at + Buffer.byteLength(text)] = 0;
    const mem = new TargetMemory();
    expect(mem.readCString(process.pid, base + at)).toBe(text);
  });

  it('decodes UTF-8 paths', () => {
    const region = pinnedBuffer(64);
    region.write('/tmp/données\0', 0, 'utf8');
    expect(new TargetMemory().readCString(process.pid, libc().addressOf(region))).toBe('/tmp/données');
  });

  it('gives up on NULL, unmapped memory and strings without a terminator within the limit', () => {
    const mem = new TargetMemory();
    expect(mem.readCString(process.pid, 0)).toBeUndefined();
    expect(mem.readCString(process.pid, 4096)).toBeUndefined();
    const long = pinnedBuffer(PATH_READ_MAX + 16).fill(0x61);
    expect(mem.readCString(process.pid, libc().addressOf(long))).toBeUndefined();
  });

  it('copies raw bytes and reports how many arrived', () => {
    const src = pinnedBuffer(16);
    src.writeUInt32LE(0xdeadbeef, 4);
    const mem = new TargetMemory();
    expect(mem.read(process.pid, libc().addressOf(src), 16)).toBe(16);
    expect(mem.bytes.readUInt32LE(4)).toBe(0xdeadbeef);
    expect(mem.read(process.pid, 4096, 16)).toBe(-1);
  });
});
