// String formatting: the `%` operator and str.format.

import { StarlarkError } from './errors.js';
import { flatString } from './flat-string.js';
import { formatFloat, repr, str } from './repr.js';
import { StarDict, StarFloat, Tuple, typeName, type Kwargs, type Value } from './values.js';

export function percentFormat(format: string, arg: Value): string {
  const args = arg instanceof Tuple ? arg.elems : [arg];
  const dict = arg instanceof StarDict ? arg : undefined;
  let argi = 0;
  let out = '';
  let i = 0;
  let usedKey = false;
  while (i < format.length) {
    const pct = format.indexOf('%', i);
    if (pct < 0) {
      out += format.slice(i);
      break;
    }
    out += format.slice(i, pct);
    i = pct + 1;
    if (i >= format.length) throw new StarlarkError('incomplete format');
    let c = format[i];
    if (c === '%') {
      out += '%';
      i++;
      continue;
    }
    let operand: Value | undefined;
    if (c === '(') {
      const close = format.indexOf(')', i);
      if (close < 0) throw new StarlarkError('incomplete format key');
      const key = format.slice(i + 1, close);
      if (!dict) throw new StarlarkError('format requires a mapping');
      const v = dict.get(key);
      if (v === undefined) throw new StarlarkError(`key ${repr(key)} not in dict`);
      operand = v;
      usedKey = true;
      i = close + 1;
      if (i >= format.length) throw new StarlarkError('incomplete format');
      c = format[i];
    } else {
      if (argi >= args.length) throw new StarlarkError('not enough arguments for format string');
      operand = args[argi++];
    }
    i++;
    out += convert(c, operand);
  }
  if (!usedKey && argi < args.length && !(dict && argi === 0)) {
    throw new StarlarkError('too many arguments for format string');
  }
  return flatString(out);
}

/**
 * A `%` format string parsed once, for a string literal on the left of `%`: the literal runs
 * around each conversion (`lits.length === convs.length + 1`, `%%` already folded into them).
 */
export interface PercentTemplate {
  lits: string[];
  convs: string[];
}

/**
 * Parse `format` for repeated use, or undefined when it needs the general path (a `%(key)`
 * conversion, or a malformed format whose error percentFormat reports in its own order).
 */
export function parsePercent(format: string): PercentTemplate | undefined {
  const lits: string[] = [];
  const convs: string[] = [];
  let lit = '';
  let i = 0;
  while (i < format.length) {
    const pct = format.indexOf('%', i);
    if (pct < 0) {
      lit += format.slice(i);
      break;
    }
    lit += format.slice(i, pct);
    if (pct + 1 >= format.length) return undefined;
    const c = format[pct + 1];
    i = pct + 2;
    if (c === '%') {
      lit += '%';
      continue;
    }
    if (!'sridioxXeEfFgGc'.includes(c)) return undefined;
    lits.push(lit);
    convs.push(c);
    lit = '';
  }
  lits.push(lit);
  return { lits, convs };
}

/**
 * `template % args`, where `args` are the operands (a tuple's elements, or the one non-tuple
 * operand); `lone` is a non-tuple operand, which a format without conversions may ignore only
 * when it is a dict. Same results and errors as percentFormat.
 */
export function applyPercent(t: PercentTemplate, args: readonly Value[], lone: Value | undefined): string {
  const { lits, convs } = t;
  let out = lits[0];
  for (let k = 0; k < convs.length; k++) {
    if (k >= args.length) throw new StarlarkError('not enough arguments for format string');
    out += convert(convs[k], args[k]);
    out += lits[k + 1];
  }
  if (convs.length < args.length && !(convs.length === 0 && lone instanceof StarDict)) {
    throw new StarlarkError('too many arguments for format string');
  }
  return flatString(out);
}

function convert(c: string, x: Value): string {
  switch (c) {
    case 's':
      return str(x);
    case 'r':
      return repr(x);
    case 'd':
    case 'i': {
      if (typeof x === 'number' || typeof x === 'bigint') return String(x);
      if (x instanceof StarFloat) {
        if (!Number.isFinite(x.v)) throw new StarlarkError(`cannot convert float ${formatFloat(x.v)} to integer`);
        const t = Math.trunc(x.v);
        return Number.isSafeInteger(t) ? String(t === 0 ? 0 : t) : BigInt(t).toString();
      }
      throw new StarlarkError(`%${c} format requires integer: ${typeName(x)}`);
    }
    case 'o':
    case 'x':
    case 'X': {
      let n: number | bigint;
      if (typeof x === 'number' || typeof x === 'bigint') n = x;
      else if (x instanceof StarFloat && Number.isFinite(x.v)) n = BigInt(Math.trunc(x.v));
      else throw new StarlarkError(`%${c} format requires integer: ${typeName(x)}`);
      const s = n.toString(c === 'o' ? 8 : 16);
      return c === 'X' ? s.toUpperCase() : s;
    }
    case 'e':
    case 'E':
    case 'f':
    case 'F':
    case 'g':
    case 'G': {
      let f: number;
      if (x instanceof StarFloat) f = x.v;
      else if (typeof x === 'number') f = x;
      else if (typeof x === 'bigint') f = Number(x);
      else throw new StarlarkError(`%${c} format requires float: ${typeName(x)}`);
      return formatFloatConv(f, c);
    }
    case 'c': {
      if (typeof x === 'number') {
        if (x < 0 || x > 0x10ffff || (x >= 0xd800 && x < 0xe000)) throw new StarlarkError(`%c format: invalid code point ${x}`);
        return String.fromCodePoint(x);
      }
      if (typeof x === 'string') {
        if ([...x].length !== 1) throw new StarlarkError(`%c format requires a single-character string, got ${repr(x)}`);
        return x;
      }
      throw new StarlarkError(`%c format requires int or single-character string: ${typeName(x)}`);
    }
  }
  throw new StarlarkError(`unknown conversion %${c}`);
}

/** %e %f %g (and upper-case forms) of a float, as the spec prescribes (6 digits for e/f). */
export function formatFloatConv(f: number, c: string): string {
  const upper = c === 'E' || c === 'F' || c === 'G';
  let s: string;
  if (!Number.isFinite(f)) {
    s = Number.isNaN(f) ? 'nan' : f > 0 ? '+inf' : '-inf';
  } else if (c === 'g' || c === 'G') {
    s = formatFloat(f);
  } else if (c === 'e' || c === 'E') {
    s = f.toExponential(6).replace(/e([+-])(\d)$/, 'e$10$2');
    if (Object.is(f, -0)) s = '-' + s;
  } else {
    s = toFixed6(f);
  }
  return upper ? s.toUpperCase() : s;
}

function toFixed6(f: number): string {
  if (Math.abs(f) < 1e21) {
    const s = f.toFixed(6);
    return Object.is(f, -0) ? '-' + s : s;
  }
  // toFixed switches to exponent form past 1e21: format the exact integer instead.
  return BigInt(Math.trunc(f)).toString() + '.000000';
}

/** str.format(*args, **kwargs) */
export function strFormat(format: string, args: Value[], kwargs: Kwargs): string {
  let out = '';
  let auto = 0;
  let mode: 'none' | 'auto' | 'manual' = 'none';
  let i = 0;
  const n = format.length;
  while (i < n) {
    const c = format[i];
    if (c === '}') {
      if (format[i + 1] === '}') {
        out += '}';
        i += 2;
        continue;
      }
      throw new StarlarkError('single } in format');
    }
    if (c !== '{') {
      // Copy the literal run up to the next brace.
      let j = i + 1;
      while (j < n) {
        const d = format.charCodeAt(j);
        if (d === 0x7b || d === 0x7d) break;
        j++;
      }
      out += format.slice(i, j);
      i = j;
      continue;
    }
    if (format[i + 1] === '{') {
      out += '{';
      i += 2;
      continue;
    }
    const close = format.indexOf('}', i);
    if (close < 0) throw new StarlarkError('unmatched { in format');
    const field = format.slice(i + 1, close);
    i = close + 1;
    let name = field;
    let conv = 's';
    const colon = name.indexOf(':');
    if (colon >= 0) {
      if (colon < name.length - 1) throw new StarlarkError(`format spec features not supported in replacement fields: ${JSON.stringify(field)}`);
      name = name.slice(0, colon);
    }
    const bang = name.indexOf('!');
    if (bang >= 0) {
      conv = name.slice(bang + 1);
      name = name.slice(0, bang);
      if (conv !== 's' && conv !== 'r') {
        throw new StarlarkError(conv === '' ? 'missing conversion after !' : `unknown conversion !${conv}`);
      }
    }
    if (name.includes('{')) throw new StarlarkError('nested replacement fields not supported');
    let v: Value;
    if (name === '') {
      if (mode === 'manual') throw new StarlarkError('cannot switch from manual field specification to automatic field numbering');
      mode = 'auto';
      if (auto >= args.length) throw new StarlarkError(`format: index ${auto} out of range`);
      v = args[auto++];
    } else if (/^\d+$/.test(name)) {
      if (mode === 'auto') throw new StarlarkError('cannot switch from automatic field numbering to manual field specification');
      mode = 'manual';
      const k = Number(name);
      if (k >= args.length) throw new StarlarkError(`format: index ${k} out of range`);
      v = args[k];
    } else {
      if (/[.[]/.test(name)) throw new StarlarkError(`attribute and index syntax not supported in replacement fields: ${JSON.stringify(name)}`);
      const kw = kwargs.find(([k]) => k === name);
      if (!kw) throw new StarlarkError(`format: keyword ${name} not found`);
      v = kw[1];
    }
    out += conv === 'r' ? repr(v) : str(v);
  }
  return flatString(out);
}
