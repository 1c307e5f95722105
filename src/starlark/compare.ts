// Equality and ordering of values, following the spec's comparison rules.

import { StarlarkError } from './errors.js';
import { MAX_VALUE_DEPTH } from './limits.js';
import {
  HostValue, RangeValue, StarDict, StarFloat, StarList, StarSet, Tuple, typeName, type Value,
} from './values.js';

export function equals(a: Value, b: Value): boolean {
  const ta = typeof a;
  const tb = typeof b;
  if (ta !== 'object' || tb !== 'object') {
    if (a === b) return true;
    // Mixed int/float; everything else with a primitive side is only equal when ===.
    if (b instanceof StarFloat && (ta === 'number' || ta === 'bigint')) return intEqualsFloat(a as number | bigint, b.v);
    if (a instanceof StarFloat && (tb === 'number' || tb === 'bigint')) return intEqualsFloat(b as number | bigint, a.v);
    return false;
  }
  return equalsDeep(a, b, 0);
}

function intEqualsFloat(i: number | bigint, f: number): boolean {
  if (typeof i === 'number') return i === f;
  return Number.isInteger(f) && BigInt(f) === i;
}

/** Float equality as in starlark-go: IEEE 754, except that NaN equals NaN (floats are totally ordered). */
function floatEquals(x: number, y: number): boolean {
  return x === y || (x !== x && y !== y);
}

function tooDeep(): StarlarkError {
  return new StarlarkError(`comparison exceeded maximum recursion depth (limit ${MAX_VALUE_DEPTH})`);
}

// Containers are compared element-wise even when identical, as in starlark-go, so that a cyclic
// value fails with "maximum recursion" instead of being equal to itself.
function equalsDeep(a: Value, b: Value, depth: number): boolean {
  if (depth > MAX_VALUE_DEPTH) throw tooDeep();
  if (a instanceof StarFloat) return b instanceof StarFloat && floatEquals(a.v, b.v);
  if (a instanceof StarList) return b instanceof StarList && seqEquals(a.elems, b.elems, depth);
  if (a instanceof Tuple) return b instanceof Tuple && seqEquals(a.elems, b.elems, depth);
  if (a instanceof StarDict) {
    if (!(b instanceof StarDict) || a.size !== b.size) return false;
    for (const [id, v] of a.m) {
      const w = b.m.get(id);
      if (w === undefined || !equalsDeep2(v, w, depth)) return false;
    }
    return true;
  }
  if (a instanceof StarSet) {
    if (!(b instanceof StarSet) || a.size !== b.size) return false;
    for (const id of a.m.keys()) if (!b.m.has(id)) return false;
    return true;
  }
  if (a instanceof RangeValue) {
    if (!(b instanceof RangeValue) || a.len !== b.len) return false;
    if (a.len === 0) return true;
    return a.start === b.start && (a.len === 1 || a.step === b.step);
  }
  if (a === b) return true;
  if (a instanceof HostValue) return a.equals(b);
  if (b instanceof HostValue) return b.equals(a);
  return false;
}

function equalsDeep2(a: Value, b: Value, depth: number): boolean {
  if (typeof a !== 'object' || typeof b !== 'object') return a === b || equals(a, b);
  return equalsDeep(a, b, depth + 1);
}

function seqEquals(x: Value[], y: Value[], depth: number): boolean {
  if (x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) {
    if (!equalsDeep2(x[i], y[i], depth)) return false;
  }
  return true;
}

export type CompareOp = '<' | '<=' | '>' | '>=';

/** Ordered comparison; throws `T op U not implemented` for unordered operands. */
export function compareOp(op: CompareOp, a: Value, b: Value): boolean {
  // Numbers first (the hot case).
  if (typeof a === 'number' && typeof b === 'number') return cmpNum(op, a, b);
  const c = compare(a, b, op);
  switch (op) {
    case '<': return c < 0;
    case '<=': return c <= 0;
    case '>': return c > 0;
    case '>=': return c >= 0;
  }
}

function cmpNum(op: CompareOp, a: number, b: number): boolean {
  switch (op) {
    case '<': return a < b;
    case '<=': return a <= b;
    case '>': return a > b;
    case '>=': return a >= b;
  }
}

/**
 * Three-way comparison: negative, zero or positive. Floats are totally ordered as in starlark-go:
 * NaN equals NaN and sorts above +inf. Throws for operands that cannot be ordered.
 */
export function compare(a: Value, b: Value, op: string = '<', depth = 0): number {
  const ta = typeof a;
  const tb = typeof b;
  if (ta === 'string' && tb === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (isNumeric(a) && isNumeric(b)) return compareNumbers(a, b);
  if (ta === 'boolean' && tb === 'boolean') return (a ? 1 : 0) - (b ? 1 : 0);
  if ((a instanceof StarList && b instanceof StarList) || (a instanceof Tuple && b instanceof Tuple)) {
    if (depth > MAX_VALUE_DEPTH) throw tooDeep();
    const x = a.elems;
    const y = (b as StarList | Tuple).elems;
    const n = Math.min(x.length, y.length);
    for (let i = 0; i < n; i++) {
      if (!equalsDeep2(x[i], y[i], depth)) return compare(x[i], y[i], op, depth + 1);
    }
    return x.length - y.length;
  }
  if (a instanceof HostValue && typeof (a as HostValue & { compareTo?: unknown }).compareTo === 'function') {
    const r = (a as HostValue & { compareTo(o: Value): number | undefined }).compareTo(b);
    if (r !== undefined) return r;
  }
  throw new StarlarkError(`${typeName(a)} ${op} ${typeName(b)} not implemented`);
}

function isNumeric(v: Value): v is number | bigint | StarFloat {
  return typeof v === 'number' || typeof v === 'bigint' || v instanceof StarFloat;
}

export function compareNumbers(a: number | bigint | StarFloat, b: number | bigint | StarFloat): number {
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'bigint' && typeof b === 'bigint') return a < b ? -1 : a > b ? 1 : 0;
  const x = a instanceof StarFloat ? a.v : a;
  const y = b instanceof StarFloat ? b.v : b;
  if (typeof x === 'number' && typeof y === 'number') {
    if (x !== x || y !== y) return (x !== x ? 1 : 0) - (y !== y ? 1 : 0); // NaN is the greatest
    return x < y ? -1 : x > y ? 1 : 0;
  }
  // One bigint and one number (float or int): compare exactly.
  if (typeof x === 'number' && x !== x) return 1;
  if (typeof y === 'number' && y !== y) return -1;
  if (typeof x === 'number' && !Number.isFinite(x)) return x > 0 ? 1 : -1;
  if (typeof y === 'number' && !Number.isFinite(y)) return y > 0 ? -1 : 1;
  const bx = typeof x === 'bigint' ? x : BigInt(Math.floor(x));
  const by = typeof y === 'bigint' ? y : BigInt(Math.floor(y));
  if (bx !== by) return bx < by ? -1 : 1;
  // Integer parts equal: a fractional part decides.
  const fx = typeof x === 'number' ? x - Math.floor(x) : 0;
  const fy = typeof y === 'number' ? y - Math.floor(y) : 0;
  return fx < fy ? -1 : fx > fy ? 1 : 0;
}
