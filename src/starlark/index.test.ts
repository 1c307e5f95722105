// Tests of the public API as embedders (src/spec) use it.
import { describe, expect, it } from 'vitest';
import {
  Builtin, call, execSource, fromJS, HostValue, isCallable, isDict, isInt, isList, isString, None, parseSource,
  repr, StarDict, StarFloat, StarlarkError, StarList, str, Struct, toJS, truth, Tuple, typeName, unpackArgs, walk,
  Interpreter, Thread, type CallContext, type Kwargs, type Value,
} from './index.js';

class Service extends HostValue {
  readonly typeName = 'service';
  constructor(readonly name: string, public port: Value = None) {
    super();
  }
  override attr(n: string): Value | undefined {
    if (n === 'name') return this.name;
    if (n === 'port') return this.port;
    if (n === 'url') return new Builtin('url', (_c, args, kw) => {
      const [path] = unpackArgs('url', args, kw, ['path?']);
      return `http://${this.name}:${String(this.port)}${path === undefined ? '' : String(path)}`;
    });
    return undefined;
  }
  override attrNames(): string[] {
    return ['name', 'port', 'url'];
  }
  override setAttr(n: string, v: Value): void {
    if (this.frozen) throw new StarlarkError(`cannot set .${n} of frozen service`);
    if (n !== 'port') throw new StarlarkError(`service has no settable field .${n}`);
    this.port = v;
  }
  override hashKey(): string {
    return this.name;
  }
  override equals(o: Value): boolean {
    return o instanceof Service && o.name === this.name;
  }
  override repr(): string {
    return `service(${JSON.stringify(this.name)})`;
  }
}

class Counter extends HostValue {
  readonly typeName = 'counter';
  n = 0;
  override call(_ctx: CallContext, args: Value[]): Value {
    this.n += args.length;
    return this.n;
  }
}

const serviceBuiltin = new Builtin('service', (_ctx, args, kwargs) => {
  const [name, port] = unpackArgs('service', args, kwargs, ['name', 'port?']);
  if (typeof name !== 'string') throw new StarlarkError(`name: got ${typeName(name!)}, want string`);
  return new Service(name, port ?? None);
});

describe('host values', () => {
  it('exposes attributes, methods, hashing, equality, repr and field assignment', () => {
    const out: string[] = [];
    const m = execSource(
      'spec.star',
      `
db = service("db", port = 5432)
print(db.name, db.port, db.url("/x"), db, type(db), dir(db))
seen = {db: 1}
same = seen[service("db")]
def bump():
    db.port = 1
bump()
`,
      { predeclared: { service: serviceBuiltin }, print: (l) => out.push(l) },
    );
    expect(out).toEqual(['db 5432 http://db:5432/x service("db") service ["name", "port", "url"]']);
    expect(m.globals.get('same')).toBe(1);
    expect((m.globals.get('db') as Service).port).toBe(1);
    expect((m.globals.get('db') as Service).frozen).toBe(true);
  });

  it('makes callable host values callable', () => {
    const c = new Counter();
    const m = execSource('c.star', 'a = c(1, 2)\nb = c(3)\n', { predeclared: { c } });
    expect(m.globals.get('b')).toBe(3);
    expect(isCallable(c)).toBe(true);
  });

  it('validates arguments with spec-style messages', () => {
    const run = (src: string) => {
      try {
        execSource('s.star', src, { predeclared: { service: serviceBuiltin } });
      } catch (e) {
        return (e as StarlarkError).message;
      }
      return 'no error';
    };
    expect(run('service(imag = "x")')).toBe('service: unexpected keyword argument "imag" (accepted: name, port)');
    expect(run('service()')).toBe('service: missing argument for name');
    expect(run('service("a", 1, 2)')).toBe('service: got 3 arguments, want at most 2');
    expect(run('service("a", name = "b")')).toBe('service: got multiple values for parameter "name"');
    expect(run('service(1)')).toBe('service: name: got int, want string');
    expect(run('db = service("a")\ndb.nope')).toBe('service has no .nope field or method');
  });
});

describe('call context', () => {
  it('tells host builtins where they were called from and lets them keep per-thread state', () => {
    const sites: string[] = [];
    const record = new Builtin('record', (ctx) => {
      const p = ctx.callerPosition!;
      sites.push(`${p.file}:${p.line}:${p.col} in ${ctx.currentFunction}`);
      ctx.locals.set('count', ((ctx.locals.get('count') as number) ?? 0) + 1);
      return None;
    });
    const interp = new Interpreter({ predeclared: { record } });
    interp.execSource('ctx.star', 'def f():\n    record()\nrecord()\nf()\n');
    expect(sites).toEqual(['ctx.star:3:7 in <toplevel>', 'ctx.star:2:11 in f']);
    expect(interp.thread.locals.get('count')).toBe(2);
  });

  it('supports iterable, sized and indexable host values', () => {
    class Bag extends HostValue {
      readonly typeName = 'bag';
      override iterate(): Value[] {
        return [1, 2, 3];
      }
      override len(): number {
        return 3;
      }
      override index(k: Value): Value {
        return typeof k === 'number' ? k * 10 : None;
      }
    }
    const m = execSource('bag.star', 'r = [x for x in b]\nn = len(b)\ni = b[4]\nt = 2 in b\nl = list(b)\n', { predeclared: { b: new Bag() } });
    expect(toJS(m.globals.get('r')!)).toEqual([1, 2, 3]);
    expect(m.globals.get('n')).toBe(3);
    expect(m.globals.get('i')).toBe(40);
    expect(m.globals.get('t')).toBe(true);
  });
});

describe('unpackArgs', () => {
  it('handles optional, *args, keyword-only and **kwargs parameters', () => {
    const kw: Kwargs = [['label', 'x'], ['extra', 1]];
    const [name, rest, label, more] = unpackArgs('f', ['n', 1, 2], kw, ['name', '*interfaces', 'label?', '**kwargs']);
    expect(name).toBe('n');
    expect((rest as Tuple).elems).toEqual([1, 2]);
    expect(label).toBe('x');
    expect((more as StarDict).items()).toEqual([['extra', 1]]);
    expect(() => unpackArgs('deny', [], [], ['errno', 'label?'])).toThrow('deny: missing argument for errno');
    expect(() => unpackArgs('f', [1, 2], [], ['a', '*', 'b?'])).toThrow('f: got 2 arguments, want at most 1');
    const [a, b] = unpackArgs('f', [1], [['b', 2]], ['a', '*', 'b?']);
    expect([a, b]).toEqual([1, 2]);
  });
});

describe('calling Starlark from host code', () => {
  it('calls functions and propagates errors with the Starlark call stack', () => {
    let captured: Value = None;
    const fault = new Builtin('fault', (_ctx, _args, kwargs) => {
      captured = kwargs.find(([k]) => k === 'run')![1];
      return None;
    });
    const runner = new Builtin('runner', (ctx, args) => call(ctx, args[0], [args[1]], [['y', 10]]));
    const m = execSource(
      'h.star',
      'def f(x, y = 0):\n    return x + y\ndef g(x, y = 0):\n    return x // y\nr = runner(f, 5)\nfault(run = g)\n',
      { predeclared: { fault, runner } },
    );
    expect(m.globals.get('r')).toBe(15);
    expect(typeName(captured)).toBe('function');
    // Calling after execution (as the runtime does for run=): on a fresh thread.
    const th = new Thread();
    expect(call(th, captured, [7], [['y', 2]])).toBe(3);
    try {
      call(th, captured, [1]);
      throw new Error('expected failure');
    } catch (e) {
      const err = e as StarlarkError;
      expect(err.message).toBe('integer division by zero');
      expect(err.format()).toContain('h.star:4:14: integer division by zero');
      expect(err.callStack.map((f) => f.name)).toEqual(['g']);
    }
    expect(th.stack).toHaveLength(0);
  });

  it('reports errors raised inside callbacks with a traceback', () => {
    const runner = new Builtin('runner', (ctx, args) => call(ctx, args[0], []));
    try {
      execSource('cb.star', 'def boom():\n    return {}["k"]\nrunner(boom)\n', { predeclared: { runner } });
      throw new Error('expected failure');
    } catch (e) {
      const err = e as StarlarkError;
      expect(err.message).toBe('key "k" not in dict');
      expect(err.callStack.map((f) => `${f.name}:${f.pos.line}`)).toEqual(['<toplevel>:3', 'boom:2']);
    }
  });
});

describe('conversions and predicates', () => {
  it('converts Starlark values to JS', () => {
    const m = execSource('c.star', 'x = [None, True, 1, 1 << 70, 1.5, "s", (1,), {"a": {1: 2}}, set([1]), struct(k = [1])]\n');
    const js = toJS(m.globals.get('x')!) as unknown[];
    expect(js.slice(0, 7)).toEqual([null, true, 1, 1n << 70n, 1.5, 's', [1]]);
    expect(js[7]).toEqual(new Map([['a', new Map([[1, 2]])]]));
    expect(js[8]).toEqual([1]);
    expect(js[9]).toEqual({ k: [1] });
  });

  it('converts JS values to Starlark', () => {
    const v = fromJS({ a: [1, 2.5, null, 'x', 2n ** 80n], b: new Map([[1, true]]) });
    expect(isDict(v)).toBe(true);
    expect(repr(v)).toBe('{"a": [1, 2.5, None, "x", 1208925819614629174706176], "b": {1: True}}');
    expect(fromJS(3)).toBe(3);
    expect(fromJS(3.5)).toBeInstanceOf(StarFloat);
  });

  it('answers type predicates and text forms', () => {
    expect(isString('a')).toBe(true);
    expect(isInt(1)).toBe(true);
    expect(isInt(1n << 80n)).toBe(true);
    expect(isInt(new StarFloat(1))).toBe(false);
    expect(isList(new StarList([]))).toBe(true);
    expect(typeName(None)).toBe('NoneType');
    expect(typeName(new StarFloat(1))).toBe('float');
    expect(typeName(new Struct([]))).toBe('struct');
    expect(str('a')).toBe('a');
    expect(repr('a')).toBe('"a"');
    expect(truth(new StarList([]))).toBe(false);
    expect(repr(new Struct([['b', 1], ['a', 'x']]))).toBe('struct(a = "x", b = 1)');
  });
});

describe('syntax tree access', () => {
  it('finds call sites and identifiers for static analysis', () => {
    const file = parseSource('s.star', 'def f():\n    pass\nfault(db, write = deny("EIO"), run = f)\n');
    const idents: string[] = [];
    walk(file, (n) => {
      if (n.kind === 'Ident') idents.push(n.name);
    });
    expect(idents).toEqual(['f', 'fault', 'db', 'deny', 'f']);
  });
});
