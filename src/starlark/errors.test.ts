import { describe, expect, it } from 'vitest';
import { Builtin, None } from './values.js';
import { StarlarkError } from './errors.js';
import { runError } from './starlark-assert.test-support.js';

describe('error positions and formatting', () => {
  it('formats a runtime error with caret and traceback', () => {
    const src = ['def f(d):', '    return d["x"]', '', 'def g():', '    return f({})', '', 'g()', ''].join('\n');
    const e = runError(src);
    expect(e.message).toBe('key "x" not in dict');
    expect(e.pos).toEqual({ file: 'test.star', line: 2, col: 13 });
    expect(e.callStack.map((f) => `${f.name}@${f.pos.line}:${f.pos.col}`)).toEqual([
      '<toplevel>@7:2',
      'g@5:13',
      'f@2:13',
    ]);
    expect(e.format()).toBe(
      [
        'test.star:2:13: key "x" not in dict',
        '    return d["x"]',
        '            ^',
        'Traceback (most recent call last):',
        '  test.star:7:2: in <toplevel>',
        '  test.star:5:13: in g',
        '  test.star:2:13: in f',
      ].join('\n'),
    );
  });

  it('points at the operator of a failing binary operation', () => {
    const e = runError('x = 1\ny = x + "a"\n');
    expect(e.message).toBe('unknown binary op: int + string');
    expect(e.pos).toEqual({ file: 'test.star', line: 2, col: 7 });
    expect(e.format().split('\n').slice(0, 3)).toEqual(['test.star:2:7: unknown binary op: int + string', 'y = x + "a"', '      ^']);
  });

  it('points at the call for builtin errors and prefixes the builtin name', () => {
    const e = runError('x = len(1)\n');
    expect(e.message).toBe('len: value of type int has no len');
    expect(e.pos).toEqual({ file: 'test.star', line: 1, col: 8 });
    const f = runError('fail("boom", 42)\n');
    expect(f.message).toBe('fail: boom 42');
  });

  it('positions argument binding errors at the call site', () => {
    const e = runError('def f(a, b):\n    pass\nf(1)\n');
    expect(e.message).toBe('function f missing 1 argument (b)');
    expect(e.pos).toEqual({ file: 'test.star', line: 3, col: 2 });
    expect(runError('def f(a):\n    pass\nf(1, 2, 3)\n').message).toBe('function f accepts 1 positional argument (3 given)');
    expect(runError('def f(a):\n    pass\nf(a = 1, y = 2)\n').message).toBe('function f got an unexpected keyword argument "y" (accepted: a)');
  });

  it('reports calls of non-functions and bad attributes', () => {
    expect(runError('x = 1\nx()\n').message).toBe('invalid call of non-function (int)');
    const e = runError('x = [1]\nx.appendd(2)\n');
    expect(e.message).toBe('list has no .appendd field or method (did you mean .append?)');
    expect(e.pos).toEqual({ file: 'test.star', line: 2, col: 2 });
  });

  it('wraps JS exceptions from builtins as internal errors', () => {
    const boom = new Builtin('boom', () => {
      throw new TypeError('cannot read properties of undefined');
    });
    const e = runError('boom()\n', { predeclared: { boom } });
    expect(e).toBeInstanceOf(StarlarkError);
    expect(e.message).toBe('internal error: cannot read properties of undefined (set FAULTBOX_DEBUG=1 for details)');
    expect(e.pos?.line).toBe(1);
  });

  it('lets host builtins throw position-less errors that get the call position', () => {
    const deny = new Builtin('deny', (_ctx, args) => {
      if (args[0] !== 'EIO') throw new StarlarkError(`unknown errno ${JSON.stringify(args[0])}`);
      return None;
    });
    const e = runError('x = 1\ndeny("EBOGUS")\n', { predeclared: { deny } });
    expect(e.format().split('\n')[0]).toBe('test.star:2:5: deny: unknown errno "EBOGUS"');
  });

  it('formats static errors without a traceback', () => {
    const e = runError('def f():\n    return undefined_name\n');
    expect(e.isStatic).toBe(true);
    expect(e.format()).toBe(['test.star:2:12: undefined: undefined_name', '    return undefined_name', '           ^'].join('\n'));
  });
});
