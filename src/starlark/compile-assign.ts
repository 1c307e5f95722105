// Compiling assignments: `=` and `op=` statements, and the store closures of assignment targets
// (names, tuple/list unpacking, x[k], x.name) that for loops, comprehensions and load share.

import type { AssignOp, Expr } from './ast.js';
import type { Compiling } from './compile-env.js';
import { StarlarkError, type Position } from './errors.js';
import { attach, fail, Signal, type Frame, type StmtCode as S, type StoreCode as Assign } from './frame.js';
import { elemsOf } from './iterate.js';
import { MAX_SEQUENCE_LENGTH, MAX_STRING_LENGTH, sequenceTooLarge } from './limits.js';
import { binary, getAttr, index, setAttr, setIndex, unsupported, type BinaryOperator } from './ops.js';
import { appendAll, isPlainKey, StarDict, StarList, Tuple, typeName, type Cell, type Value } from './values.js';

const MAX = Number.MAX_SAFE_INTEGER;

/** `lhs = rhs`; plain local and global names store directly. */
export function compileAssignStmt(c: Compiling, lhs: Expr, rhs: Expr): S {
  const r = c.expr(rhs);
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
      const g = c.env.globals;
      return (fr) => {
        g[i] = r(fr);
        return Signal.Normal;
      };
    }
  }
  const a = c.assigner(lhs);
  return (fr) => {
    a(fr, r(fr));
    return Signal.Normal;
  };
}

/** `lhs op= rhs`: the target's parts are evaluated once; `+=`/`-=` on a local int or string is inline. */
export function compileAugAssign(c: Compiling, op: AssignOp, lhs: Expr, rhs: Expr, pos: Position): S {
  while (lhs.kind === 'ParenExpr') lhs = lhs.x; // `(a) += 1` is `a += 1`
  const bop = op.slice(0, -1) as BinaryOperator;
  const r = c.expr(rhs);
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
      const get = c.expr(lhs);
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
      const set = c.assigner(lhs);
      return (fr) => {
        set(fr, compute(fr, get(fr), r(fr)));
        return Signal.Normal;
      };
    }
    case 'IndexExpr': {
      const o = c.expr(lhs.x);
      const k = c.expr(lhs.index);
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
      const o = c.expr(lhs.x);
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
export function compileAssigner(c: Compiling, e: Expr): Assign {
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
          const g = c.env.globals;
          return (_fr, v) => {
            g[i] = v;
          };
        }
        default:
          throw new StarlarkError(`internal error: cannot assign to ${b.scope} ${b.name}`);
      }
    }
    case 'ParenExpr':
      return c.assigner(e.x);
    case 'TupleExpr':
    case 'ListExpr': {
      const subs = e.elems.map((x) => c.assigner(x));
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
      const o = c.expr(e.x);
      const k = c.expr(e.index);
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
      const o = c.expr(e.x);
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
