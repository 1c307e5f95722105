// Calling a value by its kind: a Starlark function, a builtin, or a callable host value; errors
// escaping a builtin are named after it and placed at the call.

import { callFunction } from './call-function.js';
import { StarlarkCancelled, StarlarkError, type Position } from './errors.js';
import { fail, type Frame } from './frame.js';
import { Builtin, HostValue, StarFunction, typeName, type Kwargs, type Value } from './values.js';

/** Error escaping a builtin: prefix with the builtin's name and attach the call position. */
export function builtinError(fr: Frame, e: unknown, name: string, pos: Position): StarlarkError {
  if (e instanceof StarlarkError && e.pos === undefined && !(e instanceof StarlarkCancelled)) {
    if (!e.message.startsWith(name + ': ')) e.message = `${name}: ${e.message}`;
  }
  return fr.th.attach(e, pos);
}

export function callValue(fr: Frame, f: Value, args: Value[], kwargs: Kwargs, pos: Position): Value {
  if (f instanceof StarFunction) return callFunction(fr.th, f, args, kwargs, pos);
  if (f instanceof Builtin) {
    try {
      return f.impl(fr.th, args, kwargs);
    } catch (e) {
      throw builtinError(fr, e, f.name, pos);
    }
  }
  if (f instanceof HostValue && typeof f.call === 'function') {
    try {
      return f.call(fr.th, args, kwargs);
    } catch (e) {
      throw builtinError(fr, e, f.typeName, pos);
    }
  }
  fail(fr, `invalid call of non-function (${typeName(f)})`, pos);
}
