import { describe, expect, it } from 'vitest';
import type { BinaryExpr, CallExpr, DefStmt, Expr, ForStmt, IfStmt, Node, Stmt } from './ast.js';
import { walk } from './ast.js';
import { StarlarkError } from './errors.js';
import { parseExpr, parseSource } from './parser.js';

function parse(src: string): Stmt[] {
  return parseSource('p.star', src).stmts;
}
function syntaxError(src: string): StarlarkError {
  try {
    parseSource('p.star', src);
  } catch (e) {
    return e as StarlarkError;
  }
  throw new Error('expected a syntax error');
}
/** Compact s-expression rendering of an expression tree. */
function sx(e: Expr): string {
  switch (e.kind) {
    case 'Ident': return e.name;
    case 'Literal': return e.raw;
    case 'BinaryExpr': return `(${e.op} ${sx(e.x)} ${sx(e.y)})`;
    case 'UnaryExpr': return `(${e.op} ${sx(e.x)})`;
    case 'CondExpr': return `(if ${sx(e.cond)} ${sx(e.then)} ${sx(e.else)})`;
    case 'ParenExpr': return sx(e.x);
    case 'TupleExpr': return `(tuple ${e.elems.map(sx).join(' ')})`;
    case 'ListExpr': return `[${e.elems.map(sx).join(' ')}]`;
    case 'CallExpr': return `(call ${sx(e.fn)}${e.args.map((a) => ' ' + (a.kind === 'Keyword' ? a.name + '=' : a.kind === 'Star' ? '*' : a.kind === 'StarStar' ? '**' : '') + sx(a.value)).join('')})`;
    case 'DotExpr': return `(. ${sx(e.x)} ${e.name})`;
    case 'IndexExpr': return `(index ${sx(e.x)} ${sx(e.index)})`;
    case 'SliceExpr': return `(slice ${sx(e.x)} ${e.lo ? sx(e.lo) : '_'} ${e.hi ? sx(e.hi) : '_'} ${e.step ? sx(e.step) : '_'})`;
    case 'LambdaExpr': return `(lambda ${sx(e.body)})`;
    case 'DictExpr': return `{${e.entries.map((en) => sx(en.key) + ':' + sx(en.value)).join(' ')}}`;
    case 'Comprehension': return `(comp${e.curly ? '{}' : '[]'} ${e.clauses.map((c) => (c.kind === 'ForClause' ? `for ${sx(c.vars)} in ${sx(c.x)}` : `if ${sx(c.cond)}`)).join(' ')})`;
  }
}
const ex = (s: string) => sx(parseExpr('e', s));

describe('parser: expressions', () => {
  it('applies operator precedence', () => {
    expect(ex('1 + 2 * 3')).toBe('(+ 1 (* 2 3))');
    expect(ex('a or b and not c')).toBe('(or a (and b (not c)))');
    expect(ex('not a == b')).toBe('(not (== a b))');
    expect(ex('a | b ^ c & d << 1 + 2')).toBe('(| a (^ b (& c (<< d (+ 1 2)))))');
    expect(ex('-x * y')).toBe('(* (- x) y)');
    expect(ex('~x // 2 % 3')).toBe('(% (// (~ x) 2) 3)');
    expect(ex('a - b - c')).toBe('(- (- a b) c)');
  });

  it('parses membership tests including not in', () => {
    expect(ex('x not in y')).toBe('(not in x y)');
    expect(ex('x in y')).toBe('(in x y)');
  });

  it('refuses chained comparisons', () => {
    expect(() => parseExpr('e', 'a < b < c')).toThrow('< does not associate with < (use parentheses)');
    expect(() => parseExpr('e', 'a == b in c')).toThrow('== does not associate with in');
    expect(ex('(a < b) < c')).toBe('(< (< a b) c)');
  });

  it('parses conditional expressions and lambdas', () => {
    expect(ex('a if b else c if d else e')).toBe('(if b a (if d c e))');
    expect(ex('lambda x, y=1: x + y')).toBe('(lambda (+ x y))');
    expect(() => parseExpr('e', 'a if b')).toThrow('conditional expression without else clause');
  });

  it('parses calls, attributes, indexing and slices', () => {
    expect(ex('f(1, x=2, *a, **k)')).toBe('(call f 1 x=2 *a **k)');
    expect(ex('a.b(c)[0].d')).toBe('(. (index (call (. a b) c) 0) d)');
    expect(ex('x[1:2]')).toBe('(slice x 1 2 _)');
    expect(ex('x[::-1]')).toBe('(slice x _ _ (- 1))');
    expect(ex('x[a:]')).toBe('(slice x a _ _)');
    expect(ex('x[:b:2]')).toBe('(slice x _ b 2)');
    expect(ex('x[1, 2]')).toBe('(index x (tuple 1 2))');
  });

  it('parses tuples, lists, dicts and comprehensions', () => {
    expect(ex('()')).toBe('(tuple )');
    expect(ex('(1,)')).toBe('(tuple 1)');
    expect(ex('(1)')).toBe('1');
    expect(ex('[1, 2, ]')).toBe('[1 2]');
    expect(ex('{1: 2, "a": b, }')).toBe('{1:2 "a":b}');
    expect(ex('[x for x in y if x for z in x]')).toBe('(comp[] for x in y if x for z in x)');
    expect(ex('{k: v for k, v in d}')).toBe('(comp{} for (tuple k v) in d)');
    expect(() => parseExpr('e', '[x*x for x in 1, 2, 3]')).toThrow("got ',', want ']'");
    expect(() => parseExpr('e', '[x*x for x in lambda: 0]')).toThrow("got 'lambda'");
    expect(ex('[x for x in y if lambda: 1]')).toBe('(comp[] for x in y if (lambda 1))');
  });

  it('enforces argument order in calls', () => {
    expect(() => parseExpr('e', 'f(x=1, 2)')).toThrow('positional argument may not follow named argument');
    expect(() => parseExpr('e', 'f(*a, 2)')).toThrow('positional argument may not follow *args');
    expect(() => parseExpr('e', 'f(**k, x=1)')).toThrow('keyword argument may not follow **kwargs');
    expect(() => parseExpr('e', 'f(*a, *b)')).toThrow('multiple *args arguments not allowed');
    expect(() => parseExpr('e', 'f(x=1, x=2)')).toThrow('keyword argument "x" is repeated');
  });

  it('has no ** operator and no is operator', () => {
    expect(() => parseExpr('e', '2 ** 3')).toThrow('syntax error');
    expect(() => parseExpr('e', 'a is None')).toThrow("'is' is not supported");
  });
});

describe('parser: statements', () => {
  it('parses def with every parameter kind', () => {
    const d = parse('def f(a, b=1, *args, c, d=2, **kw):\n  pass\n')[0] as DefStmt;
    expect(d.kind).toBe('DefStmt');
    expect(d.params.map((p) => p.kind + ':' + (p.name?.name ?? ''))).toEqual([
      'Param:a', 'Param:b', 'StarParam:args', 'Param:c', 'Param:d', 'StarStarParam:kw',
    ]);
    const bare = parse('def g(a, *, b):\n  pass\n')[0] as DefStmt;
    expect(bare.params[1]).toMatchObject({ kind: 'StarParam', name: undefined });
  });

  it('checks parameter order', () => {
    expect(syntaxError('def f(a=1, b): pass').message).toContain('required parameter may not follow optional');
    expect(syntaxError('def f(**k, a): pass').message).toContain('parameter may not follow **kwargs');
    expect(syntaxError('def f(*): pass').message).toContain('bare * must be followed by keyword-only parameters');
    expect(syntaxError('f = lambda a, b, : None').message).toContain('want parameter');
  });

  it('parses if/elif/else chains', () => {
    const s = parse('if a:\n  x = 1\nelif b:\n  x = 2\nelse:\n  x = 3\n')[0] as IfStmt;
    expect(s.then).toHaveLength(1);
    expect(s.else[0].kind).toBe('IfStmt');
    expect((s.else[0] as IfStmt).else).toHaveLength(1);
  });

  it('parses for with tuple targets, while, and simple statements on one line', () => {
    const f = parse('for k, v in d.items(): print(k); continue\n')[0] as ForStmt;
    expect(f.vars.kind).toBe('TupleExpr');
    expect(f.body.map((s) => s.kind)).toEqual(['ExprStmt', 'BranchStmt']);
    expect(parse('while x:\n  x -= 1\n  break\n')[0].kind).toBe('WhileStmt');
    expect(parse('a = 1; b = 2;\n').map((s) => s.kind)).toEqual(['AssignStmt', 'AssignStmt']);
  });

  it('rejects a trailing comma in an unparenthesized tuple', () => {
    expect(syntaxError('for k, v, in d: pass').message).toContain('syntax error');
    expect(syntaxError('x = 1, 2,\n').message).toContain('trailing comma requires parentheses');
  });

  it('parses every assignment operator and checks targets', () => {
    for (const op of ['=', '+=', '-=', '*=', '/=', '//=', '%=', '&=', '|=', '^=', '<<=', '>>=']) {
      expect(parse(`x ${op} 1\n`)[0]).toMatchObject({ kind: 'AssignStmt', op });
    }
    expect(parse('a, [b, c] = x\n')[0].kind).toBe('AssignStmt');
    expect(parse('a.b[0] = 1\n')[0].kind).toBe('AssignStmt');
    expect(syntaxError('f() = 1').message).toContain('cannot assign to function call');
    expect(syntaxError('a, b += 1').message).toContain('cannot perform augmented assignment to tuple');
    expect(syntaxError('1 = x').message).toContain('cannot assign to literal');
  });

  it('parses load statements with aliases', () => {
    const s = parse('load("lib.star", "a", b = "c")\n')[0];
    expect(s).toMatchObject({ kind: 'LoadStmt', module: { value: 'lib.star' } });
    if (s.kind !== 'LoadStmt') throw new Error('not a load');
    expect(s.names.map((n) => [n.local.name, n.name])).toEqual([['a', 'a'], ['b', 'c']]);
    expect(syntaxError('load("x")').message).toContain('at least 1 symbol');
    expect(syntaxError('load("x", "_priv")').message).toContain('private');
  });

  it('reports syntax errors with position and source line', () => {
    const e = syntaxError('x = 1\ny = (1 +\n');
    expect(e.isStatic).toBe(true);
    expect(e.pos?.line).toBe(3);
    const e2 = syntaxError('def f(:\n  pass\n');
    expect(e2.format()).toBe("p.star:1:7: syntax error: got ':', want identifier\ndef f(:\n      ^");
  });

  it('reports unexpected indentation', () => {
    expect(syntaxError('x = 1\n  y = 2\n').message).toContain('unexpected indent');
    expect(syntaxError('if x:\ny = 2\n').message).toContain('want indented block');
  });
});

describe('parser: syntax tree for embedders', () => {
  it('exposes call sites with callee, positional args, keywords and **kwargs presence', () => {
    const file = parseSource('spec.star', 'db = service("db")\nfault(db, write = deny("EIO"), run = f, **extra)\n');
    const calls: CallExpr[] = [];
    walk(file, (n: Node) => {
      if (n.kind === 'CallExpr') calls.push(n);
    });
    const fault = calls.find((c) => c.fn.kind === 'Ident' && c.fn.name === 'fault')!;
    expect(fault.args.map((a) => a.kind)).toEqual(['Positional', 'Keyword', 'Keyword', 'StarStar']);
    expect(fault.args[1]).toMatchObject({ kind: 'Keyword', name: 'write', pos: { line: 2, col: 11 } });
    const deny = (fault.args[1] as { value: Expr }).value as CallExpr;
    expect(deny.fn).toMatchObject({ kind: 'Ident', name: 'deny' });
    expect(deny.args[0]).toMatchObject({ kind: 'Positional', value: { kind: 'Literal', value: 'EIO' } });
    expect(calls.map((c) => (c.fn.kind === 'Ident' ? c.fn.name : '?'))).toEqual(['service', 'fault', 'deny']);
  });

  it('records operator positions', () => {
    const e = parseExpr('e', 'a  +  b') as BinaryExpr;
    expect(e.pos).toEqual({ file: 'e', line: 1, col: 4 });
  });
});
