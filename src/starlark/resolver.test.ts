import { describe, expect, it } from 'vitest';
import type { AssignStmt, DefStmt, ExprStmt, Ident } from './ast.js';
import { StarlarkError } from './errors.js';
import { parseSource } from './parser.js';
import { resolveFile } from './resolver.js';

const universal = new Set(['len', 'print', 'None', 'True', 'False']);
function resolve(src: string, predeclared: string[] = []) {
  const f = parseSource('r.star', src);
  resolveFile(f, { isPredeclared: (n) => predeclared.includes(n), isUniversal: (n) => universal.has(n) });
  return f;
}
function staticError(src: string): StarlarkError {
  try {
    resolve(src);
  } catch (e) {
    return e as StarlarkError;
  }
  throw new Error('expected a static error');
}

describe('resolver', () => {
  it('reports undefined names with a suggestion', () => {
    const e = staticError('value = 1\nprint(valeu)\n');
    expect(e.message).toBe('undefined: valeu (did you mean value?)');
    expect(e.pos).toEqual({ file: 'r.star', line: 2, col: 7 });
    expect(staticError('def f():\n  if False:\n    g()\n').message).toBe('undefined: g');
  });

  it('allows references to globals defined later (in functions)', () => {
    const f = resolve('def f():\n  return K\nK = 1\n');
    const ret = (f.stmts[0] as DefStmt).body[0];
    expect(ret.kind).toBe('ReturnStmt');
  });

  it('classifies locals, globals, cells, free variables, predeclared and universal names', () => {
    const f = resolve('g = 1\ndef outer(p):\n  x = p\n  def inner():\n    return x + g + len([]) + host\n  return inner\n', ['host']);
    const outer = f.stmts[1] as DefStmt;
    expect(outer.fn!.locals.map((b) => `${b.name}:${b.scope}`)).toEqual(['p:local', 'x:cell', 'inner:local']);
    const inner = outer.body[1] as DefStmt;
    expect(inner.fn!.freevars.map((v) => v.binding.name)).toEqual(['x']);
    const scopes: string[] = [];
    const visit = (n: unknown): void => {
      if (n && typeof n === 'object') {
        if ((n as Ident).kind === 'Ident' && (n as Ident).binding) scopes.push(`${(n as Ident).name}:${(n as Ident).binding!.scope}`);
        for (const v of Object.values(n)) if (typeof v === 'object') visit(v);
      }
    };
    visit(inner.body);
    expect(scopes).toEqual(['x:free', 'g:global', 'len:universal', 'host:predeclared']);
  });

  it('makes every name bound in a function local to the whole function', () => {
    const f = resolve('y = "global"\ndef hello():\n  print(y)\n  y = "local"\n');
    const d = f.stmts[1] as DefStmt;
    const call = (d.body[0] as ExprStmt).x;
    if (call.kind !== 'CallExpr') throw new Error('expected call');
    expect((call.args[0].value as Ident).binding!.scope).toBe('local');
  });

  it('gives comprehensions their own block', () => {
    const f = resolve('x = 1\ny = [x for x in [1]]\nz = x\n');
    const z = (f.stmts[2] as AssignStmt).rhs as Ident;
    expect(z.binding!.scope).toBe('global');
    expect(f.toplevel!.locals.map((b) => b.name)).toEqual(['x']);
  });

  it('rejects misplaced break/continue/return/load', () => {
    expect(staticError('break\n').message).toBe('break not in a loop');
    expect(staticError('for x in []:\n  def f():\n    continue\n').message).toBe('continue not in a loop');
    expect(staticError('return 1\n').message).toBe('return statement not within a function');
    expect(staticError('def f():\n  load("a", "b")\n').message).toBe('load statement within a function');
    expect(staticError('if True:\n  load("a", "b")\n').message).toContain('load statement not at top level');
  });

  it('rejects duplicate parameters', () => {
    const e = staticError('def f(a, b, a):\n  pass\n');
    expect(e.message).toBe('duplicate parameter: a');
    expect(e.pos).toEqual({ file: 'r.star', line: 1, col: 13 });
    expect(staticError('def f(a, **a):\n  pass\n').message).toBe('duplicate parameter: a');
  });

  it('keeps load bindings separate from globals', () => {
    expect(staticError('load("m", "a")\na = 1\n').message).toContain('cannot reassign a: it is bound by the load statement at line 1');
    expect(staticError('a = 1\nload("m", "a")\n').message).toContain('already a global');
  });
});
