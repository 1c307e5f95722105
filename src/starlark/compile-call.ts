// Compiling call expressions: evaluating the arguments (positional, keyword, *args, **kwargs)
// and the call itself, with allocation-free paths for common shapes (list.append, dict.get,
// string methods with a fast form, a literal's .format, builtins with a one-argument form).

import type { Argument, Expr } from './ast.js';
import type { Compiling } from './compile-env.js';
import { callFunction } from './call-function.js';
import { methodCaller } from './call-method.js';
import { builtinError, callValue } from './call-value.js';
import type { Position } from './errors.js';
import { applyFormat, parseFormat } from './format.js';
import { fail, type ExprCode as E, type Frame } from './frame.js';
import { elemsOf } from './iterate.js';
import { stringFast0, stringFast1, stringFast2 } from './string-methods.js';
import {
  Builtin, isPlainKey, None, StarDict, StarFunction, StarList, Tuple, typeName, type Kwargs, type Value,
} from './values.js';

const NO_KWARGS: Kwargs = Object.freeze([]) as unknown as Kwargs;
const NO_ARGS: Value[] = Object.freeze([]) as unknown as Value[];

/** A call `f(args)`; for `x.name(args)` the method is called without materialising a bound method. */
export function compileCall(c: Compiling, fnExpr: Expr, args: Argument[], pos: Position): E {
  const simple = args.every((a) => a.kind === 'Positional');
  const pe = args.filter((a) => a.kind === 'Positional').map((a) => c.expr(a.value));
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
    const kws = args.filter((a) => a.kind === 'Keyword').map((a) => [(a as { name: string }).name, c.expr(a.value)] as const);
    const star = args.find((a) => a.kind === 'Star');
    const starstar = args.find((a) => a.kind === 'StarStar');
    const se = star ? c.expr(star.value) : undefined;
    const sse = starstar ? c.expr(starstar.value) : undefined;
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
    const recv = c.expr(fnExpr.x);
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
  const f = c.expr(fnExpr);
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
