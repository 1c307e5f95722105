// Which syscalls each service's seccomp filter must trap. The filter is fixed when a service
// starts, so this is decided before any test runs, from:
//   (a) the rules of every fault_assumption (exact, from evaluated values),
//   (b) the faults of fault_scenario / fault_matrix tests,
//   (c) a walk of the spec's syntax trees (and the files it loads): each fault(), fault_start(),
//       trace(), trace_start() call whose target is a global bound to a service adds its literal
//       keywords to that service; a target the walk cannot resolve (a parameter, an expression)
//       adds them to every filtered service; `**kwargs` hides the keywords and is refused.
// A service left with an empty set runs without a shim or filter.
import { SpecError } from '../errors.js';
import { walk, type Expr, type Node, type Position, type SyntaxFile, type Value, type ast } from '../starlark/index.js';
import type { FaultRule, ServiceDecl } from './model.js';
import { RULE_KEYWORDS, SYSCALL_NAMES, expandKeyword, type SyscallName } from './syscall-families.js';
import { didYouMean } from './did-you-mean.js';
import { UNDO_LOG_SYSCALLS, losesWrites, syscallsNeededBy } from './lose-unsynced.js';
import { ServiceValue } from './values/service.js';

export interface ScannedFile {
  readonly ast: SyntaxFile;
  /** The module's globals after evaluation, to resolve the target identifiers. */
  readonly globals: ReadonlyMap<string, Value>;
  /** Names this file binds with load(), and the values they refer to. */
  readonly imports?: ReadonlyMap<string, Value>;
}

export interface TrappedInput {
  readonly services: readonly ServiceDecl[];
  /** Rules known exactly from evaluation: assumptions and fault_scenario / matrix faults. */
  readonly rules: readonly FaultRule[];
  readonly files: readonly ScannedFile[];
}

const SCOPE_CALLS = new Set(['fault', 'fault_start', 'trace', 'trace_start']);
/** Keyword arguments of those calls that are not syscall keywords. */
const NON_RULE_KEYWORDS = new Set(['run', 'target', 'syscalls']);

/** `losing` (when given) collects the services a crash with lost writes can reach. */
export function deriveTrapped(input: TrappedInput, losing?: Set<string>): Record<string, SyscallName[]> {
  const sets = new Map<string, Set<SyscallName>>(input.services.map((s) => [s.name, new Set()]));
  const byName = new Map(input.services.map((s) => [s.name, s]));
  const add = (service: string, syscalls: readonly SyscallName[]): void => {
    const set = sets.get(service);
    if (set) for (const s of syscalls) set.add(s);
  };
  for (const r of input.rules) {
    add(r.service, syscallsNeededBy(r));
    if (losesWrites(r)) losing?.add(r.service);
  }
  for (const f of input.files) {
    scanFile(f, (site) => {
      if (site.target === undefined) {
        for (const s of input.services) {
          if (!s.seccomp) continue;
          add(s.name, site.syscalls);
          if (site.losesUnsynced) losing?.add(s.name);
        }
        return;
      }
      const svc = byName.get(site.target);
      if (!svc) return;
      if (!svc.seccomp && site.syscalls.length > 0) {
        throw specError(site.pos, `${site.call}(): service "${svc.name}" is declared with seccomp=False, so its syscalls cannot be faulted or traced (drop seccomp=False to allow rules on it)`);
      }
      add(svc.name, site.syscalls);
      if (site.losesUnsynced) losing?.add(svc.name);
    });
  }
  const out: Record<string, SyscallName[]> = {};
  for (const [name, set] of sets) out[name] = SYSCALL_NAMES.filter((s) => set.has(s));
  return out;
}

export interface CallSite {
  readonly call: string;
  readonly pos: Position;
  /** The service the call targets, or undefined when it cannot be seen statically. */
  readonly target: string | undefined;
  readonly syscalls: readonly SyscallName[];
  /** A crash with lose_unsynced: the target keeps an undo log. */
  readonly losesUnsynced?: boolean;
}

function specError(pos: Position, message: string): SpecError {
  return new SpecError(`${pos.file}:${pos.line}:${pos.col}: ${message}`, pos);
}

function scanFile(file: ScannedFile, onSite: (s: CallSite) => void): void {
  scanNodes(file.ast.stmts, file, [], { onSite });
}

export interface ScanHandlers {
  readonly onSite: (s: CallSite) => void;
  /** A name the code uses that is neither local nor a builtin: a global or load()ed value of the file. */
  readonly onGlobal?: (value: Value) => void;
}

/** Walks statements (nested defs and lambdas included) with the local scopes they sit in. */
export function scanNodes(nodes: readonly Node[], file: ScannedFile, scopes: readonly ReadonlySet<string>[], handlers: ScanHandlers): void {
  const visitBody = (body: readonly Node[], inner: readonly ReadonlySet<string>[]): void => {
    const visit = (n: Node): boolean => {
      if (n.kind === 'DefStmt' || n.kind === 'LambdaExpr') {
        for (const p of n.params) if (p.kind === 'Param' && p.default) visitBody([p.default], inner);
        const fnBody: Node[] = n.kind === 'DefStmt' ? n.body : [n.body];
        visitBody(fnBody, [...inner, localsOf(n)]);
        return false;
      }
      if (n.kind === 'CallExpr') {
        const site = callSite(n, file, inner);
        if (site) handlers.onSite(site);
      }
      if (n.kind === 'Ident' && handlers.onGlobal && !isLocal(n.name, inner)) {
        const v = file.globals.get(n.name) ?? file.imports?.get(n.name);
        if (v !== undefined) handlers.onGlobal(v);
      }
      return true;
    };
    for (const node of body) walk(node, visit);
  };
  visitBody(nodes, scopes);
}

function isLocal(name: string, scopes: readonly ReadonlySet<string>[]): boolean {
  return scopes.some((s) => s.has(name));
}

/** `crash(..., lose_unsynced=<anything but a literal False>)`: the call may lose unsynced writes. */
function losesUnsynced(e: Expr): boolean {
  if (e.kind !== 'CallExpr') return false;
  const named = e.fn.kind === 'Ident' ? e.fn.name : e.fn.kind === 'DotExpr' ? e.fn.name : undefined;
  if (named !== 'crash') return false;
  return e.args.some((a) => a.kind === 'Keyword' && a.name === 'lose_unsynced' && !(a.value.kind === 'Ident' && a.value.name === 'False'));
}

function callSite(c: ast.CallExpr, file: ScannedFile, scopes: readonly ReadonlySet<string>[]): CallSite | undefined {
  // `db.crash(lose_unsynced=True)`: the service keeps an undo log, which needs the file syscalls trapped.
  if (c.fn.kind === 'DotExpr' && losesUnsynced(c)) {
    return { call: 'crash', pos: c.pos, target: resolveTarget(c.fn.x, file, scopes), syscalls: UNDO_LOG_SYSCALLS, losesUnsynced: true };
  }
  if (c.fn.kind !== 'Ident' || !SCOPE_CALLS.has(c.fn.name)) return undefined;
  const call = c.fn.name;
  // A user definition with the same name shadows the builtin.
  if (isLocal(call, scopes) || file.globals.has(call) || file.imports?.has(call)) return undefined;

  const starstar = c.args.find((a) => a.kind === 'StarStar');
  if (starstar) {
    throw specError(starstar.pos, `cannot see which syscalls this ${call}() touches: use fault_assumption or literal keywords`);
  }
  const targetArg = c.args.find((a) => a.kind === 'Positional') ?? c.args.find((a) => a.kind === 'Keyword' && a.name === 'target');
  const hasStar = c.args.some((a) => a.kind === 'Star');

  const syscalls: SyscallName[] = [];
  let losing = false;
  const isTrace = call === 'trace' || call === 'trace_start';
  for (const a of c.args) {
    if (a.kind !== 'Keyword') continue;
    if (isTrace) {
      if (a.name === 'syscalls') syscalls.push(...traceLiterals(call, a.value));
      continue;
    }
    if (NON_RULE_KEYWORDS.has(a.name)) continue;
    if (losesUnsynced(a.value)) {
      syscalls.push(...UNDO_LOG_SYSCALLS);
      losing = true;
    }
    const exp = expandKeyword(a.name);
    if (!exp) {
      throw specError(a.pos, `${call}: unknown syscall keyword "${a.name}"${didYouMean(a.name, RULE_KEYWORDS)}; accepted: run, ${RULE_KEYWORDS.join(', ')}`);
    }
    syscalls.push(...exp.syscalls);
  }
  return { call, pos: c.pos, target: hasStar ? undefined : resolveTarget(targetArg?.value, file, scopes), syscalls, ...(losing ? { losesUnsynced: true } : {}) };
}

function traceLiterals(call: string, v: Expr): SyscallName[] {
  if (v.kind !== 'ListExpr' && v.kind !== 'TupleExpr') {
    throw specError(v.pos, `cannot see which syscalls this ${call}() touches: write syscalls=[...] with string literals`);
  }
  const out: SyscallName[] = [];
  for (const e of v.elems) {
    if (e.kind !== 'Literal' || e.token !== 'string') {
      throw specError(e.pos, `cannot see which syscalls this ${call}() touches: write syscalls=[...] with string literals`);
    }
    const name = String(e.value);
    const exp = expandKeyword(name);
    if (!exp) throw specError(e.pos, `${call}: unknown syscall "${name}"${didYouMean(name, RULE_KEYWORDS)}; accepted: ${RULE_KEYWORDS.join(', ')}`);
    out.push(...exp.syscalls);
  }
  return out;
}

/** The service a target expression names, when the walk can tell. */
function resolveTarget(e: Expr | undefined, file: ScannedFile, scopes: readonly ReadonlySet<string>[]): string | undefined {
  while (e && e.kind === 'ParenExpr') e = e.x;
  if (!e || e.kind !== 'Ident' || isLocal(e.name, scopes)) return undefined;
  const v = file.globals.get(e.name) ?? file.imports?.get(e.name);
  return v instanceof ServiceValue ? v.name : undefined;
}

/** Names a def or lambda binds in its own scope: parameters, assignments, loop and comprehension variables, nested defs. */
export function localsOf(fn: ast.DefStmt | ast.LambdaExpr): Set<string> {
  const names = new Set<string>();
  for (const p of fn.params) if (p.name) names.add(p.name.name);
  const bindTarget = (e: Expr): void => {
    if (e.kind === 'Ident') names.add(e.name);
    else if (e.kind === 'TupleExpr' || e.kind === 'ListExpr') e.elems.forEach(bindTarget);
    else if (e.kind === 'ParenExpr') bindTarget(e.x);
  };
  const body: Node[] = fn.kind === 'DefStmt' ? fn.body : [fn.body];
  for (const b of body) {
    walk(b, (n) => {
      switch (n.kind) {
        case 'DefStmt':
          names.add(n.name.name);
          return false;
        case 'LambdaExpr':
          return false;
        case 'AssignStmt':
          bindTarget(n.lhs);
          return true;
        case 'ForStmt':
          bindTarget(n.vars);
          return true;
        case 'ForClause':
          bindTarget(n.vars);
          return true;
      }
      return true;
    });
  }
  return names;
}
