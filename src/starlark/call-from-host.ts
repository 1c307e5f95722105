// Calling Starlark callables from host code (e.g. a builtin invoking a user callback).

import { callFunction } from './call-function.js';
import { callValue } from './call-value.js';
import { Frame } from './frame.js';
import { StarlarkError } from './errors.js';
import { Builtin, HostValue, StarFunction, typeName, type CallContext, type Kwargs, type Value } from './values.js';

/**
 * Call `fn` (a Starlark function, builtin or callable host value) with the given arguments.
 * Errors raised inside propagate as StarlarkError with the Starlark call stack.
 */
export function call(ctx: CallContext, fn: Value, args: Value[], kwargs: Kwargs = []): Value {
  return callFromHost(ctx, fn, args, kwargs);
}

export function callFromHost(ctx: CallContext, fn: Value, args: Value[], kwargs: Kwargs): Value {
  // Inside a builtin: the innermost Starlark frame (the builtin's caller) is the caller, so
  // positions and tracebacks point at the user's call site.
  const top = ctx.stack[ctx.stack.length - 1];
  if (top instanceof Frame && top.pos !== undefined) return callValue(top, fn, args, kwargs, top.pos);
  // Called from outside any Starlark code (e.g. after the module finished loading).
  if (fn instanceof StarFunction) return callFunction(ctx, fn, args, kwargs, undefined);
  if (fn instanceof Builtin) return fn.impl(ctx, args, kwargs);
  if (fn instanceof HostValue && typeof fn.call === 'function') return fn.call(ctx, args, kwargs);
  throw new StarlarkError(`invalid call of non-function (${typeName(fn)})`);
}
