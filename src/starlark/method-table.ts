// The shape of a type's built-in method table, and argument helpers the list, dict, set and
// string tables share. A module of its own so string-methods.ts and methods.ts both build on it
// without importing each other.

import { StarlarkError } from './errors.js';
import { None, typeName, type CallContext, type Kwargs, type Value } from './values.js';

export type MethodImpl = (ctx: CallContext, recv: any, args: Value[], kwargs: Kwargs) => Value;
export type MethodTable = Record<string, MethodImpl>;

/** A method table without a prototype, so names like "toString" are not methods. */
export function methodTableOf(methods: MethodTable): MethodTable {
  return Object.assign(Object.create(null) as MethodTable, methods);
}

/** An int argument used as an index; a big int stands for "beyond either end". */
export function toIndex(v: Value, what: string): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return v > 0n ? Number.MAX_SAFE_INTEGER : -Number.MAX_SAFE_INTEGER;
  throw new StarlarkError(`${what}: got ${typeName(v)}, want int`);
}

/** Clamp optional start/end arguments (None allowed) to [0, n] the way slices do. */
export function clampRange(n: number, start: Value | undefined, end: Value | undefined, fn: string): [number, number] {
  let a = start === undefined || start === None ? 0 : toIndex(start, `${fn}: start`);
  let b = end === undefined || end === None ? n : toIndex(end, `${fn}: end`);
  if (a < 0) a = Math.max(0, a + n);
  else if (a > n) a = n;
  if (b < 0) b = Math.max(0, b + n);
  else if (b > n) b = n;
  return [a, b];
}
