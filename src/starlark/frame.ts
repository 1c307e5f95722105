// The activation record compiled code runs on, the closure shapes the compiler emits, and the
// compiled form of a def or lambda: the contract between the compiler and the call protocol.

import type { Position } from './errors.js';
import { StarlarkError } from './errors.js';
import type { ActiveFrame, Thread } from './thread.js';
import { None, type Cell, type FunctionCode, type Value } from './values.js';

/** How a statement completed. A const enum, so tsc writes the numbers into the loops that test them. */
export const enum Signal {
  Normal = 0,
  Break = 1,
  Continue = 2,
  Return = 3,
}

/** A compiled expression. */
export type ExprCode = (fr: Frame) => Value;
/** A compiled statement (or statement list). */
export type StmtCode = (fr: Frame) => Signal;
/** A compiled assignment target: stores `v` into it. */
export type StoreCode = (fr: Frame, v: Value) => void;

/** The activation record of one Starlark function call (or of module top-level code). */
export class Frame implements ActiveFrame {
  /** Local slots: Values, or Cells for captured variables; temporaries for comprehensions. */
  l: any[];
  ret: Value = None;
  pos: Position | undefined = undefined;
  constructor(
    readonly th: Thread,
    readonly name: string,
    locals: number | any[],
    readonly free: Cell[],
  ) {
    if (typeof locals === 'number') {
      const l = new Array(locals);
      for (let i = 0; i < locals; i++) l[i] = undefined;
      this.l = l;
    } else {
      this.l = locals;
    }
  }
}

/** Compiled form of a def or lambda. */
export interface CompiledCode extends FunctionCode {
  nlocals: number;
  numPositional: number; // params fillable positionally
  numNamed: number; // positional + keyword-only
  /** Number of params when the function has only plain positional params, else -1 (fast binding). */
  simpleArity: number;
  hasVarargs: boolean;
  hasKwargs: boolean;
  cellSlots: number[];
  body: StmtCode;
  active: boolean;
  /** The dialect allows this function to be re-entered (option:recursion). */
  reentrant: boolean;
  paramIndex: Map<string, number>;
}

/** Give `e` the position `pos` (if it has none) and the thread's call stack. */
export function attach(fr: Frame, e: unknown, pos: Position): StarlarkError {
  return fr.th.attach(e, pos);
}

export function fail(fr: Frame, msg: string, pos: Position): never {
  throw fr.th.attach(new StarlarkError(msg), pos);
}

/** Throw `msg`, at `pos` when the call has a position (host calls from outside Starlark have none). */
export function throwAt(th: Thread, msg: string, pos: Position | undefined): never {
  const e = new StarlarkError(msg);
  throw pos ? th.attach(e, pos) : e;
}
