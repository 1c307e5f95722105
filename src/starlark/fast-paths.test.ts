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

/** `recv.name(args)` through the call site, then through getattr; both must agree. */
function sameAsGeneral(recv: string, name: string, args: string): string {
  const direct = outcome(`r = ${recv}\nprint(repr(r.${name}(${args})))\n`);
  const general = outcome(`r = ${recv}\nprint(repr(getattr(r, "${name}")(${args})))\n`);
  expect(direct.replace(/@line.*/, '')).toBe(general.replace(/@line.*/, ''));
  return direct;
}

describe('string method fast forms', () => {
  const cases: [string, string, string][] = [
    ['"  a b\\t "', 'strip', ''],
    ['"  a b\\t "', 'lstrip', ''],
    ['"  a b\\t "', 'rstrip', ''],
    ['"xxaxx"', 'strip', '"x"'],
    ['"\\u00a0a\\u2003"', 'strip', ''],
    ['"abc"', 'strip', ''],
    ['"hELLO wORLD"', 'capitalize', ''],
    ['""', 'capitalize', ''],
    ['"Hello"', 'capitalize', ''],
    ['"1aBC"', 'capitalize', ''],
    ['"hello world and more"', 'capitalize', ''],
    ['"\\u00e0BC"', 'capitalize', ''],
    ['"ǆenan"', 'capitalize', ''],
    ['"lower already"', 'lower', ''],
    ['"UPPER ALREADY"', 'upper', ''],
    ['"\\u00c0\\u00c9x"', 'lower', ''],
    ['"\\u00e0\\u00e9X"', 'upper', ''],
    ['"MiXeD"', 'lower', ''],
    ['"MiXeD"', 'upper', ''],
    ['" a  b\\nc "', 'split', ''],
    ['"a,b,,c"', 'split', '","'],
    ['"a,b,,c"', 'rsplit', '","'],
    ['"a,b,,c"', 'split', '""'],
    ['"a,b,,c"', 'split', '1'],
    ['"a,b,,c"', 'split', '",", 1'],
    ['"/"', 'join', '["a", "b", "c"]'],
    ['"/"', 'join', '("a",)'],
    ['"/"', 'join', '[]'],
    ['"/"', 'join', '["a", 1]'],
    ['"/"', 'join', '{"a": 1, "b": 2}'],
    ['"/"', 'join', '"abc"'],
    ['"a:b:c"', 'partition', '":"'],
    ['"a:b:c"', 'rpartition', '":"'],
    ['"abc"', 'partition', '":"'],
    ['"abc"', 'rpartition', '":"'],
    ['"abc"', 'partition', '""'],
    ['"abc"', 'partition', '1'],
    ['"a|b-c|d"', 'replace', '"|", ","'],
    ['"aaa"', 'replace', '"a", "$&"'],
    ['"abc"', 'replace', '"x", "y"'],
    ['"abc"', 'replace', '"", "-"'],
    ['"abc"', 'replace', '"b", 1'],
    ['"abab"', 'replace', '"ab", "x", 1'],
    ['"hello"', 'find', '"l"'],
    ['"hello"', 'rfind', '"l"'],
    ['"hello"', 'find', '"z"'],
    ['"hello"', 'find', '1'],
    ['"hello"', 'count', '"l"'],
    ['"hello"', 'count', '""'],
    ['"aaaa"', 'count', '"aa"'],
    ['"hello"', 'startswith', '"he"'],
    ['"hello"', 'startswith', '("x", "h")'],
    ['"hello"', 'endswith', '"lo"'],
    ['"hello"', 'endswith', '1'],
    ['"hello"', 'removeprefix', '"he"'],
    ['"hello"', 'removesuffix', '"lo"'],
    ['"hello"', 'removesuffix', '""'],
  ];
  for (const [recv, name, args] of cases) {
    it(`${recv}.${name}(${args})`, () => {
      sameAsGeneral(recv, name, args);
    });
  }

  it('gives the expected results', () => {
    expect(sameAsGeneral('"a|b-c"', 'replace', '"|", "/"')).toBe('"a/b-c"');
    expect(sameAsGeneral('"a:b:c"', 'partition', '":"')).toBe('("a", ":", "b:c")');
    expect(sameAsGeneral('" x "', 'strip', '')).toBe('"x"');
    expect(sameAsGeneral('"/"', 'join', '["a", 1]')).toMatch(/^error: join: in list, want string, got int/);
  });

  it('leaves other receivers to their own methods', () => {
    expect(outcome('print(["x"].count("x"))')).toMatch(/^error: list has no \.count field or method/);
    expect(outcome('d = {"a": 1}\nprint(d.get("a"), [1].index(1))')).toBe('1 0');
  });
});

describe('one-argument builtin fast forms', () => {
  // f(*[x]) takes the general call path; f(x) the fast form.
  const cases: [string, string][] = [
    ['len', '"héllo"'],
    ['len', '[1, 2]'],
    ['len', '(1,)'],
    ['len', '{"a": 1}'],
    ['len', 'set([1, 2, 2])'],
    ['len', 'range(10)'],
    ['len', '"abc".elems()'],
    ['len', '1'],
    ['len', 'None'],
    ['str', '"s"'],
    ['str', '12'],
    ['str', '-7'],
    ['str', '1.5'],
    ['str', '[1, "a"]'],
    ['str', 'None'],
  ];
  for (const [f, x] of cases) {
    it(`${f}(${x})`, () => {
      const direct = outcome(`x = ${x}\nprint(repr(${f}(x)))\n`);
      const general = outcome(`x = ${x}\nprint(repr(${f}(*[x])))\n`);
      expect(direct.replace(/@line.*/, '')).toBe(general.replace(/@line.*/, ''));
    });
  }

  it('gives the expected results', () => {
    expect(outcome('print(len("abc"), len([1]), str(5), str("x"))')).toBe('3 1 5 x');
    expect(outcome('print(len(1))')).toBe('error: len: value of type int has no len @line 1: (1))');
  });
});
