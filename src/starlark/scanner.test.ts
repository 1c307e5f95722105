import { describe, expect, it } from 'vitest';
import { scan } from './scanner.js';
import { StarlarkError } from './errors.js';

function kinds(src: string): string[] {
  return scan('t.star', src).map((t) => t.kind);
}
function values(src: string): unknown[] {
  return scan('t.star', src)
    .filter((t) => t.value !== undefined)
    .map((t) => t.value);
}
function scanError(src: string): StarlarkError {
  try {
    scan('t.star', src);
  } catch (e) {
    return e as StarlarkError;
  }
  throw new Error('expected a scan error');
}

describe('scanner', () => {
  it('emits INDENT/OUTDENT and NEWLINE tokens', () => {
    expect(kinds('if x:\n  y\nz\n')).toEqual([
      'if', 'IDENT', ':', 'NEWLINE', 'INDENT', 'IDENT', 'NEWLINE', 'OUTDENT', 'IDENT', 'NEWLINE', 'EOF',
    ]);
  });

  it('closes open indentation at EOF without a trailing newline', () => {
    expect(kinds('def f():\n  if x:\n    y')).toEqual([
      'def', 'IDENT', '(', ')', ':', 'NEWLINE', 'INDENT', 'if', 'IDENT', ':', 'NEWLINE', 'INDENT', 'IDENT',
      'NEWLINE', 'OUTDENT', 'OUTDENT', 'EOF',
    ]);
  });

  it('ignores blank and comment-only lines for indentation', () => {
    expect(kinds('if x:\n\n   # c\n  y # trailing\n')).toEqual([
      'if', 'IDENT', ':', 'NEWLINE', 'INDENT', 'IDENT', 'NEWLINE', 'OUTDENT', 'EOF',
    ]);
  });

  it('treats a tab as advancing to the next multiple of 8 columns', () => {
    // a tab and 8 spaces are the same indentation level
    expect(kinds('if x:\n\ty\n        z\n')).toEqual([
      'if', 'IDENT', ':', 'NEWLINE', 'INDENT', 'IDENT', 'NEWLINE', 'IDENT', 'NEWLINE', 'OUTDENT', 'EOF',
    ]);
  });

  it('reports inconsistent unindentation', () => {
    const e = scanError('if x:\n    y\n  z\n');
    expect(e.message).toBe('unindent does not match any outer indentation level');
    expect(e.pos).toEqual({ file: 't.star', line: 3, col: 3 });
  });

  it('joins lines inside brackets and after a backslash', () => {
    expect(kinds('x = [1,\n  2]\n')).toEqual(['IDENT', '=', '[', 'INT', ',', 'INT', ']', 'NEWLINE', 'EOF']);
    expect(kinds('x = 1 + \\\n  2\n')).toEqual(['IDENT', '=', 'INT', '+', 'INT', 'NEWLINE', 'EOF']);
  });

  it('scans ints in all bases and of arbitrary size', () => {
    expect(values('0 123 0x7f 0o755 0b1011 0XFF')).toEqual([0, 123, 127, 493, 11, 255]);
    expect(values('123456789012345678901234567890')).toEqual([123456789012345678901234567890n]);
    expect(values('9007199254740991 9007199254740992')).toEqual([9007199254740991, 9007199254740992n]);
  });

  it('scans floats in every literal form', () => {
    const toks = scan('t', '0.0 0. .0 1e10 1e+10 1e-10 1.1e10 .5 1.');
    expect(toks.filter((t) => t.kind === 'FLOAT').map((t) => t.value)).toEqual([0, 0, 0, 1e10, 1e10, 1e-10, 1.1e10, 0.5, 1]);
  });

  it('rejects legacy octal and malformed numbers', () => {
    expect(scanError('x = 0755').message).toContain('obsolete form of octal literal');
    expect(scanError('x = 0x').message).toContain('hexadecimal literal has no digits');
    expect(scanError('x = 0b102').message).toContain("invalid digit '2' in binary literal");
    expect(scanError('x = 1e').message).toContain('exponent has no digits');
  });

  it('decodes all string escapes', () => {
    expect(values(String.raw`"\a\b\f\n\r\t\v\\\'\""`)).toEqual(['\x07\b\f\n\r\t\v\\\'"']);
    expect(values(String.raw`"\x41\101\0\12\119"`)).toEqual(['AA\0\n\t9']);
    expect(values(String.raw`"\u1234\U0001F600"`)).toEqual(['\u1234\u{1F600}']);
    expect(values('"abc\\\ndef"')).toEqual(['abcdef']);
  });

  it('rejects unknown and out-of-range escapes', () => {
    expect(scanError(String.raw`"\q"`).message).toBe('invalid escape sequence \\q');
    expect(scanError(String.raw`"\400"`).message).toContain('non-byte octal escape');
    expect(scanError(String.raw`"\xZZ"`).message).toContain('invalid escape sequence \\xZZ');
    expect(scanError(String.raw`"\U00110000"`).message).toContain('code point out of range');
  });

  it('handles single, double, triple-quoted and raw strings', () => {
    expect(values(`'a"b' "c'd"`)).toEqual(['a"b', "c'd"]);
    expect(values(`'''x\n'y''\n'''`)).toEqual(["x\n'y''\n"]);
    expect(values(`"""a""b"""`)).toEqual(['a""b']);
    expect(values(String.raw`r"a\nb" r'\'' R"\\"`)).toEqual(['a\\nb', "\\'", '\\\\']);
    expect(scan('t', 'b"x"')[0].kind).toBe('BYTES');
  });

  it('rejects unterminated strings', () => {
    expect(scanError('"abc').message).toContain('unexpected EOF in string');
    expect(scanError('"abc\n"').message).toContain('unexpected newline in string');
  });

  it('recognises keywords, reserved words and the longest punctuation', () => {
    expect(kinds('a //= b << c ** d != e')).toEqual(['IDENT', '//=', 'IDENT', '<<', 'IDENT', '**', 'IDENT', '!=', 'IDENT', 'NEWLINE', 'EOF']);
    expect(kinds('lambda while load')).toEqual(['lambda', 'while', 'load', 'NEWLINE', 'EOF']);
    expect(scanError('class X').message).toContain("'class' is a reserved keyword");
    expect(scanError('a is b').message).toContain("'is' is not supported in Starlark; use == ");
  });

  it('records 1-based line and column positions', () => {
    const toks = scan('f.star', 'x = 1\n  \ny  =  "s"\n');
    const y = toks.find((t) => t.value === 'y')!;
    const s = toks.find((t) => t.value === 's')!;
    expect(y.pos).toEqual({ file: 'f.star', line: 3, col: 1 });
    expect(s.pos).toEqual({ file: 'f.star', line: 3, col: 7 });
  });

  it('skips a leading byte-order mark and handles CRLF line endings', () => {
    expect(kinds('\ufeffx = 1\r\nif x:\r\n  y\r\n')).toEqual([
      'IDENT', '=', 'INT', 'NEWLINE', 'if', 'IDENT', ':', 'NEWLINE', 'INDENT', 'IDENT', 'NEWLINE', 'OUTDENT', 'EOF',
    ]);
    expect(scan('t', '\ufeffx')[0].pos).toEqual({ file: 't', line: 1, col: 1 });
  });

  it('accepts unicode identifiers and rejects stray characters', () => {
    expect(values('héllo = 1')).toEqual(['héllo', 1]);
    expect(scanError('x = 1 $').message).toContain('unexpected input character "$"');
  });
});
