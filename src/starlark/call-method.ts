// Calling x.name(...) through the receiver type's method table, without materialising a bound
// method; host values are asked for the attribute and called like any value.

import { builtinError, callValue } from './call-value.js';
import type { Position } from './errors.js';
import { attach, type Frame } from './frame.js';
import type { MethodImpl, MethodTable } from './method-table.js';
import { methodTable } from './methods.js';
import { noAttr } from './ops.js';
import { HostValue, type Kwargs, type Value } from './values.js';

/** x.name(args) without materialising a bound method. */
function callMethod(fr: Frame, recv: Value, name: string, args: Value[], kwargs: Kwargs, pos: Position, dotPos: Position): Value {
  if (recv instanceof HostValue) {
    const a = recv.attr(name);
    if (a === undefined) throw attach(fr, noAttr(recv, name), dotPos);
    return callValue(fr, a, args, kwargs, pos);
  }
  const table = methodTable(recv);
  const m = table === undefined ? undefined : table[name];
  if (m === undefined) throw attach(fr, noAttr(recv, name), dotPos);
  try {
    return m(fr.th, recv, args, kwargs);
  } catch (e) {
    throw builtinError(fr, e, name, pos);
  }
}

/**
 * The per-call-site method caller of `x.name(...)`: caches the method found for the last
 * receiver type's table, and falls back to callMethod (host values, missing methods).
 */
export function methodCaller(name: string, pos: Position, dotPos: Position): (fr: Frame, r: Value, a: Value[], k: Kwargs) => Value {
  let lastTable: MethodTable | undefined;
  let lastMethod: MethodImpl | undefined;
  return (fr, r, a, k) => {
    fr.pos = pos;
    const t = r instanceof HostValue ? undefined : methodTable(r);
    if (t !== undefined) {
      let m: MethodImpl | undefined;
      if (t === lastTable) m = lastMethod;
      else {
        m = t[name];
        lastTable = t;
        lastMethod = m;
      }
      if (m !== undefined) {
        try {
          return m(fr.th, r, a, k);
        } catch (e) {
          throw builtinError(fr, e, name, pos);
        }
      }
    }
    return callMethod(fr, r, name, a, k, pos, dotPos);
  };
}
