// Which syscalls a test's body can arm rules on, per service, read from its syntax: the fault(),
// fault_start(), trace() and trace_start() calls in the test function and in every global
// function it names (called or passed along, e.g. `run=helper`), followed transitively, plus the
// rules of any fault_assumption it names. A filter is fixed when a service starts, so
// `faultbox test` uses this to start each service with what that one test needs before the body
// runs, instead of discovering it halfway through the body and starting over.
//
// A function defined inside another (a closure from a factory, a lambda in a def) is read with
// its enclosing functions' names as locals, so a target it gets from them counts as unresolved
// (all filtered services), never as a same-named global. Undefined means "cannot tell" (a
// function whose definition is in no scanned file); the caller then uses the spec-wide filters.
import { StarFunction, walk, type Node, type Value, type ast } from '../starlark/index.js';
import type { ServiceDecl } from './model.js';
import { SYSCALL_NAMES, type SyscallName } from './syscall-families.js';
import { localsOf, scanNodes, type ScannedFile } from './trapped.js';
import { AssumptionValue } from './values/assumption.js';

export type BodyTrapped = Record<string, SyscallName[]>;

interface FunctionSite {
  readonly fn: ast.DefStmt | ast.LambdaExpr;
  readonly file: ScannedFile;
  /** Locals of the functions it is nested in, outermost first. */
  readonly scopes: readonly ReadonlySet<string>[];
}

function posKey(pos: { file: string; line: number; col: number }): string {
  return `${pos.file}:${pos.line}:${pos.col}`;
}

/** Indexes every def and lambda of the scanned files by position, once per spec. */
export class TestReach {
  private readonly fns = new Map<string, FunctionSite>();

  constructor(
    files: readonly ScannedFile[],
    private readonly services: readonly ServiceDecl[],
  ) {
    for (const file of files) this.index(file.ast.stmts, file, []);
  }

  private index(nodes: readonly Node[], file: ScannedFile, scopes: readonly ReadonlySet<string>[]): void {
    for (const node of nodes) {
      walk(node, (n) => {
        if (n.kind !== 'DefStmt' && n.kind !== 'LambdaExpr') return true;
        this.fns.set(posKey(n.pos), { fn: n, file, scopes });
        for (const p of n.params) if (p.kind === 'Param' && p.default) this.index([p.default], file, scopes);
        this.index(n.kind === 'DefStmt' ? n.body : [n.body], file, [...scopes, localsOf(n)]);
        return false;
      });
    }
  }

  /** What the functions `entries` (a test's body and expect callbacks) can trap, per service. */
  of(entries: readonly Value[]): BodyTrapped | undefined {
    const sets = new Map<string, Set<SyscallName>>(this.services.map((s) => [s.name, new Set()]));
    const add = (service: string | undefined, syscalls: readonly SyscallName[]): void => {
      // A target the walk cannot resolve may be any service (as for the spec-wide set).
      const targets = service === undefined ? this.services.filter((s) => s.seccomp).map((s) => s.name) : [service];
      for (const t of targets) for (const s of syscalls) sets.get(t)?.add(s);
    };
    const seen = new Set<string>();
    const queue: FunctionSite[] = [];
    let unknown = false;
    const follow = (v: Value): void => {
      if (v instanceof AssumptionValue) {
        for (const r of v.rules) add(r.service, r.syscalls);
        return;
      }
      if (!(v instanceof StarFunction)) return;
      const key = posKey(v.code.pos);
      if (seen.has(key)) return;
      seen.add(key);
      const found = this.fns.get(key);
      if (found) queue.push(found);
      else unknown = true;
    };
    for (const e of entries) follow(e);
    while (queue.length > 0 && !unknown) {
      const { fn, file, scopes } = queue.shift()!;
      const handlers = { onSite: (site: { target: string | undefined; syscalls: readonly SyscallName[] }) => add(site.target, site.syscalls), onGlobal: follow };
      const defaults: Node[] = fn.params.flatMap((p) => (p.kind === 'Param' && p.default ? [p.default] : []));
      scanNodes(defaults, file, scopes, handlers);
      scanNodes(fn.kind === 'DefStmt' ? fn.body : [fn.body], file, [...scopes, localsOf(fn)], handlers);
    }
    if (unknown) return undefined;
    const out: BodyTrapped = {};
    for (const [name, set] of sets) out[name] = SYSCALL_NAMES.filter((s) => set.has(s));
    return out;
  }
}
