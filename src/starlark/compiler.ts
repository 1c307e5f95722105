// Compiler: turns the resolved syntax tree into a tree of JS closures, once. Each expression
// becomes `(fr) => Value`, each statement `(fr) => Signal`; locals live in `fr.l` at slots
// assigned by the resolver. This file walks statements and expressions, names and defs; the
// constructs with inline fast paths have their own compilers (compile-assign, compile-operators,
// compile-call, compile-comprehension), and calls run through the call protocol (call-*.ts).

import type { Binding, Expr, File, FunctionInfo, LambdaExpr, Param, Stmt } from './ast.js';
import { compileAssigner, compileAssignStmt, compileAugAssign } from './compile-assign.js';
import { compileCall } from './compile-call.js';
import { compileComprehension } from './compile-comprehension.js';
import type { CompileEnv, Compiling } from './compile-env.js';
import { compileBinary, compilePercentLiteral, compileUnary } from './compile-operators.js';
import { StarlarkError, type Position } from './errors.js';
import { parsePercent } from './format.js';
import {
  attach, fail, Signal, type CompiledCode, type ExprCode as E, type Frame, type StmtCode as S, type StoreCode as Assign,
} from './frame.js';
import { getAttr, index, slice } from './ops.js';
import { repr } from './repr.js';
import { didYouMean } from './resolver.js';
import { runLoop } from './run-loop.js';
import { Cell, isPlainKey, None, StarDict, StarFloat, StarFunction, StarList, truthFast, Tuple, type Value } from './values.js';

// ----- the compiler --------------------------------------------------------------------------

interface FnCtx {
  info: FunctionInfo;
  ntemps: number;
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

class Compiler implements Compiling {
  fns: FnCtx[] = [];
  constructor(readonly env: CompileEnv) {}

  private get fn(): FnCtx {
    return this.fns[this.fns.length - 1];
  }

  allocTemp(): number {
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
        return s.op === '=' ? compileAssignStmt(this, s.lhs, s.rhs) : compileAugAssign(this, s.op, s.lhs, s.rhs, s.pos);
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
        return (fr) => runLoop(fr, x(fr), assign, body, pos);
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

  /** A closure storing a value into an assignment target. */
  assigner(e: Expr): Assign {
    return compileAssigner(this, e);
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
      case 'UnaryExpr':
        return compileUnary(e.op, this.expr(e.x), e.pos);
      case 'BinaryExpr':
        if (e.op === '%' && e.x.kind === 'Literal' && e.x.token === 'string') {
          return compilePercentLiteral(this, parsePercent(e.x.value as string), e.y, e.pos);
        }
        return compileBinary(e.op, this.expr(e.x), this.expr(e.y), e.pos);
      case 'CondExpr': {
        const c = this.expr(e.cond);
        const t = this.expr(e.then);
        const f = this.expr(e.else);
        return (fr) => (truthFast(c(fr)) ? t(fr) : f(fr));
      }
      case 'CallExpr':
        return compileCall(this, e.fn, e.args, e.pos);
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
        return compileComprehension(this, e);
    }
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
}
