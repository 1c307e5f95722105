import { describe, expect, it } from 'vitest';
import { MAX_CALL_DEPTH, MAX_NESTING, MAX_SEQUENCE_LENGTH, MAX_STRING_LENGTH, MAX_VALUE_DEPTH } from './limits.js';
import { runError, runStar } from './starlark-assert.test-support.js';
import { internalError } from './thread.js';

const nested = (open: string, close: string, n: number, inner = '1'): string => open.repeat(n) + inner + close.repeat(n);

describe('nesting limit', () => {
  const kinds: [string, (n: number) => string][] = [
    ['parentheses', (n) => nested('(', ')', n)],
    ['list literals', (n) => nested('[', ']', n)],
    ['dict literals', (n) => nested('{"k": ', '}', n)],
    ['calls', (n) => nested('str(', ')', n)],
    ['unary minus', (n) => '-'.repeat(n) + '1'],
    ['not', (n) => 'not '.repeat(n) + 'True'],
    ['operator chains', (n) => '1' + ' + 1'.repeat(n)],
    ['conditional chains', (n) => '1' + ' if True else 1'.repeat(n)],
    ['suffix chains', (n) => '[0]' + '[0:1]'.repeat(n)],
  ];
  for (const [kind, make] of kinds) {
    it(`refuses ${kind} nested beyond ${MAX_NESTING}, with a static positioned error`, () => {
      const err = runError(`ok = 1\nx = ${make(MAX_NESTING * 5)}\n`);
      expect(err.message).toBe(`syntax error: expression nested too deeply (limit ${MAX_NESTING})`);
      expect(err.isStatic).toBe(true);
      expect(err.pos?.line).toBe(2);
      expect(err.pos!.col).toBeGreaterThan(4);
      expect(err.format()).toMatch(/^test\.star:2:\d+: syntax error: expression nested too deeply/);
    });
  }

  it('accepts nesting just below the limit and evaluates it', () => {
    const { module } = runStar(`x = ${nested('(', ')', MAX_NESTING - 2)}\ny = ${nested('[', ']', MAX_NESTING - 2)}\n`);
    expect(module.globals.get('x')).toBe(1);
    const { module: chain } = runStar(`x = 1${' + 1'.repeat(MAX_NESTING - 5)}\n`);
    expect(chain.globals.get('x')).toBe(MAX_NESTING - 4);
  });

  it('refuses blocks nested beyond the limit', () => {
    const body = Array.from({ length: MAX_NESTING + 10 }, (_, i) => `${' '.repeat(i + 1)}if True:\n`).join('');
    const err = runError(`def f():\n${body}${' '.repeat(MAX_NESTING + 11)}pass\n`);
    expect(err.message).toBe(`syntax error: block nested too deeply (limit ${MAX_NESTING})`);
    expect(err.pos?.line).toBeGreaterThan(MAX_NESTING - 5);
  });
});

describe('call depth limit', () => {
  const countdown = 'def f(n):\n    return f(n - 1) + 1 if n > 0 else 0\n';

  it('stops recursion at the limit (recursion enabled) with a positioned error', () => {
    const err = runError(`${countdown}x = f(${MAX_CALL_DEPTH * 10})\n`, { dialect: { recursion: true } });
    expect(err.message).toBe(`maximum recursion depth exceeded (limit ${MAX_CALL_DEPTH} calls)`);
    expect(err.pos?.line).toBe(2);
  });

  it('runs recursion below the limit, and refuses recursion outright by default', () => {
    const { module } = runStar(`${countdown}x = f(${MAX_CALL_DEPTH - 10})\n`, { dialect: { recursion: true } });
    expect(module.globals.get('x')).toBe(MAX_CALL_DEPTH - 10);
    expect(runError(`${countdown}x = f(3)\n`).message).toBe('function f called recursively');
  });
});

describe('size limits', () => {
  it('refuses string repetition beyond the limit, naming the size and the limit', () => {
    const err = runError('x = "ab" * 100000000\n');
    expect(err.message).toBe(`excessive repeat (2 * 100000000 elements); string too large: 200000000 characters (limit ${MAX_STRING_LENGTH})`);
    expect(err.pos).toEqual({ file: 'test.star', line: 1, col: 10 });
    expect(runError('x = "ab" * (1 << 40)\n').message).toBe('repeat count 1099511627776 too large');
  });

  it('refuses a string doubled past the limit, with + and with +=', () => {
    const over = `string too large: ${MAX_STRING_LENGTH * 2} characters (limit ${MAX_STRING_LENGTH})`;
    const plus = runError('s = "x"\nfor i in range(40):\n    s = s + s\n');
    expect(plus.message).toBe(over);
    expect(plus.pos?.line).toBe(3);
    expect(runError('def f():\n    s = "x"\n    for i in range(40):\n        s += s\nf()\n').message).toBe(over);
    expect(runError('s = "x"\nfor i in range(40):\n    s += s\n').message).toBe(over);
  });

  it('refuses joins and replacements whose result would be too large, before building them', () => {
    const join = runError('part = "x" * 1000000\nx = ",".join([part] * 100)\n');
    expect(join.message).toBe(`join: string too large: 100000099 characters (limit ${MAX_STRING_LENGTH})`);
    expect(join.pos?.line).toBe(2);
    const generic = runError('part = "x" * 1000000\nx = ",".join(tuple([part] * 100))\n');
    expect(generic.message).toContain('string too large: 100000099 characters');
    const replace = runError('s = "x" * 10000000\nt = s.replace("x", "0123456789")\n');
    expect(replace.message).toBe(`replace: string too large: 100000000 characters (limit ${MAX_STRING_LENGTH})`);
    // Growth that stays within the limit is fine, even when a crude bound would exceed it.
    const { module } = runStar('s = "x" * 10000000 + "y"\nt = s.replace("y", "0123456789")\n');
    expect((module.globals.get('t') as string).length).toBe(10000010);
  });

  it('refuses lists and tuples beyond the limit: repetition, concatenation, +=, extend, list(range)', () => {
    const limit = `(limit ${MAX_SEQUENCE_LENGTH})`;
    expect(runError('x = [0] * 1000000000\n').message).toBe(`excessive repeat (1 * 1000000000 elements); list too large: 1000000000 elements ${limit}`);
    expect(runError('x = (0,) * 1000000000\n').message).toContain('tuple too large: 1000000000 elements');
    expect(runError('x = [0]\nfor i in range(40):\n    x = x + x\n').message).toBe(`list too large: ${MAX_SEQUENCE_LENGTH * 2} elements ${limit}`);
    expect(runError('x = [0]\nfor i in range(40):\n    x += x\n').message).toBe(`list too large: ${MAX_SEQUENCE_LENGTH * 2} elements ${limit}`);
    expect(runError('x = [0]\nfor i in range(40):\n    x.extend(x)\n').message).toBe(`extend: list too large: ${MAX_SEQUENCE_LENGTH * 2} elements ${limit}`);
    expect(runError('x = list(range(1000000000))\n').message).toBe(`list: range too large: 1000000000 elements ${limit}`);
  });

  it('turns an engine size error the specific limits do not foresee into a Starlark error', () => {
    expect(internalError(new RangeError('Invalid string length')).message).toMatch(/^string too large: over the JS engine's limit/);
    expect(internalError(new RangeError('Invalid array length')).message).toMatch(/^list too large: over the JS engine's limit/);
    expect(internalError(new RangeError('Maximum call stack size exceeded')).message).not.toContain('internal error');
  });
});

describe('deeply nested values', () => {
  const deepList = 'x = []\nfor i in range(100000):\n    x = [x]\n';

  it('freezes a value nested far deeper than the JS stack allows', () => {
    const { module } = runStar(deepList);
    expect(module.globals.has('x')).toBe(true);
  });

  it('freezes a tuple DAG with exponential paths in linear time', () => {
    const { module } = runStar('t = ()\nfor i in range(200):\n    t = (t, t)\nl = [t]\n');
    expect(module.globals.has('l')).toBe(true);
  });

  it('stops comparisons of deeply nested or cyclic values with "maximum recursion"', () => {
    const err = runError(`${deepList}y = []\nfor i in range(100000):\n    y = [y]\nz = x == y\n`);
    expect(err.message).toBe(`comparison exceeded maximum recursion depth (limit ${MAX_VALUE_DEPTH})`);
    expect(err.pos?.line).toBe(7);
    expect(runError('c = [1]\nc.append(c)\nz = c == c\n').message).toContain('maximum recursion');
    expect(runError('c = [1]\nc.append(c)\nz = c < c\n').message).toContain('maximum recursion');
  });
});
