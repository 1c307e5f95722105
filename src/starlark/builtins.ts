// The universal builtins available to every Starlark file (len, range, sorted, ...).

import { boolArg, unpackArgs } from './args.js';
import { compare } from './compare.js';
import { StarlarkError } from './errors.js';
import { floatToInt, intNeg, parseInt_, type Int } from './int.js';
import { iterate } from './iterate.js';
import { updateDict } from './methods.js';
import { attrNames, getAttrOrUndefined, len as lenOf } from './ops.js';
import { quote, repr, str } from './repr.js';
import { Struct } from './struct.js';
import {
  Builtin, None, RangeValue, StarDict, StarFloat, StarList, StarSet, Tuple, truth, typeName,
  type CallContext, type Kwargs, type Value,
} from './values.js';
import { callFromHost } from './call-from-host.js';

type Impl = (ctx: CallContext, args: Value[], kwargs: Kwargs) => Value;

function wantInt(v: Value, what: string): Int {
  if (typeof v === 'number' || typeof v === 'bigint') return v;
  throw new StarlarkError(`${what}: got ${typeName(v)}, want int`);
}

function wantSmallInt(v: Value, what: string): number {
  const i = wantInt(v, what);
  if (typeof i === 'bigint') throw new StarlarkError(`${what}: ${i} out of range`);
  return i;
}

function joinStr(args: Value[], sep: string): string {
  let out = '';
  for (let i = 0; i < args.length; i++) {
    if (i > 0) out += sep;
    out += str(args[i]);
  }
  return out;
}

function sepOf(kwargs: Kwargs, fn: string): string {
  let sep = ' ';
  for (const [k, v] of kwargs) {
    if (k !== 'sep') throw new StarlarkError(`${fn}: unexpected keyword argument "${k}" (accepted: sep)`);
    if (typeof v !== 'string') throw new StarlarkError(`${fn}: sep: got ${typeName(v)}, want string`);
    sep = v;
  }
  return sep;
}

/** Call a callable from a builtin (key functions etc.). */
function invoke(ctx: CallContext, fn: Value, args: Value[]): Value {
  return callFromHost(ctx, fn, args, []);
}


function minmax(ctx: CallContext, args: Value[], kwargs: Kwargs, fn: 'min' | 'max'): Value {
  let key: Value | undefined;
  let def: Value | undefined;
  for (const [k, v] of kwargs) {
    if (k === 'key') key = v;
    else if (k === 'default') def = v;
    else throw new StarlarkError(`${fn}: unexpected keyword argument "${k}" (accepted: key, default)`);
  }
  if (args.length === 0) throw new StarlarkError(`${fn}: missing argument for iterable`);
  const items = args.length === 1 ? iterate(args[0], fn) : args;
  if (args.length > 1 && def !== undefined) throw new StarlarkError(`${fn}: default requires a single iterable argument`);
  if (items.length === 0) {
    if (def !== undefined) return def;
    throw new StarlarkError(`${fn}: argument is an empty sequence`);
  }
  const useKey = key !== undefined && key !== None;
  let best = items[0];
  let bestKey = useKey ? invoke(ctx, key!, [best]) : best;
  for (let i = 1; i < items.length; i++) {
    const x = items[i];
    const k = useKey ? invoke(ctx, key!, [x]) : x;
    const c = compare(k, bestKey);
    if (fn === 'min' ? c < 0 : c > 0) {
      best = x;
      bestKey = k;
    }
  }
  return best;
}

function parseFloatString(s: string): number | undefined {
  const t = s.toLowerCase();
  const m = /^([+-]?)(inf|infinity|nan)$/.exec(t);
  if (m) return m[2] === 'nan' ? NaN : m[1] === '-' ? -Infinity : Infinity;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/.test(t)) return undefined;
  return Number(t);
}

function javaHash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
  return h;
}

const P_X = ['x', '/'];
const P_XOPT = ['x?', '/'];
const P_INT = ['x', 'base?'];
const P_ENUM = ['x', 'start?', '/'];
const P_GETATTR = ['x', 'name', 'default?', '/'];
const P_HASATTR = ['x', 'name', '/'];
const P_SORTED = ['iterable', '*', 'key?', 'reverse?'];
const P_DICT = ['pairs?', '/', '**kwargs'];
const P_STRUCT = ['**kwargs'];

const impls: Record<string, Impl> = {
  abs(_ctx, args, kwargs) {
    const [x] = unpackArgs('abs', args, kwargs, P_X);
    if (typeof x === 'number' || typeof x === 'bigint') return x < 0 ? intNeg(x) : x;
    if (x instanceof StarFloat) return x.v < 0 || Object.is(x.v, -0) ? new StarFloat(-x.v) : x;
    throw new StarlarkError(`got ${typeName(x!)}, want int or float`);
  },
  all(_ctx, args, kwargs) {
    const [x] = unpackArgs('all', args, kwargs, P_X);
    for (const e of iterate(x!, 'all')) if (!truth(e)) return false;
    return true;
  },
  any(_ctx, args, kwargs) {
    const [x] = unpackArgs('any', args, kwargs, P_X);
    for (const e of iterate(x!, 'any')) if (truth(e)) return true;
    return false;
  },
  bool(_ctx, args, kwargs) {
    const [x] = unpackArgs('bool', args, kwargs, P_XOPT);
    return x === undefined ? false : truth(x);
  },
  chr(_ctx, args, kwargs) {
    const [x] = unpackArgs('chr', args, kwargs, P_X);
    const i = wantInt(x!, 'chr');
    if (i < 0) throw new StarlarkError(`Unicode code point ${i} out of range (<0)`);
    if (i > 0x10ffff) throw new StarlarkError(`Unicode code point U+${i.toString(16).toUpperCase()} out of range (>0x10FFFF)`);
    const n = Number(i);
    if (n >= 0xd800 && n < 0xe000) return '\ufffd';
    return String.fromCodePoint(n);
  },
  dict(_ctx, args, kwargs) {
    if (args.length > 1) throw new StarlarkError(`got ${args.length} arguments, want at most 1`);
    const names = new Set<string>();
    for (const [k] of kwargs) {
      if (names.has(k)) throw new StarlarkError(`duplicate keyword arg: ${quote(k)}`);
      names.add(k);
    }
    const [pairs, kw] = unpackArgs('dict', args, kwargs, P_DICT);
    const d = new StarDict();
    updateDict(d, pairs, kw, 'dict');
    return d;
  },
  dir(_ctx, args, kwargs) {
    const [x] = unpackArgs('dir', args, kwargs, P_X);
    return new StarList(attrNames(x!));
  },
  enumerate(_ctx, args, kwargs) {
    const [x, start] = unpackArgs('enumerate', args, kwargs, P_ENUM);
    const s = start === undefined ? 0 : wantSmallInt(start, 'enumerate: start');
    return new StarList(iterate(x!, 'enumerate').map((e, i) => new Tuple([s + i, e])));
  },
  fail(_ctx, args, kwargs) {
    const sep = sepOf(kwargs, 'fail');
    throw new StarlarkError(`fail: ${joinStr(args, sep)}`);
  },
  float(_ctx, args, kwargs) {
    const [x] = unpackArgs('float', args, kwargs, P_XOPT);
    if (x === undefined) return new StarFloat(0);
    if (x instanceof StarFloat) return x;
    if (typeof x === 'boolean') return new StarFloat(x ? 1 : 0);
    if (typeof x === 'number' || typeof x === 'bigint') {
      const f = Number(x);
      if (!Number.isFinite(f)) throw new StarlarkError('int too large to convert to float');
      return new StarFloat(f);
    }
    if (typeof x === 'string') {
      const f = parseFloatString(x);
      if (f === undefined) throw new StarlarkError(`invalid float literal: ${x}`);
      if (!Number.isFinite(f) && !/inf|nan/i.test(x)) throw new StarlarkError(`floating-point number too large: ${x}`);
      return new StarFloat(f);
    }
    throw new StarlarkError(`got ${typeName(x)}, want number or string`);
  },
  getattr(_ctx, args, kwargs) {
    const [x, name, def] = unpackArgs('getattr', args, kwargs, P_GETATTR);
    if (typeof name !== 'string') throw new StarlarkError(`name: got ${typeName(name!)}, want string`);
    const v = getAttrOrUndefined(x!, name);
    if (v !== undefined) return v;
    if (def !== undefined) return def;
    throw new StarlarkError(`${typeName(x!)} has no .${name} field or method`);
  },
  hasattr(_ctx, args, kwargs) {
    const [x, name] = unpackArgs('hasattr', args, kwargs, P_HASATTR);
    if (typeof name !== 'string') throw new StarlarkError(`name: got ${typeName(name!)}, want string`);
    return getAttrOrUndefined(x!, name) !== undefined;
  },
  hash(_ctx, args, kwargs) {
    const [x] = unpackArgs('hash', args, kwargs, P_X);
    if (typeof x !== 'string') throw new StarlarkError(`got ${typeName(x!)}, want string`);
    return javaHash(x);
  },
  int(_ctx, args, kwargs) {
    const [x, base] = unpackArgs('int', args, kwargs, P_INT);
    if (base !== undefined) {
      if (typeof x !== 'string') throw new StarlarkError("can't convert non-string with explicit base");
      const b = wantSmallInt(base, 'base');
      if (b !== 0 && (b < 2 || b > 36)) throw new StarlarkError('base must be an integer >= 2 && <= 36');
      const r = parseInt_(x, b);
      if (r === undefined) throw new StarlarkError(`invalid literal with base ${b}: ${x}`);
      return r;
    }
    if (typeof x === 'number' || typeof x === 'bigint') return x;
    if (typeof x === 'boolean') return x ? 1 : 0;
    if (x instanceof StarFloat) return floatToInt(x.v);
    if (typeof x === 'string') {
      const r = parseInt_(x, 10);
      if (r === undefined) throw new StarlarkError(`invalid literal with base 10: ${x}`);
      return r;
    }
    throw new StarlarkError(`got ${typeName(x!)}, want int, float, bool or string`);
  },
  len(_ctx, args, kwargs) {
    const [x] = unpackArgs('len', args, kwargs, P_X);
    const n = lenOf(x!);
    if (n === undefined) throw new StarlarkError(`value of type ${typeName(x!)} has no len`);
    return n;
  },
  list(_ctx, args, kwargs) {
    const [x] = unpackArgs('list', args, kwargs, P_XOPT);
    return new StarList(x === undefined ? [] : iterate(x, 'list').slice());
  },
  max(ctx, args, kwargs) {
    return minmax(ctx, args, kwargs, 'max');
  },
  min(ctx, args, kwargs) {
    return minmax(ctx, args, kwargs, 'min');
  },
  ord(_ctx, args, kwargs) {
    const [x] = unpackArgs('ord', args, kwargs, P_X);
    if (typeof x !== 'string') throw new StarlarkError(`got ${typeName(x!)}, want string`);
    const cps = Array.from(x);
    if (cps.length !== 1) throw new StarlarkError(`string encodes ${cps.length} Unicode code points, want 1`);
    const cp = cps[0].codePointAt(0)!;
    return cp >= 0xd800 && cp < 0xe000 ? 0xfffd : cp;
  },
  print(ctx, args, kwargs) {
    const sep = sepOf(kwargs, 'print');
    ctx.print(joinStr(args, sep));
    return None;
  },
  range(_ctx, args, kwargs) {
    if (kwargs.length > 0) throw new StarlarkError(`unexpected keyword argument "${kwargs[0][0]}"`);
    if (args.length < 1 || args.length > 3) throw new StarlarkError(`got ${args.length} arguments, want 1 to 3`);
    const ints = args.map((a, i) => wantSmallInt(a, ['start', 'stop', 'step'][args.length === 1 ? 1 : i]));
    const [start, stop, step] = args.length === 1 ? [0, ints[0], 1] : [ints[0], ints[1], ints[2] ?? 1];
    if (step === 0) throw new StarlarkError('step argument must not be zero');
    return new RangeValue(start, stop, step);
  },
  repr(_ctx, args, kwargs) {
    const [x] = unpackArgs('repr', args, kwargs, P_X);
    return repr(x!);
  },
  reversed(_ctx, args, kwargs) {
    const [x] = unpackArgs('reversed', args, kwargs, P_X);
    return new StarList(iterate(x!, 'reversed').slice().reverse());
  },
  set(_ctx, args, kwargs) {
    const [x] = unpackArgs('set', args, kwargs, P_XOPT);
    return StarSet.of(x === undefined ? [] : iterate(x, 'set'));
  },
  sorted(ctx, args, kwargs) {
    const [x, key, reverse] = unpackArgs('sorted', args, kwargs, P_SORTED);
    const items = iterate(x!, 'sorted').slice();
    const rev = reverse !== undefined && boolArg(reverse, 'reverse');
    let out: Value[];
    if (key !== undefined && key !== None) {
      const keyed = items.map((v) => ({ v, k: invoke(ctx, key, [v]) }));
      keyed.sort((a, b) => (rev ? compare(b.k, a.k) : compare(a.k, b.k)));
      out = keyed.map((e) => e.v);
    } else {
      out = items.sort((a, b) => (rev ? compare(b, a) : compare(a, b)));
    }
    return new StarList(out);
  },
  str(_ctx, args, kwargs) {
    const [x] = unpackArgs('str', args, kwargs, P_X);
    return str(x!);
  },
  struct(_ctx, args, kwargs) {
    if (args.length > 0) throw new StarlarkError(`unexpected positional arguments`);
    unpackArgs('struct', args, kwargs, P_STRUCT);
    return new Struct(kwargs);
  },
  tuple(_ctx, args, kwargs) {
    const [x] = unpackArgs('tuple', args, kwargs, P_XOPT);
    if (x === undefined) return new Tuple([]);
    if (x instanceof Tuple) return x;
    return new Tuple(iterate(x, 'tuple').slice());
  },
  type(_ctx, args, kwargs) {
    const [x] = unpackArgs('type', args, kwargs, P_X);
    return typeName(x!);
  },
  zip(_ctx, args, kwargs) {
    if (kwargs.length > 0) throw new StarlarkError(`unexpected keyword argument "${kwargs[0][0]}"`);
    const seqs = args.map((a) => iterate(a, 'zip'));
    if (seqs.length === 0) return new StarList([]);
    const n = Math.min(...seqs.map((s) => s.length));
    const out: Value[] = new Array(n);
    for (let i = 0; i < n; i++) out[i] = new Tuple(seqs.map((s) => s[i]));
    return new StarList(out);
  },
};

/** One-argument fast forms (see Builtin.fast1): the common cases only, declining the rest. */
const fast1: Record<string, (x: Value) => Value | undefined> = {
  len(x) {
    if (typeof x === 'string') return x.length;
    if (x instanceof StarList || x instanceof Tuple) return x.elems.length;
    if (x instanceof StarDict || x instanceof StarSet) return x.size;
    return undefined;
  },
  str(x) {
    if (typeof x === 'string') return x;
    return typeof x === 'number' ? String(x) : undefined;
  },
};

/** name → value of every universal builtin, plus None/True/False. */
export const universe: Record<string, Value> = (() => {
  const u: Record<string, Value> = { None, True: true, False: false };
  for (const [name, impl] of Object.entries(impls)) u[name] = new Builtin(name, impl, undefined, fast1[name]);
  return u;
})();

export function isUniversal(name: string): boolean {
  return Object.prototype.hasOwnProperty.call(universe, name);
}

