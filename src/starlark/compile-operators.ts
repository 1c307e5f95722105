// Compiling operator expressions. Each closure tries an inline fast path (small ints, short
// strings, dicts keyed by plain keys) and falls back to ops.ts, attaching the operator's
// position to the error.

import type { BinaryOp, Expr, UnaryOp } from './ast.js';
import type { Compiling } from './compile-env.js';
import { equals } from './compare.js';
import type { Position } from './errors.js';
import { applyPercent, percentFormat, type PercentTemplate } from './format.js';
import { attach, type ExprCode as E, type Frame } from './frame.js';
import { intFloorDiv, intMod } from './int.js';
import { MAX_STRING_LENGTH } from './limits.js';
import { binary, contains, unary, type BinaryOperator } from './ops.js';
import { isPlainKey, StarDict, truthFast, Tuple, type Value } from './values.js';

const MAX = Number.MAX_SAFE_INTEGER;

/** A binary operator applied to the compiled operands `x` and `y`. */
export function compileBinary(op: BinaryOp, x: E, y: E, pos: Position): E {
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

/** A unary operator applied to the compiled operand `x`; `-` negates small ints inline. */
export function compileUnary(op: UnaryOp, x: E, pos: Position): E {
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

/** `"literal" % y` with the format parsed at compile time; a tuple display on the right is
 *  evaluated straight into the operand array. */
export function compilePercentLiteral(c: Compiling, t: PercentTemplate, y: Expr, pos: Position): E {
  if (y.kind === 'TupleExpr') {
    const es = y.elems.map((x) => c.expr(x));
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
  const ye = c.expr(y);
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
