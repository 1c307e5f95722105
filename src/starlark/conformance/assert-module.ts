// The `assert.star` module the corpus loads, and the global `freeze` builtin. Failed assertions
// are recorded (with the file:line of the assert call) instead of stopping the chunk, so one
// chunk can report several failures.

import {
  Builtin, None, StarFloat, StarlarkCancelled, StarlarkError, Struct, call, compare, equals, execSource,
  freeze, isString, repr, str, truth, typeName, unpackArgs, type CallContext, type Position, type Value,
} from '../index.js';
import { goRegExp } from './go-regexp.js';

export interface AssertionFailure {
  pos: Position | undefined;
  message: string;
}

export interface AssertionSink {
  /** Called once per assertion evaluated, whether it holds or not. */
  checked(): void;
  failed(failure: AssertionFailure): void;
}

/** Globals of the virtual module `assert.star`: `assert` (a struct) and `freeze`. */
export function makeAssertModule(sink: AssertionSink): Map<string, Value> {
  const report = (ctx: CallContext, message: string): Value => {
    sink.failed({ pos: ctx.callerPosition, message });
    return None;
  };

  const eq = new Builtin('assert.eq', (ctx, args, kwargs) => {
    sink.checked();
    const [x, y] = unpackArgs('assert.eq', args, kwargs, ['x', 'y']) as Value[];
    if (!equals(x, y) && !floatsWithinUlp(x, y)) report(ctx, `assert.eq: ${repr(x)} != ${repr(y)}`);
    return None;
  });
  const ne = new Builtin('assert.ne', (ctx, args, kwargs) => {
    sink.checked();
    const [x, y] = unpackArgs('assert.ne', args, kwargs, ['x', 'y']) as Value[];
    if (equals(x, y)) report(ctx, `assert.ne: ${repr(x)} == ${repr(y)}`);
    return None;
  });
  const assertTrue = new Builtin('assert.true', (ctx, args, kwargs) => {
    sink.checked();
    const [cond, msg] = unpackArgs('assert.true', args, kwargs, ['cond', 'msg?']);
    if (!truth(cond as Value)) report(ctx, msg === undefined ? 'assert.true: assertion failed' : str(msg));
    return None;
  });
  const lt = new Builtin('assert.lt', (ctx, args, kwargs) => {
    sink.checked();
    const [x, y] = unpackArgs('assert.lt', args, kwargs, ['x', 'y']) as Value[];
    if (!(compare(x, y) < 0)) report(ctx, `assert.lt: ${repr(x)} is not less than ${repr(y)}`);
    return None;
  });
  const contains = new Builtin('assert.contains', (ctx, args, kwargs) => {
    sink.checked();
    const [container, elem] = unpackArgs('assert.contains', args, kwargs, ['container', 'elem']) as Value[];
    if (!membership(ctx, container, elem)) report(ctx, `assert.contains: ${repr(container)} does not contain ${repr(elem)}`);
    return None;
  });
  const fails = new Builtin('assert.fails', (ctx, args, kwargs) => {
    sink.checked();
    const [fn, pattern] = unpackArgs('assert.fails', args, kwargs, ['fn', 'pattern']) as Value[];
    if (!isString(pattern)) throw new StarlarkError(`assert.fails: pattern must be a string, got ${typeName(pattern)}`);
    const re = goRegExp(pattern);
    let message: string;
    try {
      call(ctx, fn, []);
      return report(ctx, `assert.fails: evaluation succeeded unexpectedly (want error matching ${repr(pattern)})`);
    } catch (e) {
      if (e instanceof StarlarkCancelled) throw e;
      if (!(e instanceof StarlarkError)) {
        return report(ctx, `assert.fails: non-Starlark exception escaped the interpreter: ${describe(e)}`);
      }
      message = e.message;
    }
    if (/^internal error/.test(message)) return report(ctx, `assert.fails: interpreter internal error: ${message}`);
    if (!re.test(message)) report(ctx, `assert.fails: error ${repr(message)} does not match ${repr(pattern)}`);
    return None;
  });
  const explicitFail = new Builtin('assert.fail', (ctx, args, kwargs) => {
    const [msg] = unpackArgs('assert.fail', args, kwargs, ['msg']);
    return report(ctx, str(msg as Value));
  });

  const assert = new Struct([
    ['eq', eq], ['ne', ne], ['true', assertTrue], ['lt', lt], ['contains', contains], ['fails', fails], ['fail', explicitFail],
  ]);
  return new Map<string, Value>([['assert', assert], ['freeze', freezeBuiltin]]);
}

/** `freeze(x)`: freezes x and everything reachable from it; returns None. */
export const freezeBuiltin = new Builtin('freeze', (_ctx, args, kwargs) => {
  const [x] = unpackArgs('freeze', args, kwargs, ['x']) as Value[];
  freeze(x);
  return None;
});

/** `e in c`, evaluated by the interpreter itself so assert.contains has the language's semantics. */
let membershipFn: Value | undefined;
function membership(ctx: CallContext, container: Value, elem: Value): boolean {
  membershipFn ??= execSource('<assert.star prelude>', 'def contains(c, e):\n    return e in c\n').globals.get('contains');
  if (membershipFn === undefined) throw new StarlarkError('assert.contains: prelude did not define contains');
  return truth(call(ctx, membershipFn, [container, elem]));
}

/** Float results may differ from the expected literal by one unit in the last place. */
function floatsWithinUlp(x: Value, y: Value): boolean {
  const a = asNumber(x);
  const b = asNumber(y);
  if (a === undefined || b === undefined) return false;
  if (!(x instanceof StarFloat) && !(y instanceof StarFloat)) return false;
  if (!Number.isFinite(a) || !Number.isFinite(b)) return false;
  return Math.abs(a - b) <= ulp(Math.max(Math.abs(a), Math.abs(b)));
}

function asNumber(v: Value): number | undefined {
  if (v instanceof StarFloat) return v.v;
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  return undefined;
}

function ulp(x: number): number {
  if (x === 0) return Number.MIN_VALUE;
  const buf = new DataView(new ArrayBuffer(8));
  buf.setFloat64(0, x);
  buf.setBigUint64(0, buf.getBigUint64(0) + 1n);
  return buf.getFloat64(0) - x;
}

function describe(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}
