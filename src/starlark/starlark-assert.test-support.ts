// Assertion builtins for unit tests written in Starlark itself (assert_eq, assert_fails, ...).

import { call } from './call-from-host.js';
import { equals } from './compare.js';
import { StarlarkError } from './errors.js';
import { execSource, type ExecOptions, type Module } from './interpreter.js';
import { repr, str } from './repr.js';
import { Builtin, None, truth, type Value } from './values.js';

export const assertBuiltins: Record<string, Value> = {
  assert_eq: new Builtin('assert_eq', (_ctx, args) => {
    if (!equals(args[0], args[1])) throw new StarlarkError(`assert_eq failed: ${repr(args[0])} != ${repr(args[1])}`);
    return None;
  }),
  assert_ne: new Builtin('assert_ne', (_ctx, args) => {
    if (equals(args[0], args[1])) throw new StarlarkError(`assert_ne failed: ${repr(args[0])} == ${repr(args[1])}`);
    return None;
  }),
  assert_true: new Builtin('assert_true', (_ctx, args) => {
    if (!truth(args[0])) throw new StarlarkError(`assert_true failed: ${repr(args[0])}${args[1] ? ' ' + str(args[1]) : ''}`);
    return None;
  }),
  // assert_fails(fn, substring): calling fn must raise an error whose message contains substring.
  assert_fails: new Builtin('assert_fails', (ctx, args) => {
    const want = args[1] as string;
    try {
      call(ctx, args[0], []);
    } catch (e) {
      if (!(e instanceof StarlarkError)) throw e;
      if (!e.message.includes(want)) throw new StarlarkError(`assert_fails: error ${JSON.stringify(e.message)} does not contain ${JSON.stringify(want)}`);
      return None;
    }
    throw new StarlarkError(`assert_fails: no error, want one containing ${JSON.stringify(want)}`);
  }),
};

/** Execute Starlark test code with the assertion builtins; returns printed lines and the module. */
export function runStar(src: string, opts: ExecOptions = {}): { module: Module; out: string[] } {
  const out: string[] = [];
  const module = execSource('test.star', src, {
    print: (l) => out.push(l),
    ...opts,
    predeclared: { ...assertBuiltins, ...(opts.predeclared ?? {}) },
  });
  return { module, out };
}

/** The error raised by running src (fails the test if none). */
export function runError(src: string, opts: ExecOptions = {}): StarlarkError {
  try {
    runStar(src, opts);
  } catch (e) {
    if (e instanceof StarlarkError) return e;
    throw e;
  }
  throw new Error('expected a Starlark error');
}
