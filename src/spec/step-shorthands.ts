// `faultbox check` refuses a step shorthand (`svc.post(...)`) on a service that does not have
// exactly one interface, as `faultbox test` does when the line runs: every `name.method(` in the
// scanned files whose `name` is a global service (not shadowed by a local of an enclosing
// function) is asked for that attribute, so the refusal and its wording are ServiceValue's own.
import { SpecError } from '../errors.js';
import { StarlarkError, walk, type Node, type Value } from '../starlark/index.js';
import { localsOf, type ScannedFile } from './trapped.js';
import { ALL_STEP_METHODS } from './values/step.js';
import { ServiceValue } from './values/service.js';

export function checkStepShorthands(files: readonly ScannedFile[]): void {
  for (const file of files) visit(file.ast.stmts, file, new Set());
}

function visit(nodes: readonly Node[], file: ScannedFile, locals: ReadonlySet<string>): void {
  for (const node of nodes) {
    walk(node, (n) => {
      if (n.kind === 'DefStmt' || n.kind === 'LambdaExpr') {
        const inner = new Set([...locals, ...localsOf(n)]);
        visit(n.kind === 'DefStmt' ? n.body : [n.body], file, inner);
        return false;
      }
      if (n.kind !== 'CallExpr' || n.fn.kind !== 'DotExpr' || n.fn.x.kind !== 'Ident') return true;
      const dot = n.fn;
      const name = (dot.x as { name: string }).name;
      if (!ALL_STEP_METHODS.includes(dot.name) || locals.has(name)) return true;
      const target: Value | undefined = file.globals.get(name) ?? file.imports?.get(name);
      if (!(target instanceof ServiceValue)) return true;
      try {
        target.attr(dot.name);
      } catch (e) {
        if (!(e instanceof StarlarkError)) throw e;
        const { file: f, line, col } = dot.namePos;
        throw new SpecError(`${f}:${line}:${col}: ${e.message}`, { file: f, line, col });
      }
      return true;
    });
  }
}
