// Calling Starlark callables from host code (e.g. a builtin invoking a user callback).

import { callValue, Frame } from './compiler.js';
import type { CallContext, Kwargs, Value } from './values.js';

/**
 * Call `fn` (a Starlark function, builtin or callable host value) with the given arguments.
 * Errors raised inside propagate as StarlarkError with the Starlark call stack.
 */
export function call(ctx: CallContext, fn: Value, args: Value[], kwargs: Kwargs = []): Value {
  return callFromHost(ctx, fn, args, kwargs);
}

export function callFromHost(ctx: CallContext, fn: Value, args: Value[], kwargs: Kwargs): Value {
  // Use the innermost Starlark frame (the one that called the builtin) as the caller, so
  // positions and tracebacks point at the user's call site.
  const top = ctx.stack[ctx.stack.length - 1];
  if (top instanceof Frame) return callValue(top, fn, args, kwargs, top.pos ?? { file: '<host>', line: 0, col: 0 });
  const fr = new Frame(ctx, '<host>', 0, []);
  return callValue(fr, fn, args, kwargs, { file: '<host>', line: 0, col: 0 });
}
