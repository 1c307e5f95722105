// The compiler specialises some operations: literal `%` and str.format formats are parsed once,
// and common string methods have allocation-free forms per call site. Each case must give the
// same result or error as the general path (a format seen only at run time, a method called
// through getattr).
import { describe, expect, it } from 'vitest';
import { StarlarkError } from './errors.js';
import { runStar } from './starlark-assert.test-support.js';

/**
 * Printed output, or the error message with the text its position points at (so the two forms
 * of a program, whose columns differ, can be compared).
 */
function outcome(src: string): string {
  try {
    return runStar(src).out.join('\n');
  } catch (e) {
    if (!(e instanceof StarlarkError)) throw e;
    const at = e.pos && e.sourceLine !== undefined ? e.sourceLine.slice(e.pos.col - 1) : '?';
    return `error: ${e.message} @line ${e.pos?.line}: ${at}`;
  }
}

/** Run `expr` with `FMT` replaced by the literal, then by a variable holding it; both must agree. */
function sameBothWays(fmt: string, expr: string): string {
  const lit = JSON.stringify(fmt);
  const viaLiteral = outcome(`f = None\nprint(${expr.replace('FMT', lit)})\n`);
  const viaVariable = outcome(`f = ${lit}\nprint(${expr.replace('FMT', 'f')})\n`);
  expect(viaLiteral).toBe(viaVariable);
  return viaLiteral;
}

describe('literal % formats', () => {
  const cases: [string, string][] = [
    ['%d:%s-%s', 'FMT % (1, "a", "b")'],
    ['%d %o %x %X %c %i', 'FMT % (65, 65, 255, 255, 65, 3)'],
    ['%s', 'FMT % "x"'],
    ['%s', 'FMT % ((1, 2),)'],
    ['%r|%r', 'FMT % ("a", [1])'],
    ['rate %g%%', 'FMT % 3.5'],
    ['100%%', 'FMT % ()'],
    ['plain', 'FMT % {"k": 1}'],
    ['plain', 'FMT % 1'],
    ['%s', 'FMT % {"k": 1}'],
    ['%d %d', 'FMT % (1,)'],
    ['%d', 'FMT % (1, 2)'],
    ['%d', 'FMT % "x"'],
    ['%s %d', 'FMT % ("a", 1.5)'],
    ['%e %f', 'FMT % (1.5, 2)'],
    ['%(a)s', 'FMT % {"a": 1}'],
    ['%z', 'FMT % 1'],
    ['%', 'FMT % 1'],
    ['%s %', 'FMT % ("a",)'],
    ['%5d', 'FMT % 1'],
  ];
  for (const [fmt, expr] of cases) {
    it(`${fmt} with ${expr.slice(6)}`, () => {
      sameBothWays(fmt, expr);
    });
  }

  it('gives the expected text and error positions', () => {
    expect(sameBothWays('%d:%s', 'FMT % (7, "x")')).toBe('7:x');
    expect(sameBothWays('%d %d', 'FMT % (1,)')).toBe('error: not enough arguments for format string @line 2: % (1,))');
    expect(sameBothWays('%d', 'FMT % (1, 2)')).toMatch(/too many arguments for format string/);
  });
});

describe('literal str.format formats', () => {
  const cases: [string, string][] = [
    ['{}={}', 'FMT.format("a", 1)'],
    ['{0}{1}{0}', 'FMT.format("a", "b")'],
    ['{x}-{y!r}', 'FMT.format(x = 1, y = "q")'],
    ['{{}} {} {{x}}', 'FMT.format(3)'],
    ['{!r} {:}', 'FMT.format("s", None)'],
    ['{} {}', 'FMT.format(*["a", "b"])'],
    ['{a}', 'FMT.format(**{"a": [1, 2]})'],
    ['{}', 'FMT.format()'],
    ['{2}', 'FMT.format(1)'],
    ['{nope}', 'FMT.format(1)'],
    ['{} {0}', 'FMT.format(1)'],
    ['{0} {}', 'FMT.format(1)'],
    ['} x', 'FMT.format()'],
    ['{} {', 'FMT.format()'],
    ['{} {', 'FMT.format(1)'],
    ['{:>3}', 'FMT.format(1)'],
    ['{!x}', 'FMT.format(1)'],
    ['{!}', 'FMT.format(1)'],
    ['{a.b}', 'FMT.format(1)'],
    ['{a{b}', 'FMT.format(1)'],
  ];
  for (const [fmt, expr] of cases) {
    it(`${fmt} with ${expr.slice(10)}`, () => {
      sameBothWays(fmt, expr);
    });
  }

  it('gives the expected text and errors', () => {
    expect(sameBothWays('{}={}', 'FMT.format("k", 2)')).toBe('k=2');
    expect(sameBothWays('{} {', 'FMT.format()')).toBe('error: format: index 0 out of range @line 2: ())');
    expect(sameBothWays('{} {', 'FMT.format(1)')).toBe('error: format: unmatched { in format @line 2: (1))');
  });
});
