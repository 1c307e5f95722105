// Arbitrary-precision int arithmetic over the number|bigint representation (see values.ts).
// Every result is normalised: a number when it fits the safe range, else a bigint.

import { StarlarkError } from './errors.js';
import { normInt } from './values.js';

export type Int = number | bigint;

const MAX = Number.MAX_SAFE_INTEGER;

function big(x: Int): bigint {
  return typeof x === 'bigint' ? x : BigInt(x);
}

export function intAdd(a: Int, b: Int): Int {
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a + b;
    if (r <= MAX && r >= -MAX) return r;
  }
  return normInt(big(a) + big(b));
}

export function intSub(a: Int, b: Int): Int {
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a - b;
    if (r <= MAX && r >= -MAX) return r;
  }
  return normInt(big(a) - big(b));
}

export function intMul(a: Int, b: Int): Int {
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a * b;
    if (r <= MAX && r >= -MAX) return r === 0 ? 0 : r; // avoid -0
  }
  return normInt(big(a) * big(b));
}

export function intFloorDiv(a: Int, b: Int): Int {
  if (b === 0 || b === 0n) throw new StarlarkError('integer division by zero');
  if (typeof a === 'number' && typeof b === 'number') {
    let r = a % b;
    if (r !== 0 && (r < 0) !== (b < 0)) r += b;
    const q = (a - r) / b;
    return q === 0 ? 0 : q;
  }
  const x = big(a);
  const y = big(b);
  let q = x / y;
  if (x % y !== 0n && (x < 0n) !== (y < 0n)) q -= 1n;
  return normInt(q);
}

export function intMod(a: Int, b: Int): Int {
  if (b === 0 || b === 0n) throw new StarlarkError('integer modulo by zero');
  if (typeof a === 'number' && typeof b === 'number') {
    let r = a % b;
    if (r !== 0 && (r < 0) !== (b < 0)) r += b;
    return r === 0 ? 0 : r;
  }
  const y = big(b);
  let r = big(a) % y;
  if (r !== 0n && (r < 0n) !== (y < 0n)) r += y;
  return normInt(r);
}

export function intNeg(a: Int): Int {
  if (typeof a === 'number') return a === 0 ? 0 : -a;
  return normInt(-a);
}

// Bitwise operations: JS numbers only do 32-bit bitwise, so go through bigint unless both fit
// in 31 bits.
function small(x: Int): x is number {
  return typeof x === 'number' && x <= 0x3fffffff && x >= -0x40000000;
}

export function intAnd(a: Int, b: Int): Int {
  if (small(a) && small(b)) return a & b;
  return normInt(big(a) & big(b));
}
export function intOr(a: Int, b: Int): Int {
  if (small(a) && small(b)) return a | b;
  return normInt(big(a) | big(b));
}
export function intXor(a: Int, b: Int): Int {
  if (small(a) && small(b)) return a ^ b;
  return normInt(big(a) ^ big(b));
}
export function intInvert(a: Int): Int {
  if (small(a)) return ~a;
  return normInt(~big(a));
}

const MAX_SHIFT = 512;

export function intShl(a: Int, b: Int): Int {
  if (b < 0) throw new StarlarkError('negative shift count: ' + b);
  if (b >= MAX_SHIFT) throw new StarlarkError(`shift count too large: ${b}`);
  return normInt(big(a) << big(b));
}
export function intShr(a: Int, b: Int): Int {
  if (b < 0) throw new StarlarkError('negative shift count: ' + b);
  if (typeof a === 'number' && typeof b === 'number' && small(a)) return b >= 31 ? (a < 0 ? -1 : 0) : a >> b;
  if (b >= 100000) return a < 0 ? -1 : 0;
  return normInt(big(a) >> big(b));
}

/** int → float, failing if the magnitude is too large for a float. */
export function intToFloat(a: Int): number {
  if (typeof a === 'number') return a;
  const f = Number(a);
  if (!Number.isFinite(f)) throw new StarlarkError('int too large to convert to float');
  return f;
}

/** Float → int (truncating), for int(f). */
export function floatToInt(f: number): Int {
  if (Number.isNaN(f)) throw new StarlarkError('cannot convert float NaN to integer');
  if (!Number.isFinite(f)) throw new StarlarkError('cannot convert float infinity to integer');
  const t = Math.trunc(f);
  if (Number.isSafeInteger(t)) return t === 0 ? 0 : t;
  return normInt(BigInt(t));
}

/** Parse an int literal string in the given base (0 = detect from prefix), as int(s, base). */
export function parseInt_(s: string, base: number): Int | undefined {
  let t = s.trim();
  if (t !== s) return undefined; // Starlark does not trim
  let neg = false;
  if (t.startsWith('+') || t.startsWith('-')) {
    neg = t[0] === '-';
    t = t.slice(1);
  }
  const lower = t.toLowerCase();
  let b = base;
  const prefixBase = lower.startsWith('0x') ? 16 : lower.startsWith('0o') ? 8 : lower.startsWith('0b') ? 2 : 0;
  if (b === 0) {
    if (prefixBase) {
      b = prefixBase;
      t = t.slice(2);
    } else {
      b = 10;
      // base 0: a leading zero is only allowed for "0" itself
      if (t.length > 1 && t[0] === '0' && !/^0+$/.test(t)) return undefined;
    }
  } else if (prefixBase === b) {
    t = t.slice(2);
  }
  if (t.length === 0) return undefined;
  const digits = '0123456789abcdefghijklmnopqrstuvwxyz'.slice(0, b);
  let r = 0n;
  const bb = BigInt(b);
  for (const ch of t.toLowerCase()) {
    const d = digits.indexOf(ch);
    if (d < 0) return undefined;
    r = r * bb + BigInt(d);
  }
  return normInt(neg ? -r : r);
}

/** Int to string in base 2, 8, 10 or 16 (for %o, %x, %X). */
export function intToString(a: Int, radix: number): string {
  return a.toString(radix);
}
