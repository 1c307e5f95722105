// Buffers whose bytes never move: each owns a fresh ArrayBuffer (V8 keeps small typed arrays on
// its heap, where a GC may move them), so their address can be embedded in iovecs and msghdrs.
export function pinnedBuffer(size: number): Buffer {
  return Buffer.from(new ArrayBuffer(size));
}

/** Writes a pointer-sized value (an address below 2^53) as a little-endian u64. */
export function writeU64(buf: Buffer, offset: number, value: number): void {
  buf.writeUInt32LE(value % 0x100000000, offset);
  buf.writeUInt32LE(Math.floor(value / 0x100000000), offset + 4);
}

/** Reads a little-endian u64 that is known to fit in a double (user-space addresses, sizes). */
export function readU64(buf: Buffer, offset: number): number {
  return buf.readUInt32LE(offset + 4) * 0x100000000 + buf.readUInt32LE(offset);
}
