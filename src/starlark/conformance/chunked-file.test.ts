import { describe, expect, it } from 'vitest';
import { parseChunkedText, unquoteGo } from './chunked-file.js';
import { goRegExp } from './go-regexp.js';

describe('parseChunkedText', () => {
  it('splits on --- lines and pads each chunk so line numbers match the file', () => {
    const chunks = parseChunkedText('t.star', 'a = 1\n---\nb = 2\nc = 3\n---\nd = 4\n');
    expect(chunks.map((c) => c.startLine)).toEqual([1, 3, 6]);
    expect(chunks[1].source).toBe('\n\nb = 2\nc = 3');
    expect(chunks[1].source.split('\n')[3]).toBe('c = 3');
    expect(chunks[2].index).toBe(2);
  });

  it('reads quoted, raw and bare ### expectations on their own lines', () => {
    const text = [
      'x = 1 // 0 ### "division by zero"',
      '---',
      'y = z ### `undefined: z`',
      'w = 1 ### bare (pattern)+',
    ].join('\n');
    const [first, second] = parseChunkedText('t.star', text);
    expect([...first.expectations.keys()]).toEqual([1]);
    expect(first.expectations.get(1)!.pattern.test('floored division by zero')).toBe(true);
    expect(second.expectations.get(3)!.source).toBe('undefined: z');
    expect(second.expectations.get(4)!.pattern.test('a bare patternn')).toBe(true);
  });

  it('keeps a separator-like line that is not exactly --- inside the chunk', () => {
    const chunks = parseChunkedText('t.star', 'a = "---"\n ---\nb = 1');
    expect(chunks).toHaveLength(1);
  });

  it('records malformed annotations instead of ignoring them', () => {
    const [c] = parseChunkedText('t.star', 'x = 1 ### "unterminated');
    expect(c.expectations.size).toBe(0);
    expect(c.annotationErrors[0].line).toBe(1);
  });
});

describe('unquoteGo', () => {
  it('decodes Go escapes', () => {
    expect(unquoteGo('"a\\"b\\\\c\\n\\x41\\u00e9\\101"')).toBe('a"b\\c\nAéA');
    expect(unquoteGo('`raw \\n`')).toBe('raw \\n');
  });
  it('rejects malformed literals', () => {
    expect(() => unquoteGo('"a"b"')).toThrow();
    expect(() => unquoteGo('"\\q"')).toThrow();
    expect(() => unquoteGo('abc')).toThrow();
  });
});

describe('goRegExp', () => {
  it('translates leading flags, \\A, \\z and POSIX classes', () => {
    expect(goRegExp('(?i)HELLO').test('say hello')).toBe(true);
    expect(goRegExp('\\Aab\\z').test('ab')).toBe(true);
    expect(goRegExp('\\Aab\\z').test('xab')).toBe(false);
    expect(goRegExp('^[[:digit:]]+$').test('123')).toBe(true);
    expect(goRegExp('a\\\\A').test('a\\A')).toBe(true);
  });
});
