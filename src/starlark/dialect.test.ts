import { describe, expect, it } from 'vitest';
import { runError, runStar } from './starlark-assert.test-support.js';

describe('dialect options (starlark-go resolver flags)', () => {
  it('refuses recursion by default and allows it with recursion', () => {
    const src = 'def fact(n):\n    return n * fact(n - 1) if n > 1 else 1\nx = fact(10)\n';
    expect(runError(src).message).toBe('function fact called recursively');
    expect(runStar(src, { dialect: { recursion: true } }).module.globals.get('x')).toBe(3628800);
  });

  it('refuses rebinding a loaded name by default and allows it with globalReassign', () => {
    const load = () => ({ file: 'lib.star', globals: new Map([['a', 1]]) });
    const src = 'load("lib.star", "a")\na = 2\nprint(a)\n';
    expect(runError(src, { load }).message).toBe('cannot reassign a: it is bound by the load statement at line 1');
    expect(runStar(src, { load, dialect: { globalReassign: true } }).out).toEqual(['2']);
  });

  it('reports a loaded name used before its load as a local variable, unless load binds globally', () => {
    const load = () => ({ file: 'lib.star', globals: new Map([['a', 1]]) });
    const src = 'x = a\nload("lib.star", "a")\n';
    expect(runError(src, { load }).message).toBe('local variable a referenced before assignment');
    expect(runError(src, { load, dialect: { loadBindsGlobally: true } }).message).toBe('global variable a referenced before assignment');
  });
});

describe('assignment forms starlark-go accepts', () => {
  it('assigns empty tuples and lists to empty targets, and checks the count', () => {
    runStar('() = ()\n[] = []\n[] = ()\n() = []\n');
    expect(runError('() = (1,)\n').message).toBe('too many values to unpack (got 1, want 0)');
    expect(runError('[] = 1\n').message).toBe('got int in sequence assignment');
  });

  it('accepts a parenthesized target in augmented assignment', () => {
    const { module } = runStar('a = 5\n(a) += 3\nd = {"k": 1}\n(d["k"]) += 1\n');
    expect(module.globals.get('a')).toBe(8);
  });
});

describe('builtins that take a real bool', () => {
  it('refuses a truth value where a bool is wanted', () => {
    runStar('assert_eq("a\\nb".splitlines(True), ["a\\n", "b"])\nassert_eq(sorted([1, 2], reverse=True), [2, 1])\n');
    expect(runError('x = "".splitlines(1)\n').message).toBe('splitlines: for parameter keepends: got int, want bool');
    expect(runError('x = sorted([1], reverse=1)\n').message).toBe('sorted: for parameter reverse: got int, want bool');
  });

  it('formats %d only from ints and floats', () => {
    runStar('assert_eq("%d %d" % (3, 3.9), "3 3")\n');
    expect(runError('x = "%d" % True\n').message).toBe('%d format requires integer: cannot convert bool to int');
    expect(runError('x = "%x" % float("nan")\n').message).toBe('%x format requires integer: cannot convert float NaN to integer');
  });
});
