// A fault primitive (deny, delay, ...) called inside a function body runs only when its test runs,
// so an unknown errno or an absurd duration there would surface halfway through a run. Each such
// call whose arguments are all literals is evaluated once while the spec loads, by the builtin
// itself (one definition of what is valid), and a refusal becomes a SpecError at the call.
import { SpecError } from '../errors.js';
import {
  Builtin, StarFloat, StarlarkError, walk, type CallContext, type Kwargs, type Node, type Value, type ast,
} from '../starlark/index.js';
import { localsOf, type ScannedFile } from './trapped.js';

/** A literal argument's value, or undefined when the argument is not a constant. */
function constantValue(e: ast.Expr): Value | undefined {
  if (e.kind === 'Literal') {
    if (e.token === 'float') return new StarFloat(e.value as number);
    return e.token === 'bytes' ? undefined : e.value;
  }
  if (e.kind === 'Ident' && (e.name === 'True' || e.name === 'False')) return e.name === 'True';
  return undefined;
}

function constantArgs(call: ast.CallExpr): { args: Value[]; kwargs: Kwargs } | undefined {
  const args: Value[] = [];
  const kwargs: Kwargs = [];
  for (const a of call.args) {
    if (a.kind === 'Star' || a.kind === 'StarStar') return undefined;
    const v = constantValue(a.value);
    if (v === undefined) return undefined;
    if (a.kind === 'Positional') args.push(v);
    else kwargs.push([a.name, v]);
  }
  return { args, kwargs };
}

/**
 * Evaluates every literal-argument call of `primitives` in the files' function bodies. A name a
 * module or an enclosing function rebinds is not the primitive, and is left alone.
 */
export function checkConstantFaultCalls(files: readonly ScannedFile[], primitives: readonly Builtin[], ctx: CallContext): void {
  const byName = new Map(primitives.map((b) => [b.name, b]));
  for (const file of files) {
    const shadowed = (name: string, scopes: readonly ReadonlySet<string>[]): boolean =>
      file.globals.has(name) || (file.imports?.has(name) ?? false) || scopes.some((s) => s.has(name));
    const visit = (nodes: readonly Node[], scopes: readonly ReadonlySet<string>[]): void => {
      for (const node of nodes) {
        walk(node, (n) => {
          if (n.kind === 'DefStmt' || n.kind === 'LambdaExpr') {
            const defaults = n.params.flatMap((p) => (p.kind === 'Param' && p.default ? [p.default] : []));
            visit(defaults, scopes);
            visit(n.kind === 'DefStmt' ? n.body : [n.body], [...scopes, localsOf(n)]);
            return false;
          }
          // Calls at module level already ran while the spec loaded.
          if (n.kind !== 'CallExpr' || scopes.length === 0 || n.fn.kind !== 'Ident') return true;
          const primitive = byName.get(n.fn.name);
          if (!primitive || shadowed(n.fn.name, scopes)) return true;
          const constant = constantArgs(n);
          if (!constant) return true;
          try {
            primitive.impl(ctx, constant.args, constant.kwargs);
          } catch (err) {
            if (!(err instanceof StarlarkError)) throw err;
            const pos = n.fn.pos;
            throw new SpecError(`${pos.file}:${pos.line}:${pos.col}: ${err.message}`, pos);
          }
          return true;
        });
      }
    };
    visit(file.ast.stmts, []);
  }
}
