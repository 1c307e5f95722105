// Compiler: turns the resolved syntax tree into a tree of JS closures, once. Each expression
// becomes `(fr) => Value`, each statement `(fr) => Signal`. Locals live in `fr.l` at slots
// assigned by the resolver; hot operations inline a fast path for small ints and strings and
// fall back to ops.ts, which the closure wraps to attach the operation's position to errors.

import type {
  Argument, AssignOp, BinaryOp, Binding, Clause, Comprehension, DefStmt, Expr, File, FunctionInfo, LambdaExpr, Param, Stmt,
} from './ast.js';
import { builtinError, callValue } from './call-value.js';
import { callFunction } from './call-function.js';
import { methodCaller } from './call-method.js';
import { equals } from './compare.js';
import type { Dialect } from './dialect.js';
import { MAX_SEQUENCE_LENGTH, MAX_STRING_LENGTH, sequenceTooLarge } from './limits.js';
import { StarlarkError, type Position } from './errors.js';
import { applyFormat, applyPercent, parseFormat, parsePercent, percentFormat, type PercentTemplate } from './format.js';
import {
  attach, fail, Signal, type CompiledCode, type ExprCode as E, type Frame, type StmtCode as S, type StoreCode as Assign,
} from './frame.js';
import { intFloorDiv, intMod } from './int.js';
import {
  binary, contains, unsupported, getAttr, index, setAttr, setIndex, slice, unary, type BinaryOperator,
} from './ops.js';
import { elemsOf } from './iterate.js';
import { repr } from './repr.js';
import { stringFast0, stringFast1, stringFast2 } from './string-methods.js';
import type { Thread } from './thread.js';
import {
  appendAll, Builtin, Cell, None, RangeValue, StarDict, StarFloat, StarFunction, StarList, StarSet, Tuple, truth,
  typeName, type Kwargs, type Value,
} from './values.js';
import { didYouMean } from './resolver.js';

const MAX = Number.MAX_SAFE_INTEGER;
const NO_KWARGS: Kwargs = Object.freeze([]) as unknown as Kwargs;
const NO_ARGS: Value[] = Object.freeze([]) as unknown as Value[];

export interface ModuleLoader {
  (module: string, pos: Position, th: Thread): Map<string, Value>;
}

// ----- iteration -----------------------------------------------------------------------------

/** Run `body` once per element of x (a for loop or comprehension clause). */
function loop(fr: Frame, x: Value, assign: Assign, body: S, pos: Position): Signal {
  const th = fr.th;
  if (x instanceof StarList) {
    x.itercount++;
    try {
      const es = x.elems;
      for (let i = 0; i < es.length; i++) {
        if (++th.steps >= th.nextCheck) th.checkLimits();
        assign(fr, es[i]);
        const r = body(fr);
        if (r !== Signal.Normal && r !== Signal.Continue) {
          if (r === Signal.Break) break;
          return r;
        }
      }
    } finally {
      x.itercount--;
    }
    return Signal.Normal;
  }
  if (x instanceof RangeValue) {
    const n = x.len;
    const start = x.start;
    const step = x.step;
    for (let i = 0; i < n; i++) {
      if (++th.steps >= th.nextCheck) th.checkLimits();
      assign(fr, start + i * step);
      const r = body(fr);
      if (r !== Signal.Normal && r !== Signal.Continue) {
        if (r === Signal.Break) break;
        return r;
      }
    }
    return Signal.Normal;
  }
  if (x instanceof Tuple) {
    const es = x.elems;
    for (let i = 0; i < es.length; i++) {
      if (++th.steps >= th.nextCheck) th.checkLimits();
      assign(fr, es[i]);
      const r = body(fr);
      if (r !== Signal.Normal && r !== Signal.Continue) {
        if (r === Signal.Break) break;
        return r;
      }
    }
    return Signal.Normal;
  }
  if (x instanceof StarDict || x instanceof StarSet) {
    x.itercount++;
    try {
      for (const id of x.m.keys()) {
        if (++th.steps >= th.nextCheck) th.checkLimits();
        assign(fr, x.keyOf(id));
        const r = body(fr);
        if (r !== Signal.Normal && r !== Signal.Continue) {
          if (r === Signal.Break) break;
          return r;
        }
      }
    } finally {
      x.itercount--;
    }
    return Signal.Normal;
  }
  let es: Value[] | undefined;
  try {
    es = elemsOf(x);
  } catch (e) {
    throw attach(fr, e, pos);
  }
  if (es === undefined) {
    const hint = typeof x === 'string' ? ' (use .elems() or .codepoints() to iterate over a string)' : '';
    fail(fr, `${typeName(x)} value is not iterable${hint}`, pos);
  }
  for (let i = 0; i < es.length; i++) {
    if (++th.steps >= th.nextCheck) th.checkLimits();
    assign(fr, es[i]);
    const r = body(fr);
    if (r !== Signal.Normal && r !== Signal.Continue) {
      if (r === Signal.Break) break;
      return r;
    }
  }
  return Signal.Normal;
}

function unpack(fr: Frame, v: Value, n: number, pos: Position): Value[] {
  let es: Value[] | undefined;
  if (v instanceof Tuple || v instanceof StarList) es = v.elems;
  else es = elemsOf(v);
  if (es === undefined) fail(fr, `got ${typeName(v)} in sequence assignment`, pos);
  if (es.length !== n) {
    fail(fr, `${es.length > n ? 'too many' : 'too few'} values to unpack (got ${es.length}, want ${n})`, pos);
  }
  return es;
}

/** `x op= y`: lists extend in place for +=, dicts update in place for |=. */
function augmented(op: BinaryOperator, a: Value, b: Value): Value {
  if (op === '+' && a instanceof StarList) {
    const es = elemsOf(b);
    if (es === undefined) throw unsupported('+=', a, b);
    a.checkMutable('apply += to');
    const n = a.elems.length + es.length;
    if (n > MAX_SEQUENCE_LENGTH) throw new StarlarkError(sequenceTooLarge('list', n));
    appendAll(a.elems, es);
    return a;
  }
  if (op === '|' && a instanceof StarDict && b instanceof StarDict) {
    a.checkMutable('apply |= to');
    for (const [k, v] of b.items()) a.set(k, v);
    return a;
  }
  return binary(op, a, b);
}

// ----- the compiler --------------------------------------------------------------------------

interface FnCtx {
  info: FunctionInfo;
  ntemps: number;
}

export interface CompileEnv {
  globals: (Value | undefined)[];
  predeclared: Record<string, Value>;
  universe: Record<string, Value>;
  load: ModuleLoader;
  dialect: Dialect;
}

export interface CompiledModule {
  toplevel: S;
  nlocals: number;
}

export function compileFile(file: File, env: CompileEnv): CompiledModule {
  const c = new Compiler(env);
  const fc: FnCtx = { info: file.toplevel!, ntemps: 0 };
  c.fns.push(fc);
  const body = c.stmts(file.stmts);
  // Top-level comprehension variables captured by lambdas live in cells.
  const cells = fc.info.locals.filter((b) => b.scope === 'cell').map((b) => b.index);
  const toplevel: S =
    cells.length === 0
      ? body
      : (fr) => {
          for (const i of cells) fr.l[i] = new Cell(undefined);
          return body(fr);
        };
  return { toplevel, nlocals: fc.info.locals.length + fc.ntemps };
}

class Compiler {
  fns: FnCtx[] = [];
  constructor(private readonly env: CompileEnv) {}

  private get fn(): FnCtx {
    return this.fns[this.fns.length - 1];
  }

  private allocTemp(): number {
    const f = this.fn;
    return f.info.locals.length + f.ntemps++;
  }

  // ----- statements ------------------------------------------------------------------------

  stmts(list: Stmt[]): S {
    const ss = list.map((s) => this.stmt(s));
    const poss = list.map((s) => s.pos);
    const n = ss.length;
    if (n === 0) return () => Signal.Normal;
    if (n === 1) {
      const s0 = ss[0];
      const p0 = poss[0];
      return (fr) => {
        try {
          return s0(fr);
        } catch (e) {
          throw attach(fr, e, p0);
        }
      };
    }
    return (fr) => {
      let i = 0;
      try {
        for (; i < n; i++) {
          const r = ss[i](fr);
          if (r !== Signal.Normal) return r;
        }
        return Signal.Normal;
      } catch (e) {
        throw attach(fr, e, poss[i]);
      }
    };
  }

  private stmt(s: Stmt): S {
    switch (s.kind) {
      case 'ExprStmt': {
        const x = this.expr(s.x);
        return (fr) => {
          x(fr);
          return Signal.Normal;
        };
      }
      case 'AssignStmt':
        return s.op === '=' ? this.assignStmt(s.lhs, s.rhs) : this.augAssign(s.op, s.lhs, s.rhs, s.pos);
      case 'DefStmt': {
        const mk = this.function(s.name.name, s.pos, s.params, s.fn!, s.body, undefined);
        const store = this.assigner(s.name);
        return (fr) => {
          store(fr, mk(fr));
          return Signal.Normal;
        };
      }
      case 'IfStmt': {
        const c = this.expr(s.cond);
        const t = this.stmts(s.then);
        if (s.else.length === 0) return (fr) => (truthFast(c(fr)) ? t(fr) : Signal.Normal);
        const f = this.stmts(s.else);
        return (fr) => (truthFast(c(fr)) ? t(fr) : f(fr));
      }
      case 'ForStmt': {
        const x = this.expr(s.x);
        const assign = this.assigner(s.vars);
        const body = this.stmts(s.body);
        const pos = s.x.pos;
        return (fr) => loop(fr, x(fr), assign, body, pos);
      }
      case 'WhileStmt': {
        const c = this.expr(s.cond);
        const body = this.stmts(s.body);
        return (fr) => {
          const th = fr.th;
          while (truthFast(c(fr))) {
            if (++th.steps >= th.nextCheck) th.checkLimits();
            const r = body(fr);
            if (r !== Signal.Normal && r !== Signal.Continue) {
              if (r === Signal.Break) break;
              return r;
            }
          }
          return Signal.Normal;
        };
      }
      case 'BranchStmt': {
        const sig = s.token === 'break' ? Signal.Break : s.token === 'continue' ? Signal.Continue : Signal.Normal;
        return () => sig;
      }
      case 'ReturnStmt': {
        if (!s.result) {
          return (fr) => {
            fr.ret = None;
            return Signal.Return;
          };
        }
        const x = this.expr(s.result);
        return (fr) => {
          fr.ret = x(fr);
          return Signal.Return;
        };
      }
      case 'LoadStmt': {
        const module = s.module.value as string;
        const pos = s.module.pos;
        const targets = s.names.map((n) => ({ name: n.name, pos: n.namePos, store: this.assigner(n.local) }));
        const load = this.env.load;
        return (fr) => {
          let globals: Map<string, Value>;
          fr.pos = pos;
          try {
            globals = load(module, pos, fr.th);
          } catch (e) {
            throw attach(fr, e, pos);
          }
          for (const t of targets) {
            const v = globals.get(t.name);
            if (v === undefined) fail(fr, `load: name ${t.name} not found in module ${module}${didYouMean(t.name, globals.keys())}`, t.pos);
            t.store(fr, v);
          }
          return Signal.Normal;
        };
      }
    }
  }

  private assignStmt(lhs: Expr, rhs: Expr): S {
    const r = this.expr(rhs);
    if (lhs.kind === 'Ident') {
      const b = lhs.binding!;
      const i = b.index;
      if (b.scope === 'local') {
        return (fr) => {
          fr.l[i] = r(fr);
          return Signal.Normal;
        };
      }
      if (b.scope === 'global') {
        const g = this.env.globals;
        return (fr) => {
          g[i] = r(fr);
          return Signal.Normal;
        };
      }
    }
    const a = this.assigner(lhs);
    return (fr) => {
      a(fr, r(fr));
      return Signal.Normal;
    };
  }

  private augAssign(op: AssignOp, lhs: Expr, rhs: Expr, pos: Position): S {
    while (lhs.kind === 'ParenExpr') lhs = lhs.x; // `(a) += 1` is `a += 1`
    const bop = op.slice(0, -1) as BinaryOperator;
    const r = this.expr(rhs);
    const compute = (fr: Frame, a: Value, b: Value): Value => {
      if (typeof a === 'number' && typeof b === 'number') {
        let s: number;
        switch (bop) {
          case '+': s = a + b; break;
          case '-': s = a - b; break;
          case '*': s = a * b; break;
          default: s = NaN;
        }
        if (s <= MAX && s >= -MAX) return s === 0 ? 0 : s;
      }
      try {
        return augmented(bop, a, b);
      } catch (e) {
        throw attach(fr, e, pos);
      }
    };
    switch (lhs.kind) {
      case 'Ident': {
        const get = this.expr(lhs);
        const b = lhs.binding!;
        if (b.scope === 'local' && (bop === '+' || bop === '-')) {
          const plus = bop === '+';
          const i = b.index;
          return (fr) => {
            const a = get(fr);
            const y = r(fr);
            if (typeof a === 'number' && typeof y === 'number') {
              const s = plus ? a + y : a - y;
              if (s <= MAX && s >= -MAX) {
                fr.l[i] = s;
                return Signal.Normal;
              }
            } else if (plus && typeof a === 'string' && typeof y === 'string' && a.length + y.length <= MAX_STRING_LENGTH) {
              fr.l[i] = a + y;
              return Signal.Normal;
            }
            fr.l[i] = compute(fr, a, y);
            return Signal.Normal;
          };
        }
        const set = this.assigner(lhs);
        return (fr) => {
          set(fr, compute(fr, get(fr), r(fr)));
          return Signal.Normal;
        };
      }
      case 'IndexExpr': {
        const o = this.expr(lhs.x);
        const k = this.expr(lhs.index);
        const ipos = lhs.pos;
        return (fr) => {
          const ov = o(fr);
          const kv = k(fr);
          let cur: Value | undefined;
          const plain = ov instanceof StarDict && isPlainKey(kv);
          if (plain) cur = (ov as StarDict).m.get(kv);
          if (cur === undefined) {
            try {
              cur = index(ov, kv);
            } catch (e) {
              throw attach(fr, e, ipos);
            }
          }
          const nv = compute(fr, cur, r(fr));
          if (plain && !(ov as StarDict).frozen && (ov as StarDict).itercount === 0) {
            (ov as StarDict).m.set(kv, nv);
            return Signal.Normal;
          }
          try {
            setIndex(ov, kv, nv);
          } catch (e) {
            throw attach(fr, e, ipos);
          }
          return Signal.Normal;
        };
      }
      case 'DotExpr': {
        const o = this.expr(lhs.x);
        const name = lhs.name;
        const dpos = lhs.pos;
        return (fr) => {
          const ov = o(fr);
          let cur: Value;
          try {
            cur = getAttr(ov, name);
          } catch (e) {
            throw attach(fr, e, dpos);
          }
          const nv = compute(fr, cur, r(fr));
          try {
            setAttr(ov, name, nv);
          } catch (e) {
            throw attach(fr, e, dpos);
          }
          return Signal.Normal;
        };
      }
    }
    throw new StarlarkError(`internal error: invalid augmented assignment target ${lhs.kind}`);
  }

  /** A closure storing a value into an assignment target. */
  private assigner(e: Expr): Assign {
    switch (e.kind) {
      case 'Ident': {
        const b = e.binding!;
        const i = b.index;
        switch (b.scope) {
          case 'local':
            return (fr, v) => {
              fr.l[i] = v;
            };
          case 'cell':
            return (fr, v) => {
              (fr.l[i] as Cell).v = v;
            };
          case 'global': {
            const g = this.env.globals;
            return (_fr, v) => {
              g[i] = v;
            };
          }
          default:
            throw new StarlarkError(`internal error: cannot assign to ${b.scope} ${b.name}`);
        }
      }
      case 'ParenExpr':
        return this.assigner(e.x);
      case 'TupleExpr':
      case 'ListExpr': {
        const subs = e.elems.map((x) => this.assigner(x));
        const n = subs.length;
        const pos = e.pos;
        if (n === 2) {
          const [a0, a1] = subs;
          return (fr, v) => {
            const es = unpack(fr, v, 2, pos);
            a0(fr, es[0]);
            a1(fr, es[1]);
          };
        }
        return (fr, v) => {
          const es = unpack(fr, v, n, pos);
          for (let i = 0; i < n; i++) subs[i](fr, es[i]);
        };
      }
      case 'IndexExpr': {
        const o = this.expr(e.x);
        const k = this.expr(e.index);
        const pos = e.pos;
        return (fr, v) => {
          const ov = o(fr);
          const kv = k(fr);
          if (ov instanceof StarList && typeof kv === 'number' && kv >= 0 && kv < ov.elems.length && !ov.frozen && ov.itercount === 0) {
            ov.elems[kv] = v;
            return;
          }
          if (ov instanceof StarDict && !ov.frozen && ov.itercount === 0 && isPlainKey(kv)) {
            ov.m.set(kv, v);
            return;
          }
          try {
            setIndex(ov, kv, v);
          } catch (err) {
            throw attach(fr, err, pos);
          }
        };
      }
      case 'DotExpr': {
        const o = this.expr(e.x);
        const name = e.name;
        const pos = e.pos;
        return (fr, v) => {
          const ov = o(fr);
          try {
            setAttr(ov, name, v);
          } catch (err) {
            throw attach(fr, err, pos);
          }
        };
      }
    }
    throw new StarlarkError(`internal error: invalid assignment target ${e.kind}`);
  }

  // ----- functions -------------------------------------------------------------------------

  /** Compile a def/lambda; returns a closure that makes the function value at run time. */
  private function(name: string, pos: Position, params: Param[], info: FunctionInfo, body: Stmt[] | undefined, lambdaBody: Expr | undefined): (fr: Frame) => StarFunction {
    // Defaults are evaluated in the enclosing function.
    const defaultExprs: (E | undefined)[] = [];
    const paramNames: string[] = [];
    for (const p of params) {
      if (p.kind === 'Param') {
        paramNames.push(p.name.name);
        defaultExprs.push(p.default ? this.expr(p.default) : undefined);
      }
    }
    const fc: FnCtx = { info, ntemps: 0 };
    this.fns.push(fc);
    let compiled: S;
    if (body) {
      compiled = this.stmts(body);
    } else {
      const x = this.expr(lambdaBody!);
      const bpos = lambdaBody!.pos;
      compiled = (fr) => {
        try {
          fr.ret = x(fr);
        } catch (e) {
          throw attach(fr, e, bpos);
        }
        return Signal.Return;
      };
    }
    this.fns.pop();
    const numNamed = paramNames.length;
    const paramIndex = new Map<string, number>();
    paramNames.forEach((n, i) => paramIndex.set(n, i));
    const code: CompiledCode = {
      name,
      pos,
      paramNames,
      nlocals: info.locals.length + fc.ntemps,
      numPositional: numNamed - info.numKwonly,
      numNamed,
      simpleArity: info.numKwonly === 0 && !info.hasVarargs && !info.hasKwargs ? numNamed : -1,
      hasVarargs: info.hasVarargs,
      hasKwargs: info.hasKwargs,
      cellSlots: info.locals.filter((b) => b.scope === 'cell').map((b) => b.index),
      body: compiled,
      active: false,
      reentrant: this.env.dialect.recursion === true,
      paramIndex,
    };
    const freeSources = info.freevars.map((fv) => fv.parent);
    const globals = this.env.globals;
    const nd = defaultExprs.length;
    return (fr) => {
      const defaults: (Value | undefined)[] = new Array(nd);
      for (let i = 0; i < nd; i++) {
        const d = defaultExprs[i];
        defaults[i] = d === undefined ? undefined : d(fr);
      }
      const free: Cell[] = freeSources.map((p: Binding) => (p.scope === 'free' ? fr.free[p.index] : (fr.l[p.index] as Cell)));
      return new StarFunction(code, defaults, free, globals);
    };
  }

  // ----- expressions -----------------------------------------------------------------------

  expr(e: Expr): E {
    switch (e.kind) {
      case 'Ident':
        return this.ident(e.binding!, e.pos);
      case 'Literal': {
        let v: Value;
        if (e.token === 'float') v = new StarFloat(e.value as number);
        else v = e.value as Value;
        return () => v;
      }
      case 'ListExpr': {
        const es = e.elems.map((x) => this.expr(x));
        const n = es.length;
        return (fr) => {
          const a: Value[] = new Array(n);
          for (let i = 0; i < n; i++) a[i] = es[i](fr);
          return new StarList(a);
        };
      }
      case 'TupleExpr': {
        const es = e.elems.map((x) => this.expr(x));
        const n = es.length;
        if (n === 2) {
          const [x0, x1] = es;
          return (fr) => new Tuple([x0(fr), x1(fr)]);
        }
        return (fr) => {
          const a: Value[] = new Array(n);
          for (let i = 0; i < n; i++) a[i] = es[i](fr);
          return new Tuple(a);
        };
      }
      case 'DictExpr': {
        const ks = e.entries.map((en) => this.expr(en.key));
        const vs = e.entries.map((en) => this.expr(en.value));
        const ps = e.entries.map((en) => en.key.pos);
        const n = ks.length;
        return (fr) => {
          const d = new StarDict();
          for (let i = 0; i < n; i++) {
            const k = ks[i](fr);
            const v = vs[i](fr);
            try {
              if (d.has(k)) throw new StarlarkError(`duplicate key: ${repr(k)}`);
              d.set(k, v);
            } catch (err) {
              throw attach(fr, err, ps[i]);
            }
          }
          return d;
        };
      }
      case 'ParenExpr':
        return this.expr(e.x);
      case 'UnaryExpr': {
        const x = this.expr(e.x);
        const op = e.op;
        const pos = e.pos;
        if (op === 'not') return (fr) => !truthFast(x(fr));
        if (op === '-') {
          return (fr) => {
            const v = x(fr);
            if (typeof v === 'number') return v === 0 ? 0 : -v;
            try {
              return unary(op, v);
            } catch (err) {
              throw attach(fr, err, pos);
            }
          };
        }
        return (fr) => {
          const v = x(fr);
          try {
            return unary(op, v);
          } catch (err) {
            throw attach(fr, err, pos);
          }
        };
      }
      case 'BinaryExpr':
        if (e.op === '%' && e.x.kind === 'Literal' && e.x.token === 'string') {
          return this.percentLiteral(parsePercent(e.x.value as string), e.y, e.pos);
        }
        return this.binary(e.op, this.expr(e.x), this.expr(e.y), e.pos);
      case 'CondExpr': {
        const c = this.expr(e.cond);
        const t = this.expr(e.then);
        const f = this.expr(e.else);
        return (fr) => (truthFast(c(fr)) ? t(fr) : f(fr));
      }
      case 'CallExpr':
        return this.call(e.fn, e.args, e.pos);
      case 'DotExpr': {
        const x = this.expr(e.x);
        const name = e.name;
        const pos = e.pos;
        return (fr) => {
          const v = x(fr);
          try {
            return getAttr(v, name);
          } catch (err) {
            throw attach(fr, err, pos);
          }
        };
      }
      case 'IndexExpr': {
        const x = this.expr(e.x);
        const k = this.expr(e.index);
        const pos = e.pos;
        return (fr) => {
          const xv = x(fr);
          const kv = k(fr);
          if (xv instanceof StarDict) {
            if (isPlainKey(kv)) {
              const v = xv.m.get(kv);
              if (v !== undefined) return v;
            }
          } else if (typeof kv === 'number' && (xv instanceof StarList || xv instanceof Tuple)) {
            const es = xv.elems;
            const i = kv < 0 ? kv + es.length : kv;
            if (i >= 0 && i < es.length) return es[i];
          }
          try {
            return index(xv, kv);
          } catch (err) {
            throw attach(fr, err, pos);
          }
        };
      }
      case 'SliceExpr': {
        const x = this.expr(e.x);
        const lo = e.lo ? this.expr(e.lo) : () => None;
        const hi = e.hi ? this.expr(e.hi) : () => None;
        const st = e.step ? this.expr(e.step) : () => None;
        const pos = e.pos;
        return (fr) => {
          const xv = x(fr);
          const a = lo(fr);
          const b = hi(fr);
          const c = st(fr);
          try {
            return slice(xv, a, b, c);
          } catch (err) {
            throw attach(fr, err, pos);
          }
        };
      }
      case 'LambdaExpr':
        return this.lambda(e);
      case 'Comprehension':
        return this.comprehension(e);
    }
  }

  /** `"literal" % y` with the format parsed at compile time; a tuple display on the right is
   *  evaluated straight into the operand array. */
  private percentLiteral(t: PercentTemplate, y: Expr, pos: Position): E {
    if (y.kind === 'TupleExpr') {
      const es = y.elems.map((x) => this.expr(x));
      const n = es.length;
      return (fr) => {
        const a: Value[] = new Array(n);
        for (let i = 0; i < n; i++) a[i] = es[i](fr);
        try {
          return applyPercent(t, a, undefined);
        } catch (err) {
          throw attach(fr, err, pos);
        }
      };
    }
    const ye = this.expr(y);
    return (fr) => {
      const v = ye(fr);
      try {
        if (v instanceof Tuple) return applyPercent(t, v.elems, undefined);
        return applyPercent(t, [v], v instanceof StarDict ? v : undefined);
      } catch (err) {
        throw attach(fr, err, pos);
      }
    };
  }

  private lambda(e: LambdaExpr): E {
    return this.function('lambda', e.pos, e.params, e.fn!, undefined, e.body);
  }

  private ident(b: Binding, pos: Position): E {
    const i = b.index;
    const name = b.name;
    switch (b.scope) {
      case 'local':
        if (b.isParam) return (fr) => fr.l[i];
        return (fr) => {
          const v = fr.l[i];
          if (v === undefined) fail(fr, `local variable ${name} referenced before assignment`, pos);
          return v;
        };
      case 'cell':
        return (fr) => {
          const v = (fr.l[i] as Cell).v;
          if (v === undefined) fail(fr, `local variable ${name} referenced before assignment`, pos);
          return v;
        };
      case 'free':
        return (fr) => {
          const v = fr.free[i].v;
          if (v === undefined) fail(fr, `local variable ${name} referenced before assignment`, pos);
          return v;
        };
      case 'global': {
        const g = this.env.globals;
        // Loaded names are file-local in starlark-go unless load binds globally.
        const kind = b.fromLoad && !this.env.dialect.loadBindsGlobally ? 'local' : 'global';
        return (fr) => {
          const v = g[i];
          if (v === undefined) fail(fr, `${kind} variable ${name} referenced before assignment`, pos);
          return v;
        };
      }
      case 'predeclared': {
        const v = this.env.predeclared[name];
        return () => v;
      }
      case 'universal': {
        const v = this.env.universe[name];
        if (v === undefined) return (fr) => fail(fr, `undefined: ${name}`, pos);
        return () => v;
      }
    }
  }

  private binary(op: BinaryOp, x: E, y: E, pos: Position): E {
    const slow = (fr: Frame, a: Value, b: Value): Value => {
      try {
        return binary(op as BinaryOperator, a, b);
      } catch (e) {
        throw attach(fr, e, pos);
      }
    };
    switch (op) {
      case 'and':
        return (fr) => {
          const a = x(fr);
          return truthFast(a) ? y(fr) : a;
        };
      case 'or':
        return (fr) => {
          const a = x(fr);
          return truthFast(a) ? a : y(fr);
        };
      case '+':
        return (fr) => {
          const a = x(fr);
          const b = y(fr);
          if (typeof a === 'number') {
            if (typeof b === 'number') {
              const r = a + b;
              if (r <= MAX && r >= -MAX) return r;
            }
          } else if (typeof a === 'string' && typeof b === 'string') {
            if (a.length + b.length <= MAX_STRING_LENGTH) return a + b;
          }
          return slow(fr, a, b);
        };
      case '-':
        return (fr) => {
          const a = x(fr);
          const b = y(fr);
          if (typeof a === 'number' && typeof b === 'number') {
            const r = a - b;
            if (r <= MAX && r >= -MAX) return r;
          }
          return slow(fr, a, b);
        };
      case '*':
        return (fr) => {
          const a = x(fr);
          const b = y(fr);
          if (typeof a === 'number' && typeof b === 'number') {
            const r = a * b;
            if (r <= MAX && r >= -MAX) return r === 0 ? 0 : r;
          }
          return slow(fr, a, b);
        };
      case '//':
        return (fr) => {
          const a = x(fr);
          const b = y(fr);
          if (typeof a === 'number' && typeof b === 'number' && b !== 0) return intFloorDiv(a, b);
          return slow(fr, a, b);
        };
      case '%':
        return (fr) => {
          const a = x(fr);
          const b = y(fr);
          if (typeof a === 'number' && typeof b === 'number' && b !== 0) {
            if (a >= 0 && b > 0) return a % b;
            return intMod(a, b);
          }
          if (typeof a === 'string') {
            try {
              return percentFormat(a, b);
            } catch (e) {
              throw attach(fr, e, pos);
            }
          }
          return slow(fr, a, b);
        };
      case '==':
        return (fr) => {
          const a = x(fr);
          const b = y(fr);
          if (a === b && typeof a !== 'object') return true;
          return equals(a, b);
        };
      case '!=':
        return (fr) => {
          const a = x(fr);
          const b = y(fr);
          if (a === b && typeof a !== 'object') return false;
          return !equals(a, b);
        };
      case '<':
        return (fr) => {
          const a = x(fr);
          const b = y(fr);
          if (typeof a === 'number' && typeof b === 'number') return a < b;
          return slow(fr, a, b);
        };
      case '<=':
        return (fr) => {
          const a = x(fr);
          const b = y(fr);
          if (typeof a === 'number' && typeof b === 'number') return a <= b;
          return slow(fr, a, b);
        };
      case '>':
        return (fr) => {
          const a = x(fr);
          const b = y(fr);
          if (typeof a === 'number' && typeof b === 'number') return a > b;
          return slow(fr, a, b);
        };
      case '>=':
        return (fr) => {
          const a = x(fr);
          const b = y(fr);
          if (typeof a === 'number' && typeof b === 'number') return a >= b;
          return slow(fr, a, b);
        };
      case 'in':
      case 'not in': {
        const negate = op === 'not in';
        return (fr) => {
          const a = x(fr);
          const b = y(fr);
          if (b instanceof StarDict && isPlainKey(a)) return negate ? !b.m.has(a) : b.m.has(a);
          try {
            const r = contains(b, a);
            return negate ? !r : r;
          } catch (e) {
            throw attach(fr, e, pos);
          }
        };
      }
      default:
        return (fr) => slow(fr, x(fr), y(fr));
    }
  }

  private call(fnExpr: Expr, args: Argument[], pos: Position): E {
    const simple = args.every((a) => a.kind === 'Positional');
    const pe = args.filter((a) => a.kind === 'Positional').map((a) => this.expr(a.value));
    const np = pe.length;
    let evalArgs: (fr: Frame) => Value[];
    if (np === 0) evalArgs = () => [];
    else if (np === 1) {
      const a0 = pe[0];
      evalArgs = (fr) => [a0(fr)];
    } else if (np === 2) {
      const [a0, a1] = pe;
      evalArgs = (fr) => [a0(fr), a1(fr)];
    } else {
      evalArgs = (fr) => {
        const out: Value[] = new Array(np);
        for (let i = 0; i < np; i++) out[i] = pe[i](fr);
        return out;
      };
    }
    let evalAll: (fr: Frame) => [Value[], Kwargs];
    if (simple) {
      evalAll = (fr) => [evalArgs(fr), NO_KWARGS];
    } else {
      const kws = args.filter((a) => a.kind === 'Keyword').map((a) => [(a as { name: string }).name, this.expr(a.value)] as const);
      const star = args.find((a) => a.kind === 'Star');
      const starstar = args.find((a) => a.kind === 'StarStar');
      const se = star ? this.expr(star.value) : undefined;
      const sse = starstar ? this.expr(starstar.value) : undefined;
      const spos = star?.pos;
      const sspos = starstar?.pos;
      evalAll = (fr) => {
        const positional = evalArgs(fr);
        const kwargs: Kwargs = [];
        for (const [k, x] of kws) kwargs.push([k, x(fr)]);
        if (se) {
          const v = se(fr);
          const es = v instanceof Tuple || v instanceof StarList ? v.elems : elemsOf(v);
          if (es === undefined) fail(fr, `argument after * must be iterable, not ${typeName(v)}`, spos!);
          for (const x of es) positional.push(x);
        }
        if (sse) {
          const v = sse(fr);
          if (!(v instanceof StarDict)) fail(fr, `argument after ** must be a dict, not ${typeName(v)}`, sspos!);
          for (const [k, x] of v.items()) {
            if (typeof k !== 'string') fail(fr, `keywords must be strings, not ${typeName(k)}`, sspos!);
            kwargs.push([k, x]);
          }
        }
        return [positional, kwargs];
      };
    }

    if (fnExpr.kind === 'DotExpr') {
      const recv = this.expr(fnExpr.x);
      const name = fnExpr.name;
      const invoke = methodCaller(name, pos, fnExpr.pos);
      if (simple && name === 'append' && np === 1) {
        const a0 = pe[0];
        return (fr) => {
          const r = recv(fr);
          const x = a0(fr);
          if (r instanceof StarList && !r.frozen && r.itercount === 0) {
            r.elems.push(x);
            return None;
          }
          return invoke(fr, r, [x], NO_KWARGS);
        };
      }
      if (simple && name === 'get' && (np === 1 || np === 2)) {
        const a0 = pe[0];
        const a1 = np === 2 ? pe[1] : undefined;
        return (fr) => {
          const r = recv(fr);
          const k = a0(fr);
          const d = a1 === undefined ? None : a1(fr);
          if (r instanceof StarDict && isPlainKey(k)) {
            const v = r.m.get(k);
            return v === undefined ? d : v;
          }
          return invoke(fr, r, a1 === undefined ? [k] : [k, d], NO_KWARGS);
        };
      }
      if (name === 'format' && fnExpr.x.kind === 'Literal' && fnExpr.x.token === 'string') {
        // A literal format string is parsed once, here.
        const t = parseFormat(fnExpr.x.value as string);
        if (simple) {
          return (fr) => {
            const a = evalArgs(fr);
            fr.pos = pos;
            try {
              return applyFormat(t, a, NO_KWARGS);
            } catch (e) {
              throw builtinError(fr, e, name, pos);
            }
          };
        }
        return (fr) => {
          const [a, k] = evalAll(fr);
          fr.pos = pos;
          try {
            return applyFormat(t, a, k);
          } catch (e) {
            throw builtinError(fr, e, name, pos);
          }
        };
      }
      // String methods with an allocation-free form for this many plain arguments: try it
      // first; it declines (undefined) whenever the general method is needed.
      if (simple && np === 0 && stringFast0[name] !== undefined) {
        const f0 = stringFast0[name];
        return (fr) => {
          const r = recv(fr);
          if (typeof r === 'string') {
            const v = f0(r);
            if (v !== undefined) return v;
          }
          return invoke(fr, r, NO_ARGS, NO_KWARGS);
        };
      }
      if (simple && np === 1 && stringFast1[name] !== undefined) {
        const f1 = stringFast1[name];
        const a0 = pe[0];
        return (fr) => {
          const r = recv(fr);
          const x = a0(fr);
          if (typeof r === 'string') {
            const v = f1(r, x);
            if (v !== undefined) return v;
          }
          return invoke(fr, r, [x], NO_KWARGS);
        };
      }
      if (simple && np === 2 && stringFast2[name] !== undefined) {
        const f2 = stringFast2[name];
        const [a0, a1] = pe;
        return (fr) => {
          const r = recv(fr);
          const x = a0(fr);
          const y = a1(fr);
          if (typeof r === 'string') {
            const v = f2(r, x, y);
            if (v !== undefined) return v;
          }
          return invoke(fr, r, [x, y], NO_KWARGS);
        };
      }
      if (simple && np === 0) {
        // Methods never keep or mutate their argument array, so zero-argument calls share one.
        return (fr) => invoke(fr, recv(fr), NO_ARGS, NO_KWARGS);
      }
      if (simple) {
        return (fr) => {
          const r = recv(fr);
          return invoke(fr, r, evalArgs(fr), NO_KWARGS);
        };
      }
      return (fr) => {
        const r = recv(fr);
        const [a, k] = evalAll(fr);
        return invoke(fr, r, a, k);
      };
    }
    const f = this.expr(fnExpr);
    if (simple && np === 1) {
      const a0 = pe[0];
      return (fr) => {
        const fv = f(fr);
        const x = a0(fr);
        if (fv instanceof Builtin && fv.fast1 !== undefined) {
          const v = fv.fast1(x);
          if (v !== undefined) return v;
        }
        fr.pos = pos;
        if (fv instanceof StarFunction) return callFunction(fr.th, fv, [x], NO_KWARGS, pos, true);
        return callValue(fr, fv, [x], NO_KWARGS, pos);
      };
    }
    if (simple) {
      return (fr) => {
        const fv = f(fr);
        const a = evalArgs(fr);
        fr.pos = pos;
        if (fv instanceof StarFunction) return callFunction(fr.th, fv, a, NO_KWARGS, pos, true);
        return callValue(fr, fv, a, NO_KWARGS, pos);
      };
    }
    return (fr) => {
      const fv = f(fr);
      const [a, k] = evalAll(fr);
      fr.pos = pos;
      return callValue(fr, fv, a, k, pos);
    };
  }

  private comprehension(c: Comprehension): E {
    const slot = this.allocTemp();
    let emit: S;
    if (c.curly) {
      const body = c.body as { key: Expr; value: Expr; pos: Position };
      const k = this.expr(body.key);
      const v = this.expr(body.value);
      const kpos = body.key.pos;
      emit = (fr) => {
        const kv = k(fr);
        const vv = v(fr);
        try {
          (fr.l[slot] as StarDict).set(kv, vv);
        } catch (e) {
          throw attach(fr, e, kpos);
        }
        return Signal.Normal;
      };
    } else {
      const x = this.expr(c.body as Expr);
      emit = (fr) => {
        (fr.l[slot] as Value[]).push(x(fr));
        return Signal.Normal;
      };
    }
    const run = this.clauses(c.clauses, 0, emit);
    if (c.curly) {
      return (fr) => {
        const saved = fr.l[slot];
        const d = new StarDict();
        fr.l[slot] = d;
        try {
          run(fr);
        } finally {
          fr.l[slot] = saved;
        }
        return d;
      };
    }
    return (fr) => {
      const saved = fr.l[slot];
      const acc: Value[] = [];
      fr.l[slot] = acc;
      try {
        run(fr);
      } finally {
        fr.l[slot] = saved;
      }
      return new StarList(acc);
    };
  }

  private clauses(cs: Clause[], i: number, emit: S): S {
    if (i === cs.length) return emit;
    const cl = cs[i];
    const inner = this.clauses(cs, i + 1, emit);
    if (cl.kind === 'IfClause') {
      const cond = this.expr(cl.cond);
      return (fr) => (truthFast(cond(fr)) ? inner(fr) : Signal.Normal);
    }
    const x = this.expr(cl.x);
    const assign = this.assigner(cl.vars);
    const pos = cl.x.pos;
    return (fr) => loop(fr, x(fr), assign, inner, pos);
  }
}

/** Keys that are their own hash-table id (see keyId): ints in the safe range and most strings. */
function isPlainKey(k: Value): k is number | string {
  return typeof k === 'number' || (typeof k === 'string' && (k.length === 0 || k.charCodeAt(0) !== 0));
}

function truthFast(v: Value): boolean {
  if (v === true) return true;
  if (v === false) return false;
  return truth(v);
}

export type { DefStmt };
