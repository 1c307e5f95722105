// Calling Starlark callables from host code. (stub)
import type { CallContext, Kwargs, Value } from './values.js';
export function call(ctx: CallContext, fn: Value, args: Value[], kwargs: Kwargs = []): Value {
  void ctx; void fn; void args; void kwargs;
  throw new Error('not implemented');
}
