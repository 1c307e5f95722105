// Compiling list and dict comprehensions: the result accumulates in a temporary local slot of the
// enclosing function, and the for/if clauses become nested closures around adding one element.

import type { Clause, Comprehension, Expr } from './ast.js';
import type { Compiling } from './compile-env.js';
import type { Position } from './errors.js';
import { attach, Signal, type ExprCode as E, type StmtCode as S } from './frame.js';
import { runLoop } from './run-loop.js';
import { StarDict, StarList, truthFast, type Value } from './values.js';

/** `[x for ...]` or `{k: v for ...}`. */
export function compileComprehension(c: Compiling, comp: Comprehension): E {
  const slot = c.allocTemp();
  let emit: S;
  if (comp.curly) {
    const body = comp.body as { key: Expr; value: Expr; pos: Position };
    const k = c.expr(body.key);
    const v = c.expr(body.value);
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
    const x = c.expr(comp.body as Expr);
    emit = (fr) => {
      (fr.l[slot] as Value[]).push(x(fr));
      return Signal.Normal;
    };
  }
  const run = clauses(c, comp.clauses, 0, emit);
  if (comp.curly) {
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

function clauses(c: Compiling, cs: Clause[], i: number, emit: S): S {
  if (i === cs.length) return emit;
  const cl = cs[i];
  const inner = clauses(c, cs, i + 1, emit);
  if (cl.kind === 'IfClause') {
    const cond = c.expr(cl.cond);
    return (fr) => (truthFast(cond(fr)) ? inner(fr) : Signal.Normal);
  }
  const x = c.expr(cl.x);
  const assign = c.assigner(cl.vars);
  const pos = cl.x.pos;
  return (fr) => runLoop(fr, x(fr), assign, inner, pos);
}
