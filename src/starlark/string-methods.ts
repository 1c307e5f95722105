// Built-in methods of string values.

import { boolArg, noArgs, unpackArgs } from './args.js';
import { StarlarkError } from './errors.js';
import { flatString } from './flat-string.js';
import { strFormat } from './format.js';
import { iterate } from './iterate.js';
import { MAX_STRING_LENGTH, stringTooLarge } from './limits.js';
import { clampRange, methodTableOf, type MethodTable } from './method-table.js';
import { quote } from './repr.js';
import { HostValue, None, StarList, Tuple, typeName, type Value } from './values.js';

const P_SUB = ['sub', 'start?', 'end?', '/'];
const P_CHARS = ['cutset?', '/'];
const P_SEP = ['sep', '/'];
const P_SPLIT = ['sep?', 'maxsplit?', '/'];
const P_REPLACE = ['old', 'new', 'count?', '/'];
const P_X = ['x', '/'];
const P_KEEPENDS = ['keepends?', '/'];
const P_AFFIX = ['prefix', '/'];
const P_SUFFIX = ['suffix', '/'];

function wantString(v: Value, what: string): string {
  if (typeof v !== 'string') throw new StarlarkError(`${what}: got ${typeName(v)}, want string`);
  return v;
}

function isSpace(c: string): boolean {
  const k = c.charCodeAt(0);
  if (k < 0x80) return k === 0x20 || (k >= 0x09 && k <= 0x0d);
  return /\s/u.test(c);
}
/** isSpace of the code unit at `i`, without making a one-character string for ASCII. */
function isSpaceAt(s: string, i: number): boolean {
  const k = s.charCodeAt(i);
  if (k < 0x80) return k === 0x20 || (k >= 0x09 && k <= 0x0d);
  return /\s/u.test(s[i]);
}
function isUpperCase(c: string): boolean {
  return c !== c.toLowerCase() && c === c.toUpperCase();
}
function isLowerCase(c: string): boolean {
  return c !== c.toUpperCase() && c === c.toLowerCase();
}
function isLetter(c: string): boolean {
  return /\p{L}/u.test(c);
}
function isDigitChar(c: string): boolean {
  return /\p{Nd}/u.test(c);
}

function stripChars(s: string, cutset: Value | undefined, left: boolean, right: boolean, fn: string): string {
  let a = 0;
  let b = s.length;
  if (cutset === undefined || cutset === None) {
    if (left) while (a < b && isSpaceAt(s, a)) a++;
    if (right) while (b > a && isSpaceAt(s, b - 1)) b--;
  } else {
    const cs = wantString(cutset, fn);
    if (left) while (a < b && cs.includes(s[a])) a++;
    if (right) while (b > a && cs.includes(s[b - 1])) b--;
  }
  return a === 0 && b === s.length ? s : s.slice(a, b);
}

function findImpl(s: string, args: Value[], kwargs: [string, Value][], fn: string, last: boolean): number {
  if (args.length === 1 && kwargs.length === 0 && typeof args[0] === 'string') {
    return last ? s.lastIndexOf(args[0]) : s.indexOf(args[0]);
  }
  const [sub, start, end] = unpackArgs(fn, args, kwargs, P_SUB);
  const needle = wantString(sub!, `${fn}: sub`);
  const [a, b] = clampRange(s.length, start, end, fn);
  if (b - a < needle.length) return -1;
  const hay = s.slice(a, b);
  const i = last ? hay.lastIndexOf(needle) : hay.indexOf(needle);
  return i < 0 ? -1 : i + a;
}

function affixImpl(s: string, args: Value[], kwargs: [string, Value][], fn: string, end: boolean): boolean {
  const [x, start, stop] = unpackArgs(fn, args, kwargs, P_SUB);
  const [a, b] = clampRange(s.length, start, stop, fn);
  const test = (p: Value): boolean => {
    const t = wantString(p, `${fn}: want string or tuple of strings, got`);
    if (b - a < t.length) return false;
    return end ? s.startsWith(t, b - t.length) : s.startsWith(t, a);
  };
  if (x instanceof Tuple) return x.elems.some(test);
  if (typeof x !== 'string') throw new StarlarkError(`${fn}: got ${typeName(x!)}, want string or tuple of strings`);
  return test(x);
}

function splitWhitespace(s: string, maxsplit: number, fromRight: boolean): string[] {
  const out: string[] = [];
  if (!fromRight) {
    let i = 0;
    const n = s.length;
    while (true) {
      while (i < n && isSpaceAt(s, i)) i++;
      if (i >= n) break;
      if (maxsplit >= 0 && out.length === maxsplit) {
        out.push(s.slice(i));
        break;
      }
      let j = i;
      while (j < n && !isSpaceAt(s, j)) j++;
      out.push(s.slice(i, j));
      i = j;
    }
    return out;
  }
  let j = s.length;
  while (true) {
    while (j > 0 && isSpaceAt(s, j - 1)) j--;
    if (j <= 0) break;
    if (maxsplit >= 0 && out.length === maxsplit) {
      out.push(s.slice(0, j));
      break;
    }
    let i = j;
    while (i > 0 && !isSpaceAt(s, i - 1)) i--;
    out.push(s.slice(i, j));
    j = i;
  }
  return out.reverse();
}

function splitImpl(s: string, args: Value[], kwargs: [string, Value][], fn: string, fromRight: boolean): Value {
  if (args.length === 1 && kwargs.length === 0 && typeof args[0] === 'string' && args[0] !== '') {
    return new StarList(s.split(args[0]));
  }
  const [sep, maxsplitV] = unpackArgs(fn, args, kwargs, P_SPLIT);
  let maxsplit = -1;
  if (maxsplitV !== undefined && maxsplitV !== None) {
    if (typeof maxsplitV !== 'number') throw new StarlarkError(`${fn}: maxsplit: got ${typeName(maxsplitV)}, want int`);
    maxsplit = maxsplitV;
  }
  if (sep === undefined || sep === None) return new StarList(splitWhitespace(s, maxsplit, fromRight));
  const d = wantString(sep, `${fn}: sep`);
  if (d === '') throw new StarlarkError(`${fn}: empty separator`);
  if (maxsplit < 0) return new StarList(s.split(d));
  const out: string[] = [];
  if (!fromRight) {
    let i = 0;
    while (out.length < maxsplit) {
      const k = s.indexOf(d, i);
      if (k < 0) break;
      out.push(s.slice(i, k));
      i = k + d.length;
    }
    out.push(s.slice(i));
    return new StarList(out);
  }
  let j = s.length;
  while (out.length < maxsplit) {
    const k = s.lastIndexOf(d, j - d.length);
    if (k < 0 || j - d.length < 0) break;
    out.push(s.slice(k + d.length, j));
    j = k;
  }
  out.push(s.slice(0, j));
  return new StarList(out.reverse());
}

/** Every occurrence of non-empty `o` in `s` replaced by `n`; `s` itself when there is none. */
/** Refuse a replace whose result would exceed the string limit (counting only when it might). */
function checkReplaceSize(s: string, o: string, n: string, count: number): void {
  const grow = n.length - o.length;
  if (grow <= 0) return;
  const most = Math.min(count, o === '' ? s.length + 1 : Math.floor(s.length / o.length));
  if (s.length + most * grow <= MAX_STRING_LENGTH) return;
  const total = s.length + Math.min(count, countOf(s, o)) * grow;
  if (total > MAX_STRING_LENGTH) throw new StarlarkError(`replace: ${stringTooLarge(total)}`);
}

function replaceEvery(s: string, o: string, n: string): string {
  checkReplaceSize(s, o, n, Infinity);
  let k = s.indexOf(o);
  if (k < 0) return s;
  let out = '';
  let i = 0;
  do {
    out += s.slice(i, k);
    out += n;
    i = k + o.length;
    k = s.indexOf(o, i);
  } while (k >= 0);
  out += s.slice(i);
  return flatString(out);
}

function countOf(s: string, needle: string): number {
  if (needle === '') return s.length + 1;
  let n = 0;
  let i = 0;
  while (true) {
    const k = s.indexOf(needle, i);
    if (k < 0) return n;
    n++;
    i = k + needle.length;
  }
}

function partitionAt(s: string, sep: string, i: number, fromRight: boolean): Tuple {
  if (i < 0) return new Tuple(fromRight ? ['', '', s] : [s, '', '']);
  return new Tuple([s.slice(0, i), sep, s.slice(i + sep.length)]);
}

/** `sep.join(x)` when x is a list or tuple of strings; undefined otherwise. */
function joinStrings(sep: string, x: Value): string | undefined {
  if (!(x instanceof StarList || x instanceof Tuple)) return undefined;
  const es = x.elems;
  let n = sep.length * Math.max(0, es.length - 1);
  for (let i = 0; i < es.length; i++) {
    const e = es[i];
    if (typeof e !== 'string') return undefined;
    n += e.length;
  }
  if (n > MAX_STRING_LENGTH) throw new StarlarkError(`join: ${stringTooLarge(n)}`);
  return es.join(sep);
}

function codepointsOf(s: string): string[] {
  return Array.from(s);
}

type StringIterKind = 'elems' | 'elem_ords' | 'codepoints' | 'codepoint_ords';

/**
 * The iterable views returned by elems/elem_ords/codepoints/codepoint_ords: typed
 * "string.elems" / "string.codepoints" as in starlark-go, iterable but without len or indexing.
 */
export class StringIterable extends HostValue {
  readonly typeName: string;
  constructor(
    readonly s: string,
    readonly kind: StringIterKind,
  ) {
    super();
    this.typeName = kind.startsWith('elem') ? 'string.elems' : 'string.codepoints';
  }
  override iterate(): Value[] {
    const s = this.s;
    switch (this.kind) {
      case 'elems':
        return s.split('');
      case 'elem_ords': {
        const out: Value[] = new Array(s.length);
        for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
        return out;
      }
      case 'codepoints':
        return codepointsOf(s);
      case 'codepoint_ords':
        return codepointsOf(s).map((c) => c.codePointAt(0)!);
    }
  }
  override hashable(): boolean {
    return false;
  }
  override repr(): string {
    return `${quote(this.s)}.${this.kind}()`;
  }
}

// Title-case forms of the Latin digraph letters (the only letters whose title case differs from
// upper case in common use); JS has no toTitleCase.
const TITLE_CASE: Record<string, string> = {
  '\u01c4': '\u01c5', '\u01c5': '\u01c5', '\u01c6': '\u01c5',
  '\u01c7': '\u01c8', '\u01c8': '\u01c8', '\u01c9': '\u01c8',
  '\u01ca': '\u01cb', '\u01cb': '\u01cb', '\u01cc': '\u01cb',
  '\u01f1': '\u01f2', '\u01f2': '\u01f2', '\u01f3': '\u01f2',
};
function toTitle(c: string): string {
  return TITLE_CASE[c] ?? c.toUpperCase();
}
function isTitleCase(c: string): boolean {
  return /\p{Lt}/u.test(c);
}

/** s.toLowerCase(), but s itself when nothing changes (ASCII without capitals): no copy. */
function lowerOf(s: string): string {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c >= 0x41 && c <= 0x5a) || c >= 0x80) return s.toLowerCase();
  }
  return s;
}

/** s.toUpperCase(), but s itself when nothing changes (ASCII without small letters). */
function upperOf(s: string): string {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c >= 0x61 && c <= 0x7a) || c >= 0x80) return s.toUpperCase();
  }
  return s;
}

function capitalizeOf(s: string): string {
  if (s.length === 0) return s;
  const c = s.charCodeAt(0);
  if (c < 0x80) {
    const rest = s.slice(1);
    const low = lowerOf(rest);
    if (c >= 0x61 && c <= 0x7a) return flatString(String.fromCharCode(c - 0x20) + low);
    return low === rest ? s : flatString(s[0] + low);
  }
  const first = s.codePointAt(0)!;
  const n = first > 0xffff ? 2 : 1;
  return flatString(toTitle(s.slice(0, n)) + s.slice(n).toLowerCase());
}

export const stringMethods: MethodTable = methodTableOf({
  capitalize(_ctx, s: string, args, kwargs) {
    noArgs('capitalize', args, kwargs);
    return capitalizeOf(s);
  },
  codepoint_ords(_ctx, s: string, args, kwargs) {
    noArgs('codepoint_ords', args, kwargs);
    return new StringIterable(s, 'codepoint_ords');
  },
  codepoints(_ctx, s: string, args, kwargs) {
    noArgs('codepoints', args, kwargs);
    return new StringIterable(s, 'codepoints');
  },
  count(_ctx, s: string, args, kwargs) {
    const [sub, start, end] = unpackArgs('count', args, kwargs, P_SUB);
    const needle = wantString(sub!, 'count: sub');
    const [a, b] = start === undefined && end === undefined ? [0, s.length] : clampRange(s.length, start, end, 'count');
    return countOf(a === 0 && b === s.length ? s : s.slice(a, b), needle);
  },
  elem_ords(_ctx, s: string, args, kwargs) {
    noArgs('elem_ords', args, kwargs);
    return new StringIterable(s, 'elem_ords');
  },
  elems(_ctx, s: string, args, kwargs) {
    noArgs('elems', args, kwargs);
    return new StringIterable(s, 'elems');
  },
  endswith(_ctx, s: string, args, kwargs) {
    if (args.length === 1 && kwargs.length === 0 && typeof args[0] === 'string') return s.endsWith(args[0]);
    return affixImpl(s, args, kwargs, 'endswith', true);
  },
  find(_ctx, s: string, args, kwargs) {
    return findImpl(s, args, kwargs, 'find', false);
  },
  format(_ctx, s: string, args, kwargs) {
    return strFormat(s, args, kwargs);
  },
  index(_ctx, s: string, args, kwargs) {
    const i = findImpl(s, args, kwargs, 'index', false);
    if (i < 0) throw new StarlarkError('index: substring not found');
    return i;
  },
  isalnum(_ctx, s: string, args, kwargs) {
    noArgs('isalnum', args, kwargs);
    const cps = codepointsOf(s);
    return cps.length > 0 && cps.every((c) => isLetter(c) || isDigitChar(c));
  },
  isalpha(_ctx, s: string, args, kwargs) {
    noArgs('isalpha', args, kwargs);
    const cps = codepointsOf(s);
    return cps.length > 0 && cps.every(isLetter);
  },
  isdigit(_ctx, s: string, args, kwargs) {
    noArgs('isdigit', args, kwargs);
    const cps = codepointsOf(s);
    return cps.length > 0 && cps.every(isDigitChar);
  },
  islower(_ctx, s: string, args, kwargs) {
    noArgs('islower', args, kwargs);
    const cps = codepointsOf(s);
    return cps.some(isLowerCase) && !cps.some(isUpperCase);
  },
  isspace(_ctx, s: string, args, kwargs) {
    noArgs('isspace', args, kwargs);
    return s.length > 0 && codepointsOf(s).every(isSpace);
  },
  istitle(_ctx, s: string, args, kwargs) {
    noArgs('istitle', args, kwargs);
    // Upper-case letters may only follow uncased characters, lower-case only cased ones. As in
    // starlark-go, only ASCII capitals and title-case letters (e.g. "ǅ") count as capitals; any
    // other upper-case letter makes the string not a title.
    let prevCased = false;
    let sawCased = false;
    for (const c of codepointsOf(s)) {
      if ((c >= 'A' && c <= 'Z') || isTitleCase(c)) {
        if (prevCased) return false;
        prevCased = true;
        sawCased = true;
      } else if (isLowerCase(c)) {
        if (!prevCased) return false;
        prevCased = true;
        sawCased = true;
      } else if (isUpperCase(c)) {
        return false;
      } else {
        prevCased = false;
      }
    }
    return sawCased;
  },
  isupper(_ctx, s: string, args, kwargs) {
    noArgs('isupper', args, kwargs);
    const cps = codepointsOf(s);
    return cps.some(isUpperCase) && !cps.some(isLowerCase);
  },
  join(_ctx, s: string, args, kwargs) {
    const [x] = unpackArgs('join', args, kwargs, P_X);
    const es = iterate(x!, 'join');
    let n = s.length * Math.max(0, es.length - 1);
    for (let i = 0; i < es.length; i++) {
      const e = es[i];
      if (typeof e !== 'string') throw new StarlarkError(`join: in list, want string, got ${typeName(e)}`);
      n += e.length;
    }
    if (n > MAX_STRING_LENGTH) throw new StarlarkError(stringTooLarge(n));
    return es.join(s);
  },
  lower(_ctx, s: string, args, kwargs) {
    noArgs('lower', args, kwargs);
    return lowerOf(s);
  },
  lstrip(_ctx, s: string, args, kwargs) {
    if (args.length === 0 && kwargs.length === 0) return stripChars(s, undefined, true, false, 'lstrip');
    const [c] = unpackArgs('lstrip', args, kwargs, P_CHARS);
    return stripChars(s, c, true, false, 'lstrip');
  },
  partition(_ctx, s: string, args, kwargs) {
    const [sepV] = unpackArgs('partition', args, kwargs, P_SEP);
    const sep = wantString(sepV!, 'partition: sep');
    if (sep === '') throw new StarlarkError('partition: empty separator');
    return partitionAt(s, sep, s.indexOf(sep), false);
  },
  removeprefix(_ctx, s: string, args, kwargs) {
    const [p] = unpackArgs('removeprefix', args, kwargs, P_AFFIX);
    const x = wantString(p!, 'removeprefix: prefix');
    return s.startsWith(x) ? s.slice(x.length) : s;
  },
  removesuffix(_ctx, s: string, args, kwargs) {
    const [p] = unpackArgs('removesuffix', args, kwargs, P_SUFFIX);
    const x = wantString(p!, 'removesuffix: suffix');
    return x !== '' && s.endsWith(x) ? s.slice(0, s.length - x.length) : s;
  },
  replace(_ctx, s: string, args, kwargs) {
    if (args.length === 2 && kwargs.length === 0) {
      const [o, n] = args;
      if (typeof o === 'string' && typeof n === 'string' && o !== '') return replaceEvery(s, o, n);
    }
    const [oldV, newV, countV] = unpackArgs('replace', args, kwargs, P_REPLACE);
    const o = wantString(oldV!, 'replace: old');
    const n = wantString(newV!, 'replace: new');
    let count = -1;
    if (countV !== undefined && countV !== None) {
      if (typeof countV !== 'number') throw new StarlarkError(`replace: count: got ${typeName(countV)}, want int`);
      count = countV;
    }
    if (count < 0 && o !== '') return replaceEvery(s, o, n);
    if (count < 0) count = Infinity;
    checkReplaceSize(s, o, n, count);
    let out = '';
    let i = 0;
    let done = 0;
    if (o === '') {
      // Insert before each element (and at the end), up to count times.
      const cps = s.split('');
      for (let k = 0; k <= cps.length; k++) {
        if (done < count) {
          out += n;
          done++;
        }
        if (k < cps.length) out += cps[k];
      }
      return out;
    }
    while (done < count) {
      const k = s.indexOf(o, i);
      if (k < 0) break;
      out += s.slice(i, k) + n;
      i = k + o.length;
      done++;
    }
    return out + s.slice(i);
  },
  rfind(_ctx, s: string, args, kwargs) {
    return findImpl(s, args, kwargs, 'rfind', true);
  },
  rindex(_ctx, s: string, args, kwargs) {
    const i = findImpl(s, args, kwargs, 'rindex', true);
    if (i < 0) throw new StarlarkError('rindex: substring not found');
    return i;
  },
  rpartition(_ctx, s: string, args, kwargs) {
    const [sepV] = unpackArgs('rpartition', args, kwargs, P_SEP);
    const sep = wantString(sepV!, 'rpartition: sep');
    if (sep === '') throw new StarlarkError('rpartition: empty separator');
    return partitionAt(s, sep, s.lastIndexOf(sep), true);
  },
  rsplit(_ctx, s: string, args, kwargs) {
    return splitImpl(s, args, kwargs, 'rsplit', true);
  },
  rstrip(_ctx, s: string, args, kwargs) {
    if (args.length === 0 && kwargs.length === 0) return stripChars(s, undefined, false, true, 'rstrip');
    const [c] = unpackArgs('rstrip', args, kwargs, P_CHARS);
    return stripChars(s, c, false, true, 'rstrip');
  },
  split(_ctx, s: string, args, kwargs) {
    return splitImpl(s, args, kwargs, 'split', false);
  },
  splitlines(_ctx, s: string, args, kwargs) {
    // As starlark-go: only "\n" terminates a line.
    const [k] = unpackArgs('splitlines', args, kwargs, P_KEEPENDS);
    const keep = k !== undefined && boolArg(k, 'keepends');
    if (s === '') return new StarList([]);
    const lines = s.split('\n');
    if (keep) for (let i = 0; i < lines.length - 1; i++) lines[i] += '\n';
    if (s.endsWith('\n')) lines.pop();
    return new StarList(lines);
  },
  startswith(_ctx, s: string, args, kwargs) {
    if (args.length === 1 && kwargs.length === 0 && typeof args[0] === 'string') return s.startsWith(args[0]);
    return affixImpl(s, args, kwargs, 'startswith', false);
  },
  strip(_ctx, s: string, args, kwargs) {
    if (args.length === 0 && kwargs.length === 0) return stripChars(s, undefined, true, true, 'strip');
    const [c] = unpackArgs('strip', args, kwargs, P_CHARS);
    return stripChars(s, c, true, true, 'strip');
  },
  title(_ctx, s: string, args, kwargs) {
    noArgs('title', args, kwargs);
    let out = '';
    let prevCased = false;
    for (const c of codepointsOf(s)) {
      if (isLetter(c)) {
        out += prevCased ? c.toLowerCase() : toTitle(c);
        prevCased = true;
      } else {
        out += c;
        prevCased = false;
      }
    }
    return out;
  },
  upper(_ctx, s: string, args, kwargs) {
    noArgs('upper', args, kwargs);
    return upperOf(s);
  },
});


// ----- fast forms for the compiler -----------------------------------------------------------

/**
 * Forms of common string methods for call sites with 0, 1 or 2 plain positional arguments,
 * chosen by the compiler per call site: no argument array, no binding. Each returns undefined
 * when its arguments need the general method above (which then reports any error), so they
 * raise no Starlark errors of their own (the call site attaches no position for them); results
 * are the general method's.
 */
export type StringFast0 = (s: string) => Value | undefined;
export type StringFast1 = (s: string, a: Value) => Value | undefined;
export type StringFast2 = (s: string, a: Value, b: Value) => Value | undefined;

function fastTable<F>(fs: Record<string, F>): Record<string, F> {
  return Object.assign(Object.create(null) as Record<string, F>, fs);
}

export const stringFast0 = fastTable<StringFast0>({
  capitalize: capitalizeOf,
  lower: lowerOf,
  lstrip: (s) => stripChars(s, undefined, true, false, 'lstrip'),
  rstrip: (s) => stripChars(s, undefined, false, true, 'rstrip'),
  split: (s) => new StarList(splitWhitespace(s, -1, false)),
  strip: (s) => stripChars(s, undefined, true, true, 'strip'),
  upper: upperOf,
});

export const stringFast1 = fastTable<StringFast1>({
  count: (s, a) => (typeof a === 'string' ? countOf(s, a) : undefined),
  endswith: (s, a) => (typeof a === 'string' ? s.endsWith(a) : undefined),
  find: (s, a) => (typeof a === 'string' ? s.indexOf(a) : undefined),
  join: (s, a) => joinStrings(s, a),
  partition: (s, a) => (typeof a === 'string' && a !== '' ? partitionAt(s, a, s.indexOf(a), false) : undefined),
  removeprefix: (s, a) => (typeof a === 'string' ? (s.startsWith(a) ? s.slice(a.length) : s) : undefined),
  removesuffix: (s, a) => (typeof a === 'string' ? (a !== '' && s.endsWith(a) ? s.slice(0, s.length - a.length) : s) : undefined),
  rfind: (s, a) => (typeof a === 'string' ? s.lastIndexOf(a) : undefined),
  rpartition: (s, a) => (typeof a === 'string' && a !== '' ? partitionAt(s, a, s.lastIndexOf(a), true) : undefined),
  rsplit: (s, a) => (typeof a === 'string' && a !== '' ? new StarList(s.split(a)) : undefined),
  split: (s, a) => (typeof a === 'string' && a !== '' ? new StarList(s.split(a)) : undefined),
  startswith: (s, a) => (typeof a === 'string' ? s.startsWith(a) : undefined),
});

export const stringFast2 = fastTable<StringFast2>({
  replace: (s, a, b) => (typeof a === 'string' && typeof b === 'string' && a !== '' ? replaceEvery(s, a, b) : undefined),
});
