// Decodes a socket address copied out of a target's memory (connect/sendto) into the peer string
// events carry: `127.0.0.1:5432`, `[::1]:6379`, `unix:/run/x.sock`, `unix:@abstract`.

export const AF_UNIX = 1;
export const AF_INET = 2;
export const AF_INET6 = 10;

/** Largest sockaddr worth reading (sizeof(struct sockaddr_storage)). */
export const SOCKADDR_MAX = 128;

/**
 * `len` is the addrlen the target passed; bytes past it are ignored. Returns undefined when the
 * address is too short to hold its family's fields.
 */
export function decodeSockaddr(buf: Uint8Array, len: number): string | undefined {
  const n = Math.min(len, buf.length, SOCKADDR_MAX);
  if (n < 2) return undefined;
  const family = buf[0]! | (buf[1]! << 8);
  switch (family) {
    case AF_INET: {
      if (n < 8) return undefined;
      return `${buf[4]}.${buf[5]}.${buf[6]}.${buf[7]}:${port(buf)}`;
    }
    case AF_INET6: {
      if (n < 24) return undefined;
      const scope = n >= 28 ? (buf[24]! | (buf[25]! << 8) | (buf[26]! << 16) | (buf[27]! << 24)) >>> 0 : 0;
      return `[${formatIpv6(buf, 8)}${scope ? `%${scope}` : ''}]:${port(buf)}`;
    }
    case AF_UNIX: {
      if (n === 2) return 'unix:'; // unnamed (autobind)
      if (buf[2] === 0) return `unix:@${latin1(buf, 3, n)}`; // abstract namespace: length-delimited
      let end = 2;
      while (end < n && buf[end] !== 0) end++;
      return `unix:${utf8(buf, 2, end)}`;
    }
    default:
      return `family${family}:`;
  }
}

function port(buf: Uint8Array): number {
  return (buf[2]! << 8) | buf[3]!;
}

/** RFC 5952 text: lower-case hex, longest run (≥ 2) of zero groups as `::`, mapped IPv4 dotted. */
export function formatIpv6(buf: Uint8Array, off: number): string {
  const groups: number[] = [];
  for (let i = 0; i < 8; i++) groups.push((buf[off + 2 * i]! << 8) | buf[off + 2 * i + 1]!);
  if (groups[0] === 0 && groups[1] === 0 && groups[2] === 0 && groups[3] === 0 && groups[4] === 0 && groups[5] === 0xffff) {
    return `::ffff:${buf[off + 12]}.${buf[off + 13]}.${buf[off + 14]}.${buf[off + 15]}`;
  }
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) { bestStart = i; bestLen = j - i; }
    i = j;
  }
  if (bestLen < 2) return groups.map((g) => g.toString(16)).join(':');
  const head = groups.slice(0, bestStart).map((g) => g.toString(16)).join(':');
  const tail = groups.slice(bestStart + bestLen).map((g) => g.toString(16)).join(':');
  return `${head}::${tail}`;
}

function latin1(buf: Uint8Array, start: number, end: number): string {
  let s = '';
  for (let i = start; i < end; i++) {
    const c = buf[i]!;
    s += c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : `\\x${c.toString(16).padStart(2, '0')}`;
  }
  return s;
}

function utf8(buf: Uint8Array, start: number, end: number): string {
  return Buffer.from(buf.buffer, buf.byteOffset + start, end - start).toString('utf8');
}
