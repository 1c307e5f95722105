// Text forms of values: str(), repr(), and the float formatting the spec prescribes.

import {
  Builtin, HostValue, None, RangeValue, StarDict, StarFloat, StarFunction, StarList, StarSet, Tuple,
  type Value,
} from './values.js';

export function str(v: Value): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  if (v instanceof HostValue) {
    const s = v.str();
    if (s !== undefined) return s;
  }
  return repr(v);
}

export function repr(v: Value): string {
  switch (typeof v) {
    case 'number':
    case 'bigint':
      return String(v);
    case 'string':
      return quote(v);
    case 'boolean':
      return v ? 'True' : 'False';
  }
  const out: string[] = [];
  writeValue(out, v, []);
  return out.join('');
}

/** Append repr(v) to out; `path` holds containers being printed, to cut cycles as "...". */
export function writeValue(out: string[], v: Value, path: object[]): void {
  switch (typeof v) {
    case 'string':
      out.push(quote(v));
      return;
    case 'number':
    case 'bigint':
      out.push(String(v));
      return;
    case 'boolean':
      out.push(v ? 'True' : 'False');
      return;
  }
  if (v === None) {
    out.push('None');
    return;
  }
  if (v instanceof StarFloat) {
    out.push(formatFloat(v.v));
    return;
  }
  if (v instanceof StarList || v instanceof Tuple) {
    const isList = v instanceof StarList;
    if (path.includes(v)) {
      out.push(isList ? '[...]' : '(...)');
      return;
    }
    path.push(v);
    out.push(isList ? '[' : '(');
    const es = v.elems;
    for (let i = 0; i < es.length; i++) {
      if (i > 0) out.push(', ');
      writeValue(out, es[i], path);
    }
    if (!isList && es.length === 1) out.push(',');
    out.push(isList ? ']' : ')');
    path.pop();
    return;
  }
  if (v instanceof StarDict) {
    if (path.includes(v)) {
      out.push('{...}');
      return;
    }
    path.push(v);
    out.push('{');
    let first = true;
    for (const [id, val] of v.m) {
      if (!first) out.push(', ');
      first = false;
      writeValue(out, v.keyOf(id), path);
      out.push(': ');
      writeValue(out, val, path);
    }
    out.push('}');
    path.pop();
    return;
  }
  if (v instanceof StarSet) {
    if (path.includes(v)) {
      out.push('set(...)');
      return;
    }
    path.push(v);
    out.push('set([');
    let first = true;
    for (const k of v.keys()) {
      if (!first) out.push(', ');
      first = false;
      writeValue(out, k, path);
    }
    out.push('])');
    path.pop();
    return;
  }
  if (v instanceof StarFunction) {
    out.push(`<function ${v.name}>`);
    return;
  }
  if (v instanceof Builtin) {
    out.push(v.recv !== undefined ? `<built-in method ${v.name} of ${typeNameOf(v.recv)} value>` : `<built-in function ${v.name}>`);
    return;
  }
  if (v instanceof RangeValue) {
    out.push(v.step === 1 ? (v.start === 0 ? `range(${v.stop})` : `range(${v.start}, ${v.stop})`) : `range(${v.start}, ${v.stop}, ${v.step})`);
    return;
  }
  if (v instanceof HostValue) {
    if (path.includes(v)) {
      out.push('...');
      return;
    }
    path.push(v);
    try {
      const r = v.repr();
      out.push(r ?? `<${v.typeName}>`);
    } finally {
      path.pop();
    }
    return;
  }
  out.push(String(v));
}

/** str() of a host value: its str() override, else repr. */
export function strHost(v: HostValue): string {
  return v.str() ?? repr(v);
}

function typeNameOf(v: Value): string {
  if (typeof v === 'string') return 'string';
  if (v instanceof StarList) return 'list';
  if (v instanceof StarDict) return 'dict';
  if (v instanceof StarSet) return 'set';
  if (v instanceof HostValue) return v.typeName;
  return typeof v;
}

const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u;

/** Double-quoted string literal with Go-style escapes, as the spec's repr shows. */
export function quote(s: string): string {
  let simple = true;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x22 || c === 0x5c || c >= 0x7f) {
      simple = false;
      break;
    }
  }
  if (simple) return '"' + s + '"';
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    switch (c) {
      case 0x22: out += '\\"'; continue;
      case 0x5c: out += '\\\\'; continue;
      case 0x07: out += '\\a'; continue;
      case 0x08: out += '\\b'; continue;
      case 0x0c: out += '\\f'; continue;
      case 0x0a: out += '\\n'; continue;
      case 0x0d: out += '\\r'; continue;
      case 0x09: out += '\\t'; continue;
      case 0x0b: out += '\\v'; continue;
    }
    if (c < 0x20 || c === 0x7f) {
      out += '\\x' + c.toString(16).padStart(2, '0');
    } else if (c < 0x80) {
      out += s[i];
    } else if (c >= 0xd800 && c < 0xdc00 && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      const pair = s[i] + s[i + 1];
      out += PRINTABLE.test(pair) ? pair : '\\U' + pair.codePointAt(0)!.toString(16).padStart(8, '0');
      i++;
    } else if (c >= 0xd800 && c < 0xe000) {
      out += '\\u' + c.toString(16).padStart(4, '0');
    } else {
      // Like Go's strconv.Quote: keep printable characters, escape the rest (controls, format
      // characters, line/paragraph separators, non-ASCII spaces).
      out += PRINTABLE.test(s[i]) ? s[i] : '\\u' + c.toString(16).padStart(4, '0');
    }
  }
  return out + '"';
}

/**
 * The spec's float text (as starlark-go): shortest round-trip digits in %g style, always with a
 * '.' or 'e' so it reads as a float: 1.0, 123456.0, 1e+06, 1.5e-05, +inf, nan.
 */
export function formatFloat(f: number): string {
  if (!Number.isFinite(f)) return Number.isNaN(f) ? 'nan' : f > 0 ? '+inf' : '-inf';
  const s = formatFloatG(f);
  return /[.e]/.test(s) ? s : s + '.0';
}

/** %g with shortest digits: exponent form iff the decimal exponent is < -4 or >= 6. */
export function formatFloatG(f: number): string {
  if (f === 0) return Object.is(f, -0) ? '-0' : '0';
  const neg = f < 0;
  const [mant, expStr] = Math.abs(f).toExponential().split('e');
  const exp = Number(expStr);
  const digits = mant.replace('.', '');
  let body: string;
  if (exp < -4 || exp >= 6) {
    const m = digits.length > 1 ? digits[0] + '.' + digits.slice(1) : digits;
    const ae = Math.abs(exp);
    body = m + 'e' + (exp < 0 ? '-' : '+') + (ae < 10 ? '0' + ae : String(ae));
  } else if (exp < 0) {
    body = '0.' + '0'.repeat(-exp - 1) + digits;
  } else if (digits.length <= exp + 1) {
    body = digits + '0'.repeat(exp + 1 - digits.length);
  } else {
    body = digits.slice(0, exp + 1) + '.' + digits.slice(exp + 1);
  }
  return neg ? '-' + body : body;
}
