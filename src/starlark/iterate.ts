// Iteration over values: the element snapshot for-loops, comprehensions and builtins walk.
// Kept apart from ops.ts so the method tables, which iterate their arguments, need not import
// the operators (which look methods up in those tables).

import { StarlarkError } from './errors.js';
import { MAX_SEQUENCE_LENGTH, sequenceTooLarge } from './limits.js';
import { HostValue, RangeValue, StarDict, StarList, StarSet, Tuple, typeName, type Value } from './values.js';

/** Snapshot of the elements of an iterable value, or undefined if it is not iterable. */
export function elemsOf(x: Value): Value[] | undefined {
  if (x instanceof StarList || x instanceof Tuple) return x.elems;
  if (x instanceof StarDict || x instanceof StarSet) return x.keys();
  if (x instanceof RangeValue) {
    if (x.len > MAX_SEQUENCE_LENGTH) throw new StarlarkError(sequenceTooLarge('range', x.len));
    const out: Value[] = new Array(x.len);
    for (let i = 0; i < x.len; i++) out[i] = x.at(i);
    return out;
  }
  if (x instanceof HostValue && x.iterate) return x.iterate();
  return undefined;
}

/** Elements of an iterable; throws `fn: got T, want iterable` otherwise. */
export function iterate(x: Value, what = 'for loop'): Value[] {
  const es = elemsOf(x);
  if (es === undefined) throw new StarlarkError(`${what}: got ${typeName(x)}, want iterable`);
  return es;
}
