// Runtime semantics of operators: arithmetic, membership, indexing, slicing, attributes and
// len (iteration is in iterate.ts). Errors are thrown without a position; the evaluator attaches one.

import { compareOp, equals } from './compare.js';
import { StarlarkError } from './errors.js';
import { percentFormat } from './format.js';
import {
  intAdd, intAnd, intFloorDiv, intInvert, intMod, intMul, intNeg, intOr, intShl, intShr, intSub, intToFloat, intXor,
  type Int,
} from './int.js';
import { MAX_SEQUENCE_LENGTH, MAX_STRING_LENGTH, sequenceTooLarge, stringTooLarge } from './limits.js';
import { methodTable } from './methods.js';
import { repr } from './repr.js';
import {
  Builtin, HostValue, None, RangeValue, StarDict, StarFloat, StarList, StarSet, Tuple, keyId, truth as truthOf,
  typeName, type CallContext, type Value,
} from './values.js';

export function unsupported(op: string, a: Value, b: Value): StarlarkError {
  return new StarlarkError(`unknown binary op: ${typeName(a)} ${op} ${typeName(b)}`);
}

function isInt(v: Value): v is Int {
  return typeof v === 'number' || typeof v === 'bigint';
}

/** Numeric value of an int or float operand for mixed arithmetic; undefined if neither. */
function asFloat(v: Value): number | undefined {
  if (v instanceof StarFloat) return v.v;
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return intToFloat(v);
  return undefined;
}

function floatOrUndefined(a: Value, b: Value): [number, number] | undefined {
  if (!(a instanceof StarFloat) && !(b instanceof StarFloat)) return undefined;
  const x = asFloat(a);
  const y = asFloat(b);
  if (x === undefined || y === undefined) return undefined;
  return [x, y];
}

/** The repeat count of `seq * n`, or an error naming the total as starlark-go words it. */
function repeatCount(len: number, n: Int, limit: number, tooLarge: (total: number) => string): number {
  if (n > 0x7fffffff) throw new StarlarkError(`repeat count ${n} too large`);
  const k = Number(n);
  if (k <= 0 || len === 0) return 0;
  if (len * k > limit) throw new StarlarkError(`excessive repeat (${len} * ${k} elements); ${tooLarge(len * k)}`);
  return k;
}

function repeat(kind: string, elems: Value[], n: Int): Value[] {
  const k = repeatCount(elems.length, n, MAX_SEQUENCE_LENGTH, (t) => sequenceTooLarge(kind, t));
  const out: Value[] = new Array(elems.length * k);
  for (let i = 0; i < k; i++) for (let j = 0; j < elems.length; j++) out[i * elems.length + j] = elems[j];
  return out;
}

function repeatString(s: string, n: Int): string {
  return s.repeat(repeatCount(s.length, n, MAX_STRING_LENGTH, stringTooLarge));
}

/** `a + b` for strings, within the string size limit. */
function concatStrings(a: string, b: string): string {
  if (a.length + b.length > MAX_STRING_LENGTH) throw new StarlarkError(stringTooLarge(a.length + b.length));
  return a + b;
}

/** `a + b` for lists and tuples' elements, within the sequence size limit. */
function concatElems(kind: string, a: Value[], b: Value[]): Value[] {
  if (a.length + b.length > MAX_SEQUENCE_LENGTH) throw new StarlarkError(sequenceTooLarge(kind, a.length + b.length));
  return a.concat(b);
}

export type BinaryOperator =
  | '+' | '-' | '*' | '/' | '//' | '%' | '|' | '&' | '^' | '<<' | '>>'
  | '==' | '!=' | '<' | '<=' | '>' | '>=' | 'in' | 'not in';

export function binary(op: BinaryOperator, a: Value, b: Value): Value {
  switch (op) {
    case '+': {
      if (isInt(a) && isInt(b)) return intAdd(a, b);
      if (typeof a === 'string' && typeof b === 'string') return concatStrings(a, b);
      const f = floatOrUndefined(a, b);
      if (f) return new StarFloat(f[0] + f[1]);
      if (a instanceof StarList && b instanceof StarList) return new StarList(concatElems('list', a.elems, b.elems));
      if (a instanceof Tuple && b instanceof Tuple) return new Tuple(concatElems('tuple', a.elems, b.elems));
      break;
    }
    case '-': {
      if (isInt(a) && isInt(b)) return intSub(a, b);
      const f = floatOrUndefined(a, b);
      if (f) return new StarFloat(f[0] - f[1]);
      if (a instanceof StarSet && b instanceof StarSet) return StarSet.of(a.keys().filter((k) => !b.has(k)));
      break;
    }
    case '*': {
      if (isInt(a) && isInt(b)) return intMul(a, b);
      const f = floatOrUndefined(a, b);
      if (f) return new StarFloat(f[0] * f[1]);
      if (typeof a === 'string' && isInt(b)) return repeatString(a, b);
      if (isInt(a) && typeof b === 'string') return repeatString(b, a);
      if (a instanceof StarList && isInt(b)) return new StarList(repeat('list', a.elems, b));
      if (isInt(a) && b instanceof StarList) return new StarList(repeat('list', b.elems, a));
      if (a instanceof Tuple && isInt(b)) return new Tuple(repeat('tuple', a.elems, b));
      if (isInt(a) && b instanceof Tuple) return new Tuple(repeat('tuple', b.elems, a));
      break;
    }
    case '/': {
      const x = asFloat(a);
      const y = asFloat(b);
      if (x === undefined || y === undefined) break;
      if (y === 0) throw new StarlarkError('floating-point division by zero');
      return new StarFloat(x / y);
    }
    case '//': {
      if (isInt(a) && isInt(b)) return intFloorDiv(a, b);
      const f = floatOrUndefined(a, b);
      if (!f) break;
      if (f[1] === 0) throw new StarlarkError('floored division by zero');
      return new StarFloat(Math.floor(f[0] / f[1]));
    }
    case '%': {
      if (isInt(a) && isInt(b)) return intMod(a, b);
      if (typeof a === 'string') return percentFormat(a, b);
      const f = floatOrUndefined(a, b);
      if (!f) break;
      if (f[1] === 0) throw new StarlarkError('floating-point modulo by zero');
      let r = f[0] % f[1];
      if (r !== 0 && r < 0 !== f[1] < 0) r += f[1];
      if (r === 0) r = f[1] < 0 ? -0 : 0;
      return new StarFloat(r);
    }
    case '|': {
      if (isInt(a) && isInt(b)) return intOr(a, b);
      if (a instanceof StarSet && b instanceof StarSet) {
        const s = StarSet.of(a.keys());
        for (const k of b.keys()) if (!s.has(k)) s.add(k);
        return s;
      }
      if (a instanceof StarDict && b instanceof StarDict) {
        const d = StarDict.of(a.items());
        for (const [k, v] of b.items()) d.set(k, v);
        return d;
      }
      break;
    }
    case '&': {
      if (isInt(a) && isInt(b)) return intAnd(a, b);
      if (a instanceof StarSet && b instanceof StarSet) return StarSet.of(a.keys().filter((k) => b.has(k)));
      break;
    }
    case '^': {
      if (isInt(a) && isInt(b)) return intXor(a, b);
      if (a instanceof StarSet && b instanceof StarSet) {
        const out = a.keys().filter((k) => !b.has(k));
        for (const k of b.keys()) if (!a.has(k)) out.push(k);
        return StarSet.of(out);
      }
      break;
    }
    case '<<':
      if (isInt(a) && isInt(b)) return intShl(a, b);
      break;
    case '>>':
      if (isInt(a) && isInt(b)) return intShr(a, b);
      break;
    case '==':
      return equals(a, b);
    case '!=':
      return !equals(a, b);
    case '<':
    case '<=':
    case '>':
    case '>=':
      return compareOp(op, a, b);
    case 'in':
      return contains(b, a);
    case 'not in':
      return !contains(b, a);
  }
  throw unsupported(op, a, b);
}

/** `x in container` */
export function contains(container: Value, x: Value): boolean {
  if (container instanceof StarList || container instanceof Tuple) {
    const es = container.elems;
    for (let i = 0; i < es.length; i++) if (es[i] === x || equals(es[i], x)) return true;
    return false;
  }
  if (container instanceof StarDict) {
    // As starlark-go: membership in a dict never fails; an unhashable key is simply absent.
    try {
      return container.m.has(keyId(x));
    } catch {
      return false;
    }
  }
  if (container instanceof StarSet) return container.m.has(keyId(x));
  if (typeof container === 'string') {
    if (typeof x !== 'string') throw new StarlarkError(`'in <string>' requires string as left operand, not ${typeName(x)}`);
    return container.includes(x);
  }
  if (container instanceof RangeValue) {
    let n: number;
    if (typeof x === 'number') n = x;
    else if (x instanceof StarFloat) {
      if (!Number.isInteger(x.v)) return false;
      n = x.v;
    } else if (typeof x === 'bigint') return false;
    else throw new StarlarkError(`'in <range>' requires integer as left operand, not ${typeName(x)}`);
    const r = container;
    if (r.len === 0) return false;
    const off = n - r.start;
    if (off % r.step !== 0) return false;
    const i = off / r.step;
    return i >= 0 && i < r.len;
  }
  if (container instanceof HostValue && container.iterate) {
    for (const e of container.iterate()) if (equals(e, x)) return true;
    return false;
  }
  throw unsupported('in', x, container);
}

export function unary(op: '+' | '-' | '~' | 'not', x: Value): Value {
  switch (op) {
    case 'not':
      return !truthOf(x);
    case '-':
      if (isInt(x)) return intNeg(x);
      if (x instanceof StarFloat) return new StarFloat(-x.v);
      break;
    case '+':
      if (isInt(x) || x instanceof StarFloat) return x;
      break;
    case '~':
      if (isInt(x)) return intInvert(x);
      break;
  }
  throw new StarlarkError(`unknown unary op: ${op} ${typeName(x)}`);
}


// ----- indexing ----------------------------------------------------------------------------

function checkIndex(i: Value, len: number, what: string): number {
  let n: number;
  if (typeof i === 'number') n = i;
  else if (typeof i === 'bigint') n = Number(i);
  else throw new StarlarkError(`${what} index: got ${typeName(i)}, want int`);
  const orig = n;
  if (n < 0) n += len;
  if (n < 0 || n >= len) {
    throw new StarlarkError(`index ${orig} out of range: ${what} has ${len} element${len === 1 ? '' : 's'}`);
  }
  return n;
}

export function index(x: Value, i: Value): Value {
  if (x instanceof StarList) return x.elems[checkIndex(i, x.elems.length, 'list')];
  if (x instanceof Tuple) return x.elems[checkIndex(i, x.elems.length, 'tuple')];
  if (x instanceof StarDict) {
    const v = x.get(i);
    if (v === undefined) throw new StarlarkError(`key ${reprShort(i)} not in dict`);
    return v;
  }
  if (typeof x === 'string') return x[checkIndex(i, x.length, 'string')];
  if (x instanceof RangeValue) return x.at(checkIndex(i, x.len, 'range'));
  if (x instanceof HostValue && x.index) return x.index(i);
  throw new StarlarkError(`unhandled index operation ${typeName(x)}[${typeName(i)}]`);
}

function reprShort(v: Value): string {
  const s = repr(v);
  return s.length > 100 ? s.slice(0, 97) + '...' : s;
}

export function setIndex(x: Value, i: Value, v: Value): void {
  if (x instanceof StarList) {
    x.checkMutable('assign to element of');
    x.elems[checkIndex(i, x.elems.length, 'list')] = v;
    return;
  }
  if (x instanceof StarDict) {
    x.set(i, v);
    return;
  }
  if (x instanceof Tuple || typeof x === 'string') {
    throw new StarlarkError(`${typeName(x)} value does not support item assignment`);
  }
  throw new StarlarkError(`${typeName(x)} value does not support item assignment`);
}

function sliceIndex(v: Value, what: string): number | undefined {
  if (v === None) return undefined;
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return v > 0n ? Number.MAX_SAFE_INTEGER : -Number.MAX_SAFE_INTEGER;
  throw new StarlarkError(`invalid slice ${what}: got ${typeName(v)}, want int or None`);
}

/** Indices selected by x[lo:hi:step] over a sequence of length n. */
export function sliceIndices(n: number, lo: Value, hi: Value, step: Value): number[] {
  const st = sliceIndex(step, 'step') ?? 1;
  if (st === 0) throw new StarlarkError('zero is not a valid slice step');
  let a = sliceIndex(lo, 'start');
  let b = sliceIndex(hi, 'end');
  const out: number[] = [];
  if (st > 0) {
    a = a === undefined ? 0 : a < 0 ? Math.max(0, a + n) : Math.min(a, n);
    b = b === undefined ? n : b < 0 ? Math.max(0, b + n) : Math.min(b, n);
    for (let i = a; i < b; i += st) out.push(i);
  } else {
    a = a === undefined ? n - 1 : a < 0 ? Math.max(-1, a + n) : Math.min(a, n - 1);
    b = b === undefined ? -1 : b < 0 ? Math.max(-1, b + n) : Math.min(b, n - 1);
    for (let i = a; i > b; i += st) out.push(i);
  }
  return out;
}

export function slice(x: Value, lo: Value, hi: Value, step: Value): Value {
  if (typeof x === 'string') {
    if (step === None || step === 1) {
      const n = x.length;
      let a = sliceIndex(lo, 'start') ?? 0;
      let b = sliceIndex(hi, 'end') ?? n;
      if (a < 0) a = Math.max(0, a + n);
      if (b < 0) b = Math.max(0, b + n);
      return a < b ? x.slice(a, b) : '';
    }
    const idx = sliceIndices(x.length, lo, hi, step);
    let s = '';
    for (const i of idx) s += x[i];
    return s;
  }
  if (x instanceof StarList || x instanceof Tuple) {
    const es = x.elems;
    let out: Value[];
    if (step === None || step === 1) {
      const n = es.length;
      let a = sliceIndex(lo, 'start') ?? 0;
      let b = sliceIndex(hi, 'end') ?? n;
      if (a < 0) a = Math.max(0, a + n);
      if (b < 0) b = Math.max(0, b + n);
      out = es.slice(a, b);
    } else {
      out = sliceIndices(es.length, lo, hi, step).map((i) => es[i]);
    }
    return x instanceof StarList ? new StarList(out) : new Tuple(out);
  }
  if (x instanceof RangeValue) {
    const idx = sliceIndices(x.len, lo, hi, step);
    const st = (sliceIndex(step, 'step') ?? 1) * x.step;
    if (idx.length === 0) {
      const start = x.at(0);
      return new RangeValue(start, start, st);
    }
    const start = x.at(idx[0]);
    return new RangeValue(start, start + idx.length * st, st);
  }
  throw new StarlarkError(`invalid slice operand ${typeName(x)}`);
}

// ----- attributes --------------------------------------------------------------------------

export function getAttr(x: Value, name: string): Value {
  const v = getAttrOrUndefined(x, name);
  if (v === undefined) throw noAttr(x, name);
  return v;
}

export function noAttr(x: Value, name: string): StarlarkError {
  const t = typeName(x);
  const names = attrNames(x);
  const hint = suggestName(name, names);
  return new StarlarkError(`${t} has no .${name} field or method${hint}`);
}

function suggestName(name: string, names: string[]): string {
  for (const n of names) {
    if (n.toLowerCase() === name.toLowerCase() || (Math.abs(n.length - name.length) <= 1 && n.startsWith(name.slice(0, 3)) && name.length > 3)) {
      return ` (did you mean .${n}?)`;
    }
  }
  return '';
}

export function getAttrOrUndefined(x: Value, name: string): Value | undefined {
  if (x instanceof HostValue) {
    const v = x.attr(name);
    if (v !== undefined) return v;
  }
  const table = methodTable(x);
  if (table) {
    const m = table[name];
    if (m) return new Builtin(name, (ctx, args, kwargs) => m(ctx, x, args, kwargs), x);
  }
  return undefined;
}

export function attrNames(x: Value): string[] {
  const out: string[] = [];
  if (x instanceof HostValue) out.push(...x.attrNames());
  const table = methodTable(x);
  if (table) out.push(...Object.keys(table));
  return out.sort();
}

export function setAttr(x: Value, name: string, v: Value): void {
  if (x instanceof HostValue) {
    x.setAttr(name, v);
    return;
  }
  throw new StarlarkError(`${typeName(x)} value has no field or method ${name} that can be assigned`);
}

// ----- len ---------------------------------------------------------------------------------

export function len(x: Value): number | undefined {
  if (typeof x === 'string') return x.length;
  if (x instanceof StarList || x instanceof Tuple) return x.elems.length;
  if (x instanceof StarDict || x instanceof StarSet) return x.size;
  if (x instanceof RangeValue) return x.len;
  if (x instanceof HostValue && x.len) return x.len();
  return undefined;
}

export type { CallContext };
