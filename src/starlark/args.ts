// Argument binding for builtins: validates positional/keyword arguments against a small
// parameter spec and reports spec-style errors.

import { StarlarkError } from './errors.js';
import { StarDict, Tuple, typeName, type Kwargs, type Value } from './values.js';

/**
 * Parameter spec entries:
 *   "name"     required
 *   "name?"    optional (undefined in the result when absent)
 *   "*name"    collects surplus positional arguments as a tuple; later params are keyword-only
 *   "*"        no varargs, but later params are keyword-only
 *   "**name"   collects surplus keyword arguments as a dict
 *   "/"        the parameters before it are positional-only (as most Starlark builtins)
 * Result: one entry per spec entry except a bare "*", in spec order.
 */
export type ParamSpec = readonly string[];

interface ParsedSpec {
  names: string[]; // named params (excluding *rest and **kw), in order
  optional: boolean[];
  numPositional: number; // params that can be given positionally
  numPositionalOnly: number; // leading params that cannot be given by keyword
  restIndex: number; // index in result of *rest, or -1
  kwIndex: number; // index in result of **kw, or -1
  resultIndex: number[]; // named param i → result index
  resultLen: number;
  numRequired: number; // leading required params
  simple: boolean; // only plain positional-or-keyword params
}

// Parsed specs are cached on the spec array itself (faster than a WeakMap lookup per call).
const PARSED = Symbol('parsedParamSpec');
type CachedSpec = ParamSpec & { [PARSED]?: ParsedSpec };

function parseSpec(spec: ParamSpec): ParsedSpec {
  let p = (spec as CachedSpec)[PARSED];
  if (p) return p;
  const names: string[] = [];
  const optional: boolean[] = [];
  const resultIndex: number[] = [];
  let numPositional = -1;
  let numPositionalOnly = 0;
  let restIndex = -1;
  let kwIndex = -1;
  let r = 0;
  for (const s of spec) {
    if (s === '*') {
      if (numPositional < 0) numPositional = names.length;
      continue;
    }
    if (s === '/') {
      numPositionalOnly = names.length;
      continue;
    }
    if (s.startsWith('**')) {
      kwIndex = r++;
      continue;
    }
    if (s.startsWith('*')) {
      if (numPositional < 0) numPositional = names.length;
      restIndex = r++;
      continue;
    }
    const opt = s.endsWith('?');
    names.push(opt ? s.slice(0, -1) : s);
    optional.push(opt);
    resultIndex.push(r++);
  }
  if (numPositional < 0) numPositional = names.length;
  let numRequired = 0;
  while (numRequired < optional.length && !optional[numRequired]) numRequired++;
  const simple = restIndex < 0 && kwIndex < 0 && numPositional === names.length;
  p = { names, optional, numPositional, numPositionalOnly, restIndex, kwIndex, resultIndex, resultLen: r, numRequired, simple };
  if (Object.isExtensible(spec)) {
    try {
      Object.defineProperty(spec, PARSED, { value: p, enumerable: false });
    } catch {
      // frozen spec arrays are parsed on each call
    }
  }
  return p;
}

/**
 * Bind arguments to the spec. The result may share storage with `args` when the call is a plain
 * positional one; treat it as read-only.
 */
export function unpackArgs(fnName: string, args: Value[], kwargs: Kwargs, spec: ParamSpec): (Value | undefined)[] {
  const p = parseSpec(spec);
  // Fast path: positional arguments only, covering every required parameter.
  if (kwargs.length === 0 && p.simple && args.length <= p.numPositional && args.length >= p.numRequired) {
    if (args.length === p.resultLen) return args;
    const out: (Value | undefined)[] = args.slice();
    while (out.length < p.resultLen) out.push(undefined);
    return out;
  }
  const out: (Value | undefined)[] = new Array(p.resultLen).fill(undefined);
  const npos = Math.min(args.length, p.numPositional);
  for (let i = 0; i < npos; i++) out[p.resultIndex[i]] = args[i];
  if (args.length > p.numPositional) {
    if (p.restIndex < 0) throw new StarlarkError(tooManyArgs(fnName, args.length, p.numPositional));
    out[p.restIndex] = new Tuple(args.slice(p.numPositional));
  } else if (p.restIndex >= 0) {
    out[p.restIndex] = new Tuple([]);
  }
  let extra: StarDict | undefined;
  if (kwargs.length > 0 && p.kwIndex < 0 && p.numPositionalOnly === p.names.length) {
    throw new StarlarkError(`${fnName}: unexpected keyword arguments (it takes only positional arguments; got "${kwargs[0][0]}")`);
  }
  for (const [k, v] of kwargs) {
    const i = p.names.indexOf(k, p.numPositionalOnly);
    if (i < 0) {
      if (p.kwIndex < 0) throw new StarlarkError(unexpectedKeyword(fnName, k, p.names.slice(p.numPositionalOnly)));
      extra ??= new StarDict();
      if (extra.get(k) !== undefined) throw new StarlarkError(`${fnName}: got multiple values for keyword argument "${k}"`);
      extra.set(k, v);
      continue;
    }
    const ri = p.resultIndex[i];
    if (out[ri] !== undefined) throw new StarlarkError(`${fnName}: got multiple values for parameter "${k}"`);
    out[ri] = v;
  }
  if (p.kwIndex >= 0) out[p.kwIndex] = extra ?? new StarDict();
  for (let i = 0; i < p.names.length; i++) {
    if (!p.optional[i] && out[p.resultIndex[i]] === undefined) {
      throw new StarlarkError(`${fnName}: missing argument for ${p.names[i]}`);
    }
  }
  return out;
}

export function tooManyArgs(fnName: string, got: number, max: number): string {
  return `${fnName}: got ${got} argument${got === 1 ? '' : 's'}, want at most ${max}`;
}

export function unexpectedKeyword(fnName: string, name: string, accepted: string[]): string {
  return `${fnName}: unexpected keyword argument "${name}"${acceptedNote(accepted)}`;
}

/** ` (accepted: a, b)` after an unexpected keyword argument; empty when none are accepted. */
export function acceptedNote(accepted: string[]): string {
  return accepted.length > 0 ? ` (accepted: ${accepted.join(', ')})` : '';
}

/** A parameter that takes a real bool, not a truth value (as starlark-go's builtins). */
export function boolArg(v: Value, param: string): boolean {
  if (typeof v !== 'boolean') throw new StarlarkError(`for parameter ${param}: got ${typeName(v)}, want bool`);
  return v;
}

/** Refuse any arguments at all (for zero-parameter builtins). */
export function noArgs(fnName: string, args: Value[], kwargs: Kwargs): void {
  if (args.length > 0) throw new StarlarkError(`${fnName}: got ${args.length} argument${args.length === 1 ? '' : 's'}, want none`);
  if (kwargs.length > 0) throw new StarlarkError(unexpectedKeyword(fnName, kwargs[0][0], []));
}
