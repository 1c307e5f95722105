// Activating a Starlark function: the recursion and depth checks, its locals array (plain
// positional calls bound inline, the rest by bindArgs), cells for captured locals, and a new
// Frame on the thread's stack while the body runs.

import { bindArgs } from './bind-args.js';
import type { Position } from './errors.js';
import { Frame, throwAt, type CompiledCode } from './frame.js';
import { MAX_CALL_DEPTH } from './limits.js';
import type { Thread } from './thread.js';
import { Cell, type Kwargs, type StarFunction, type Value } from './values.js';

/**
 * Call a Starlark function; `pos` is the call site (used for binding/recursion errors).
 * `ownedArgs`: the caller built `args` for this call alone, so it may become the locals array.
 */
export function callFunction(th: Thread, f: StarFunction, args: Value[], kwargs: Kwargs, pos: Position | undefined, ownedArgs = false): Value {
  const code = f.code as CompiledCode;
  if (code.active && !code.reentrant) throwAt(th, `function ${code.name} called recursively`, pos);
  if (th.stack.length >= MAX_CALL_DEPTH) throwAt(th, `maximum recursion depth exceeded (limit ${MAX_CALL_DEPTH} calls)`, pos);
  if (++th.steps >= th.nextCheck) {
    try {
      th.checkLimits();
    } catch (e) {
      throw pos ? th.attach(e, pos) : e;
    }
  }
  let l: any[];
  const n = code.nlocals;
  if (kwargs.length === 0 && args.length === code.simpleArity) {
    if (ownedArgs) {
      l = args;
      for (let i = args.length; i < n; i++) l.push(undefined);
    } else {
      l = new Array(n);
      for (let i = 0; i < n; i++) l[i] = i < args.length ? args[i] : undefined;
    }
  } else {
    l = new Array(n);
    for (let i = 0; i < n; i++) l[i] = undefined;
    bindArgs(th, f, code, l, args, kwargs, pos);
  }
  const nf = new Frame(th, code.name, l, f.freevars);
  const cells = code.cellSlots;
  for (let i = 0; i < cells.length; i++) l[cells[i]] = new Cell(l[cells[i]]);
  th.stack.push(nf);
  code.active = true;
  try {
    code.body(nf);
  } finally {
    code.active = false;
    th.stack.pop();
  }
  return nf.ret;
}
