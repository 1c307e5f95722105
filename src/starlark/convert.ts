// Conversion between Starlark values and plain JS data, for embedders.

import { StarlarkError } from './errors.js';
import { Struct } from './struct.js';
import {
  Builtin, HostValue, None, RangeValue, StarDict, StarFloat, StarFunction, StarList, StarSet, Tuple,
  normInt, type Value,
} from './values.js';

/**
 * Starlark → JS. None→null, bool→boolean, int→number (bigint when outside the safe range),
 * float→number, string→string, list/tuple/set/range→array, dict→Map (keys converted too; a Map
 * keeps non-string keys and order), struct→plain object. Functions, builtins and other host
 * values are returned unchanged.
 */
export function toJS(v: Value): unknown {
  switch (typeof v) {
    case 'string':
    case 'number':
    case 'bigint':
    case 'boolean':
      return v;
  }
  if (v === None) return null;
  if (v instanceof StarFloat) return v.v;
  if (v instanceof StarList || v instanceof Tuple) return v.elems.map(toJS);
  if (v instanceof StarSet) return v.keys().map(toJS);
  if (v instanceof RangeValue) {
    const out: number[] = [];
    for (let i = 0; i < v.len; i++) out.push(v.at(i));
    return out;
  }
  if (v instanceof StarDict) {
    const m = new Map<unknown, unknown>();
    for (const [k, val] of v.items()) m.set(toJS(k), toJS(val));
    return m;
  }
  if (v instanceof Struct) {
    const o: Record<string, unknown> = {};
    for (const [k, val] of v.fields) o[k] = toJS(val);
    return o;
  }
  return v;
}

/**
 * JS → Starlark. null/undefined→None, boolean→bool, integer number→int, other number→float,
 * bigint→int, string→string, array→list, Map and plain object→dict, Value instances unchanged.
 */
export function fromJS(x: unknown): Value {
  switch (typeof x) {
    case 'string':
    case 'boolean':
      return x;
    case 'number':
      return Number.isSafeInteger(x) ? x : new StarFloat(x);
    case 'bigint':
      return normInt(x);
    case 'undefined':
      return None;
  }
  if (x === null) return None;
  if (
    x instanceof StarFloat || x instanceof StarList || x instanceof Tuple || x instanceof StarDict ||
    x instanceof StarSet || x instanceof StarFunction || x instanceof Builtin || x instanceof HostValue ||
    x instanceof RangeValue || x === None
  ) {
    return x as Value;
  }
  if (Array.isArray(x)) return new StarList(x.map(fromJS));
  if (x instanceof Map) return StarDict.of([...x].map(([k, v]) => [fromJS(k), fromJS(v)] as [Value, Value]));
  if (x instanceof Set) return StarSet.of([...x].map(fromJS));
  if (typeof x === 'object') return StarDict.of(Object.entries(x as object).map(([k, v]) => [k, fromJS(v)] as [Value, Value]));
  throw new StarlarkError(`cannot convert JS ${typeof x} to a Starlark value`);
}
