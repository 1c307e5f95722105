// Running a loop body once per element of an iterable, for `for` statements and comprehension
// clauses: lists, ranges, tuples, dicts and sets are walked directly (lists, dicts and sets
// refuse mutation meanwhile), anything else through elemsOf.

import type { Position } from './errors.js';
import { attach, fail, Signal, type Frame, type StmtCode as S, type StoreCode as Assign } from './frame.js';
import { elemsOf } from './iterate.js';
import { RangeValue, StarDict, StarList, StarSet, Tuple, typeName, type Value } from './values.js';

/** Run `body` once per element of x (a for loop or comprehension clause). */
export function runLoop(fr: Frame, x: Value, assign: Assign, body: S, pos: Position): Signal {
  const th = fr.th;
  if (x instanceof StarList) {
    x.itercount++;
    try {
      const es = x.elems;
      for (let i = 0; i < es.length; i++) {
        if (++th.steps >= th.nextCheck) th.checkLimits();
        assign(fr, es[i]);
        const r = body(fr);
        if (r !== Signal.Normal && r !== Signal.Continue) {
          if (r === Signal.Break) break;
          return r;
        }
      }
    } finally {
      x.itercount--;
    }
    return Signal.Normal;
  }
  if (x instanceof RangeValue) {
    const n = x.len;
    const start = x.start;
    const step = x.step;
    for (let i = 0; i < n; i++) {
      if (++th.steps >= th.nextCheck) th.checkLimits();
      assign(fr, start + i * step);
      const r = body(fr);
      if (r !== Signal.Normal && r !== Signal.Continue) {
        if (r === Signal.Break) break;
        return r;
      }
    }
    return Signal.Normal;
  }
  if (x instanceof Tuple) {
    const es = x.elems;
    for (let i = 0; i < es.length; i++) {
      if (++th.steps >= th.nextCheck) th.checkLimits();
      assign(fr, es[i]);
      const r = body(fr);
      if (r !== Signal.Normal && r !== Signal.Continue) {
        if (r === Signal.Break) break;
        return r;
      }
    }
    return Signal.Normal;
  }
  if (x instanceof StarDict || x instanceof StarSet) {
    x.itercount++;
    try {
      for (const id of x.m.keys()) {
        if (++th.steps >= th.nextCheck) th.checkLimits();
        assign(fr, x.keyOf(id));
        const r = body(fr);
        if (r !== Signal.Normal && r !== Signal.Continue) {
          if (r === Signal.Break) break;
          return r;
        }
      }
    } finally {
      x.itercount--;
    }
    return Signal.Normal;
  }
  let es: Value[] | undefined;
  try {
    es = elemsOf(x);
  } catch (e) {
    throw attach(fr, e, pos);
  }
  if (es === undefined) {
    const hint = typeof x === 'string' ? ' (use .elems() or .codepoints() to iterate over a string)' : '';
    fail(fr, `${typeName(x)} value is not iterable${hint}`, pos);
  }
  for (let i = 0; i < es.length; i++) {
    if (++th.steps >= th.nextCheck) th.checkLimits();
    assign(fr, es[i]);
    const r = body(fr);
    if (r !== Signal.Normal && r !== Signal.Continue) {
      if (r === Signal.Break) break;
      return r;
    }
  }
  return Signal.Normal;
}
