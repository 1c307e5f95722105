// Checks that turn builtin arguments into plain typed data, each failing with the builtin and
// parameter name, what was given and what was expected.
import {
  StarlarkError, StarDict, StarList, Tuple, StarFloat, isCallable, repr, typeName, type Value,
} from '../starlark/index.js';
import { DURATION_HELP, MAX_DURATION_MS, MAX_DURATION_TEXT, parseDurationMs } from './duration.js';

function bad(fn: string, param: string, v: Value, want: string): StarlarkError {
  return new StarlarkError(`${fn}: ${param} must be ${want}, got ${typeName(v)} ${shortRepr(v)}`);
}

export function shortRepr(v: Value): string {
  const r = repr(v);
  return r.length > 80 ? r.slice(0, 77) + '...' : r;
}

export function stringArg(fn: string, param: string, v: Value): string {
  if (typeof v !== 'string') throw bad(fn, param, v, 'a string');
  return v;
}

export function nonEmptyString(fn: string, param: string, v: Value): string {
  const s = stringArg(fn, param, v);
  if (s.trim() === '') throw new StarlarkError(`${fn}: ${param} must not be empty`);
  return withoutNul(fn, param, s);
}

export function boolArg(fn: string, param: string, v: Value): boolean {
  if (typeof v !== 'boolean') throw bad(fn, param, v, 'True or False');
  return v;
}

export function intArg(fn: string, param: string, v: Value): number {
  if (typeof v !== 'number') throw bad(fn, param, v, 'an int');
  return v;
}

export function positiveInt(fn: string, param: string, v: Value): number {
  const n = typeof v === 'number' ? v : NaN;
  if (!(n >= 1)) throw bad(fn, param, v, 'a positive int (1, 2, ...)');
  return n;
}

export function portArg(fn: string, param: string, v: Value): number {
  const n = typeof v === 'number' ? v : NaN;
  if (!(n >= 1 && n <= 65535)) throw bad(fn, param, v, 'a port number (1..65535)');
  return n;
}

/** A duration string → milliseconds; `positive` refuses zero. */
export function durationArg(fn: string, param: string, v: Value, positive = true): number {
  if (typeof v !== 'string') throw bad(fn, param, v, DURATION_HELP);
  const ms = parseDurationMs(v);
  if (ms === undefined) throw new StarlarkError(`${fn}: ${param} ${repr(v)} is not ${DURATION_HELP}`);
  if (positive && ms <= 0) throw new StarlarkError(`${fn}: ${param} must be longer than zero, got ${repr(v)}`);
  if (ms > MAX_DURATION_MS) throw new StarlarkError(`${fn}: ${param} ${repr(v)} is longer than the limit of ${MAX_DURATION_TEXT}`);
  return ms;
}

/** A list or tuple's elements. */
export function sequenceArg(fn: string, param: string, v: Value): Value[] {
  if (v instanceof StarList || v instanceof Tuple) return v.elems;
  throw bad(fn, param, v, 'a list');
}

/**
 * Strings in lists and dicts become process arguments, environment entries, paths and headers:
 * C strings on the way to the kernel, where a NUL byte would cut them short or be refused.
 */
function withoutNul(fn: string, param: string, s: string): string {
  const at = s.indexOf('\0');
  if (at >= 0) throw new StarlarkError(`${fn}: ${param} holds a NUL byte at offset ${at} (${shortRepr(s)}); arguments, environment entries and paths cannot contain one`);
  return s;
}

export function stringList(fn: string, param: string, v: Value): string[] {
  return sequenceArg(fn, param, v).map((e, i) => {
    if (typeof e !== 'string') throw bad(fn, `${param}[${i}]`, e, 'a string');
    return withoutNul(fn, `${param}[${i}]`, e);
  });
}

export function dictArg(fn: string, param: string, v: Value): StarDict {
  if (!(v instanceof StarDict)) throw bad(fn, param, v, 'a dict');
  return v;
}

/** Env-style dict: string keys, string (or int/bool, stringified) values. */
export function stringDict(fn: string, param: string, v: Value): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, val] of dictArg(fn, param, v).items()) {
    if (typeof k !== 'string') throw bad(fn, `${param} key`, k, 'a string');
    withoutNul(fn, `${param} key ${shortRepr(k)}`, k);
    if (typeof val === 'string') out[k] = withoutNul(fn, `${param}[${repr(k)}]`, val);
    else if (typeof val === 'number' || typeof val === 'bigint') out[k] = String(val);
    else if (typeof val === 'boolean') out[k] = val ? 'true' : 'false';
    else throw bad(fn, `${param}[${repr(k)}]`, val, 'a string');
  }
  return out;
}

export function callableArg(fn: string, param: string, v: Value): Value {
  if (!isCallable(v)) throw bad(fn, param, v, 'a function');
  return v;
}

/** A float in any numeric form (for probabilities given as numbers). */
export function isNumber(v: Value): v is number | StarFloat {
  return typeof v === 'number' || v instanceof StarFloat;
}
