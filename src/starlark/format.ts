// String formatting: the `%` operator and str.format.

import { StarlarkError } from './errors.js';
import { flatString } from './flat-string.js';
import { floatToInt, type Int } from './int.js';
import { formatFloat, repr, str } from './repr.js';
import { StarDict, StarFloat, Tuple, typeName, type Kwargs, type Value } from './values.js';

/**
 * A `%` format string, parsed once (the compiler keeps one per string literal on the left of
 * `%`): the literal runs around each conversion (`lits.length === convs.length + 1`, `%%`
 * already folded in). A malformed format keeps what precedes the fault and the fault's message,
 * raised after the conversions before it, which is where a left-to-right formatter meets it.
 */
export interface PercentTemplate {
  lits: string[];
  convs: PercentConversion[];
  error: string | undefined;
}

interface PercentConversion {
  /** Conversion letter; undefined when the format ends right after a `%(key)`. */
  c: string | undefined;
  /** The `%(key)` mapping key, if any. */
  key: string | undefined;
}

export function parsePercent(format: string): PercentTemplate {
  const lits: string[] = [];
  const convs: PercentConversion[] = [];
  let error: string | undefined;
  let lit = '';
  let i = 0;
  const n = format.length;
  while (i < n) {
    const pct = format.indexOf('%', i);
    if (pct < 0) {
      lit += format.slice(i);
      break;
    }
    lit += format.slice(i, pct);
    i = pct + 1;
    if (i >= n) {
      error = 'incomplete format';
      break;
    }
    let c: string | undefined = format[i];
    if (c === '%') {
      lit += '%';
      i++;
      continue;
    }
    let key: string | undefined;
    if (c === '(') {
      const close = format.indexOf(')', i);
      if (close < 0) {
        error = 'incomplete format key';
        break;
      }
      key = format.slice(i + 1, close);
      i = close + 1;
      c = i < n ? format[i] : undefined;
    }
    i++;
    lits.push(lit);
    convs.push({ c, key });
    lit = '';
  }
  lits.push(lit);
  return { lits, convs, error };
}

/** `format % arg` */
export function percentFormat(format: string, arg: Value): string {
  return applyPercent(parsePercent(format), arg instanceof Tuple ? arg.elems : [arg], arg instanceof StarDict ? arg : undefined);
}

/**
 * Format with a parsed template. `args` are the operands (a tuple's elements, or the one
 * non-tuple operand); `dict` is that one operand when it is a dict (for `%(key)` conversions).
 */
export function applyPercent(t: PercentTemplate, args: readonly Value[], dict: StarDict | undefined): string {
  const { lits, convs } = t;
  let argi = 0;
  let usedKey = false;
  let out = lits[0];
  for (let k = 0; k < convs.length; k++) {
    const { c, key } = convs[k];
    let operand: Value;
    if (key !== undefined) {
      if (!dict) throw new StarlarkError('format requires a mapping');
      const v = dict.get(key);
      if (v === undefined) throw new StarlarkError(`key ${repr(key)} not in dict`);
      operand = v;
      usedKey = true;
    } else {
      if (argi >= args.length) throw new StarlarkError('not enough arguments for format string');
      operand = args[argi++];
    }
    if (c === undefined) throw new StarlarkError('incomplete format');
    out += convert(c, operand);
    out += lits[k + 1];
  }
  if (t.error !== undefined) throw new StarlarkError(t.error);
  if (!usedKey && argi < args.length && !(dict && argi === 0)) {
    throw new StarlarkError('too many arguments for format string');
  }
  return flatString(out);
}

/** The integer a %d/%i/%o/%x/%X operand stands for: an int, or a float truncated (as starlark-go). */
function integerOperand(c: string, x: Value): Int {
  if (typeof x === 'number' || typeof x === 'bigint') return x;
  try {
    if (x instanceof StarFloat) return floatToInt(x.v);
  } catch (e) {
    throw new StarlarkError(`%${c} format requires integer: ${(e as Error).message}`);
  }
  throw new StarlarkError(`%${c} format requires integer: cannot convert ${typeName(x)} to int`);
}

function convert(c: string, x: Value): string {
  switch (c) {
    case 's':
      return str(x);
    case 'r':
      return repr(x);
    case 'd':
    case 'i':
      return String(integerOperand(c, x));
    case 'o':
    case 'x':
    case 'X': {
      const s = integerOperand(c, x).toString(c === 'o' ? 8 : 16);
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
      else throw new StarlarkError(`%${c} format requires float, not ${typeName(x)}`);
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

/**
 * A str.format string, parsed once (the compiler keeps one per string literal receiver): literal
 * runs around each replacement field, and, for a malformed format, the fault's message, raised
 * after the fields before it (see PercentTemplate).
 */
export interface FormatTemplate {
  lits: string[];
  fields: FormatField[];
  error: string | undefined;
}

interface FormatField {
  /** Positional index (automatic or explicit), or -1 for a keyword field. */
  index: number;
  name: string;
  repr: boolean;
}

export function parseFormat(format: string): FormatTemplate {
  const lits: string[] = [];
  const fields: FormatField[] = [];
  let lit = '';
  let auto = 0;
  let mode: 'none' | 'auto' | 'manual' = 'none';
  let i = 0;
  const n = format.length;
  const done = (error: string | undefined): FormatTemplate => {
    lits.push(lit);
    return { lits, fields, error };
  };
  while (i < n) {
    const c = format[i];
    if (c === '}') {
      if (format[i + 1] === '}') {
        lit += '}';
        i += 2;
        continue;
      }
      return done('single } in format');
    }
    if (c !== '{') {
      // Copy the literal run up to the next brace.
      let j = i + 1;
      while (j < n) {
        const d = format.charCodeAt(j);
        if (d === 0x7b || d === 0x7d) break;
        j++;
      }
      lit += format.slice(i, j);
      i = j;
      continue;
    }
    if (format[i + 1] === '{') {
      lit += '{';
      i += 2;
      continue;
    }
    const close = format.indexOf('}', i);
    if (close < 0) return done('unmatched { in format');
    const field = format.slice(i + 1, close);
    i = close + 1;
    let name = field;
    let conv = 's';
    const colon = name.indexOf(':');
    if (colon >= 0) {
      if (colon < name.length - 1) return done(`format spec features not supported in replacement fields: ${JSON.stringify(field)}`);
      name = name.slice(0, colon);
    }
    const bang = name.indexOf('!');
    if (bang >= 0) {
      conv = name.slice(bang + 1);
      name = name.slice(0, bang);
      if (conv !== 's' && conv !== 'r') return done(conv === '' ? 'missing conversion after !' : `unknown conversion !${conv}`);
    }
    if (name.includes('{')) return done('nested replacement fields not supported');
    let index: number;
    if (name === '') {
      if (mode === 'manual') return done('cannot switch from manual field specification to automatic field numbering');
      mode = 'auto';
      index = auto++;
    } else if (/^\d+$/.test(name)) {
      if (mode === 'auto') return done('cannot switch from automatic field numbering to manual field specification');
      mode = 'manual';
      index = Number(name);
    } else {
      if (/[.[]/.test(name)) return done(`attribute and index syntax not supported in replacement fields: ${JSON.stringify(name)}`);
      index = -1;
    }
    lits.push(lit);
    fields.push({ index, name, repr: conv === 'r' });
    lit = '';
  }
  return done(undefined);
}

/** str.format(*args, **kwargs) */
export function strFormat(format: string, args: Value[], kwargs: Kwargs): string {
  return applyFormat(parseFormat(format), args, kwargs);
}

export function applyFormat(t: FormatTemplate, args: readonly Value[], kwargs: Kwargs): string {
  const { lits, fields } = t;
  let out = lits[0];
  for (let k = 0; k < fields.length; k++) {
    const f = fields[k];
    let v: Value;
    if (f.index >= 0) {
      if (f.index >= args.length) throw new StarlarkError(`format: index ${f.index} out of range`);
      v = args[f.index];
    } else {
      const kw = kwargs.find(([key]) => key === f.name);
      if (!kw) throw new StarlarkError(`format: keyword ${f.name} not found`);
      v = kw[1];
    }
    out += f.repr ? repr(v) : str(v);
    out += lits[k + 1];
  }
  if (t.error !== undefined) throw new StarlarkError(t.error);
  return flatString(out);
}
