// Resolver: static checks and name resolution. Annotates each Ident with its Binding and each
// def/lambda with FunctionInfo (slot layout), so the compiler can use array slots, not names.

import type {
  Binding, Clause, Comprehension, DefStmt, Expr, File, FunctionInfo, Ident, LambdaExpr, Param, Stmt,
} from './ast.js';
import type { Dialect } from './dialect.js';
import { StarlarkError, type Position } from './errors.js';

export interface ResolveOptions {
  /** Names supplied by the embedder (ExecOptions.predeclared). */
  isPredeclared: (name: string) => boolean;
  /** Names of the universal builtins (len, None, ...). */
  isUniversal: (name: string) => boolean;
  /** Extra names offered as "did you mean" suggestions (predeclared and universal names). */
  suggestions?: readonly string[];
  /** Language options; only `globalReassign` matters to the resolver. */
  dialect?: Dialect;
}

/** A block of local bindings: a function body or a comprehension. */
interface Block {
  names: Map<string, Binding>;
  parent: Block | undefined;
  fn: FnScope;
}

interface FnScope {
  info: FunctionInfo;
  defBlock: Block | undefined; // block where the def/lambda appears (undefined for toplevel)
  body: Block;
  isToplevel: boolean;
  freeByName: Map<string, Binding>;
}

export function resolveFile(file: File, opts: ResolveOptions): void {
  new Resolver(file, opts).run();
}

class Resolver {
  private globals = new Map<string, Binding>();
  private globalList: Binding[] = [];
  private loaded = new Set<string>();
  private lines: string[];
  private loopDepth = 0;
  private errors: StarlarkError[] = [];

  constructor(
    private readonly file: File,
    private readonly opts: ResolveOptions,
  ) {
    this.lines = file.source.split(/\r?\n|\r/);
  }

  private error(msg: string, pos: Position): void {
    const e = new StarlarkError(msg, pos, this.lines[pos.line - 1]);
    e.isStatic = true;
    this.errors.push(e);
  }

  run(): void {
    // Module-level bindings first, so functions may refer to globals defined later.
    const top = this.newFunction('<toplevel>', undefined, true);
    this.collectGlobals(this.file.stmts, 0);
    this.stmts(this.file.stmts, top.body, true);
    this.file.toplevel = top.info;
    this.file.globals = this.globalList;
    if (this.errors.length > 0) {
      const first = this.errors[0];
      if (this.errors.length > 1) (first as StarlarkError & { others?: StarlarkError[] }).others = this.errors.slice(1);
      throw first;
    }
  }

  private newFunction(name: string, defBlock: Block | undefined, isToplevel = false): FnScope {
    const info: FunctionInfo = {
      name, locals: [], freevars: [], numParams: 0, numKwonly: 0, hasVarargs: false, hasKwargs: false,
    };
    const fn: FnScope = { info, defBlock, body: undefined as unknown as Block, isToplevel, freeByName: new Map() };
    fn.body = { names: new Map(), parent: undefined, fn };
    return fn;
  }

  private bindGlobal(id: Ident, viaLoad: boolean): void {
    const name = id.name;
    if (this.opts.dialect?.globalReassign) {
      if (viaLoad) this.loaded.add(name);
    } else if (viaLoad) {
      if (this.globals.has(name)) {
        const prev = this.globals.get(name)!;
        this.error(
          this.loaded.has(name)
            ? `load: ${name} is already loaded (line ${prev.pos?.line})`
            : `load: cannot bind ${name}: it is already a global defined at line ${prev.pos?.line}`,
          id.pos,
        );
        return;
      }
      this.loaded.add(name);
    } else if (this.loaded.has(name)) {
      const prev = this.globals.get(name)!;
      this.error(`cannot reassign ${name}: it is bound by the load statement at line ${prev.pos?.line}`, id.pos);
      return;
    }
    if (!this.globals.has(name)) {
      const b: Binding = { scope: 'global', index: this.globalList.length, name, pos: id.pos, fromLoad: viaLoad };
      this.globals.set(name, b);
      this.globalList.push(b);
    }
  }

  /** Find names bound at top level (including inside top-level if/for/while). */
  private collectGlobals(stmts: Stmt[], depth: number): void {
    for (const s of stmts) {
      switch (s.kind) {
        case 'AssignStmt':
          this.collectTargets(s.lhs, (id) => this.bindGlobal(id, false));
          break;
        case 'DefStmt':
          this.bindGlobal(s.name, false);
          break;
        case 'ForStmt':
          this.collectTargets(s.vars, (id) => this.bindGlobal(id, false));
          this.collectGlobals(s.body, depth + 1);
          break;
        case 'WhileStmt':
          this.collectGlobals(s.body, depth + 1);
          break;
        case 'IfStmt':
          this.collectGlobals(s.then, depth + 1);
          this.collectGlobals(s.else, depth + 1);
          break;
        case 'LoadStmt':
          if (depth > 0) {
            this.error('load statement not at top level (it may not appear inside if/for/while)', s.pos);
            break;
          }
          for (const n of s.names) this.bindGlobal(n.local, true);
          break;
      }
    }
  }

  private collectTargets(e: Expr, bind: (id: Ident) => void): void {
    switch (e.kind) {
      case 'Ident':
        bind(e);
        return;
      case 'TupleExpr':
      case 'ListExpr':
        for (const x of e.elems) this.collectTargets(x, bind);
        return;
      case 'ParenExpr':
        this.collectTargets(e.x, bind);
        return;
    }
  }

  /** Bind the locals of a function body (not descending into nested functions/comprehensions). */
  private collectLocals(stmts: Stmt[], block: Block): void {
    for (const s of stmts) {
      switch (s.kind) {
        case 'AssignStmt':
          this.collectTargets(s.lhs, (id) => this.bindLocal(block, id));
          break;
        case 'DefStmt':
          this.bindLocal(block, s.name);
          break;
        case 'ForStmt':
          this.collectTargets(s.vars, (id) => this.bindLocal(block, id));
          this.collectLocals(s.body, block);
          break;
        case 'WhileStmt':
          this.collectLocals(s.body, block);
          break;
        case 'IfStmt':
          this.collectLocals(s.then, block);
          this.collectLocals(s.else, block);
          break;
      }
    }
  }

  private bindLocal(block: Block, id: Ident, isParam = false): Binding {
    let b = block.names.get(id.name);
    if (!b) {
      const info = block.fn.info;
      b = { scope: 'local', index: info.locals.length, name: id.name, pos: id.pos, isParam };
      info.locals.push(b);
      block.names.set(id.name, b);
    }
    return b;
  }

  // ----- statements ------------------------------------------------------------------------

  private stmts(stmts: Stmt[], block: Block, toplevel: boolean): void {
    for (const s of stmts) this.stmt(s, block, toplevel);
  }

  private stmt(s: Stmt, block: Block, toplevel: boolean): void {
    switch (s.kind) {
      case 'ExprStmt':
        this.expr(s.x, block);
        break;
      case 'AssignStmt':
        if (s.op !== '=') this.expr(s.lhs, block); // reference use of the target
        this.expr(s.rhs, block);
        if (s.op === '=') this.assignTargets(s.lhs, block);
        break;
      case 'DefStmt':
        this.def(s, block);
        this.use(s.name, block);
        break;
      case 'IfStmt':
        this.expr(s.cond, block);
        this.stmts(s.then, block, false);
        this.stmts(s.else, block, false);
        break;
      case 'ForStmt':
        this.expr(s.x, block);
        this.assignTargets(s.vars, block);
        this.loopDepth++;
        this.stmts(s.body, block, false);
        this.loopDepth--;
        break;
      case 'WhileStmt':
        this.expr(s.cond, block);
        this.loopDepth++;
        this.stmts(s.body, block, false);
        this.loopDepth--;
        break;
      case 'BranchStmt':
        if (s.token !== 'pass' && this.loopDepth === 0) this.error(`${s.token} not in a loop`, s.pos);
        break;
      case 'ReturnStmt':
        if (block.fn.isToplevel) this.error('return statement not within a function', s.pos);
        if (s.result) this.expr(s.result, block);
        break;
      case 'LoadStmt':
        if (!block.fn.isToplevel) {
          this.error('load statement within a function', s.pos);
          break;
        }
        if (!toplevel) break; // reported by collectGlobals
        for (const n of s.names) n.local.binding = this.globals.get(n.local.name);
        break;
    }
  }

  /** Resolve assignment targets: identifiers are bindings; other parts are expressions. */
  private assignTargets(e: Expr, block: Block): void {
    switch (e.kind) {
      case 'Ident':
        this.use(e, block);
        return;
      case 'TupleExpr':
      case 'ListExpr':
        for (const x of e.elems) this.assignTargets(x, block);
        return;
      case 'ParenExpr':
        this.assignTargets(e.x, block);
        return;
      default:
        this.expr(e, block);
    }
  }

  private params(params: Param[], fn: FnScope, outer: Block): void {
    // Defaults are evaluated in the enclosing scope.
    for (const p of params) if (p.kind === 'Param' && p.default) this.expr(p.default, outer);
    const info = fn.info;
    const seen = new Set<string>();
    const ordered: { id: Ident }[] = [];
    let starSeen = false;
    // Layout: positional/named params, keyword-only params, then *args, then **kwargs.
    let varargs: Ident | undefined;
    let kwargs: Ident | undefined;
    for (const p of params) {
      if (p.kind === 'StarParam') {
        starSeen = true;
        if (p.name) {
          varargs = p.name;
          info.hasVarargs = true;
        }
      } else if (p.kind === 'StarStarParam') {
        kwargs = p.name;
        info.hasKwargs = true;
      } else {
        ordered.push({ id: p.name });
        if (starSeen) info.numKwonly++;
      }
    }
    const all = [...ordered.map((o) => o.id), ...(varargs ? [varargs] : []), ...(kwargs ? [kwargs] : [])];
    for (const id of all) {
      if (seen.has(id.name)) this.error(`duplicate parameter: ${id.name}`, id.pos);
      seen.add(id.name);
      const b = this.bindLocal(fn.body, id, true);
      id.binding = b;
    }
    info.numParams = info.locals.length;
  }

  private def(s: DefStmt, outer: Block): void {
    const fn = this.newFunction(s.name.name, outer);
    this.params(s.params, fn, outer);
    this.collectLocals(s.body, fn.body);
    const savedLoop = this.loopDepth;
    this.loopDepth = 0;
    this.stmts(s.body, fn.body, false);
    this.loopDepth = savedLoop;
    s.fn = fn.info;
  }

  private lambda(e: LambdaExpr, outer: Block): void {
    const fn = this.newFunction('lambda', outer);
    this.params(e.params, fn, outer);
    const savedLoop = this.loopDepth;
    this.loopDepth = 0;
    this.expr(e.body, fn.body);
    this.loopDepth = savedLoop;
    e.fn = fn.info;
  }

  // ----- expressions -----------------------------------------------------------------------

  private expr(e: Expr, block: Block): void {
    switch (e.kind) {
      case 'Ident':
        this.use(e, block);
        return;
      case 'Literal':
        return;
      case 'ListExpr':
      case 'TupleExpr':
        for (const x of e.elems) this.expr(x, block);
        return;
      case 'DictExpr':
        for (const en of e.entries) {
          this.expr(en.key, block);
          this.expr(en.value, block);
        }
        return;
      case 'ParenExpr':
      case 'UnaryExpr':
        this.expr(e.x, block);
        return;
      case 'BinaryExpr':
        this.expr(e.x, block);
        this.expr(e.y, block);
        return;
      case 'CondExpr':
        this.expr(e.cond, block);
        this.expr(e.then, block);
        this.expr(e.else, block);
        return;
      case 'CallExpr':
        this.expr(e.fn, block);
        for (const a of e.args) this.expr(a.value, block);
        return;
      case 'DotExpr':
        this.expr(e.x, block);
        return;
      case 'IndexExpr':
        this.expr(e.x, block);
        this.expr(e.index, block);
        return;
      case 'SliceExpr':
        this.expr(e.x, block);
        if (e.lo) this.expr(e.lo, block);
        if (e.hi) this.expr(e.hi, block);
        if (e.step) this.expr(e.step, block);
        return;
      case 'LambdaExpr':
        this.lambda(e, block);
        return;
      case 'Comprehension':
        this.comprehension(e, block);
        return;
    }
  }

  private comprehension(c: Comprehension, outer: Block): void {
    // The first loop's operand is resolved in the enclosing block; everything else in a new
    // block whose bindings are all the loop variables.
    const first = c.clauses[0] as Extract<Clause, { kind: 'ForClause' }>;
    this.expr(first.x, outer);
    const block: Block = { names: new Map(), parent: outer, fn: outer.fn };
    for (const cl of c.clauses) {
      if (cl.kind === 'ForClause') this.collectTargets(cl.vars, (id) => this.bindLocal(block, id));
    }
    for (let i = 0; i < c.clauses.length; i++) {
      const cl = c.clauses[i];
      if (cl.kind === 'ForClause') {
        if (i > 0) this.expr(cl.x, block);
        this.assignTargets(cl.vars, block);
      } else {
        this.expr(cl.cond, block);
      }
    }
    if (c.body.kind === 'DictEntry') {
      this.expr(c.body.key, block);
      this.expr(c.body.value, block);
    } else {
      this.expr(c.body, block);
    }
  }

  /** Resolve a reference (or binding occurrence) of an identifier. */
  private use(id: Ident, block: Block): void {
    const b = this.lookup(id.name, block);
    if (b) {
      id.binding = b;
      return;
    }
    const name = id.name;
    if (this.opts.isPredeclared(name)) {
      id.binding = { scope: 'predeclared', index: 0, name };
      return;
    }
    if (this.opts.isUniversal(name)) {
      id.binding = { scope: 'universal', index: 0, name };
      return;
    }
    this.error(`undefined: ${name}${this.suggest(name, block)}`, id.pos);
    id.binding = { scope: 'universal', index: 0, name };
  }

  private lookup(name: string, block: Block): Binding | undefined {
    // Local blocks of the current function (comprehensions nest inside the function body).
    for (let b: Block | undefined = block; b; b = b.parent) {
      const x = b.names.get(name);
      if (x) return x;
    }
    const fn = block.fn;
    if (fn.isToplevel) return this.globals.get(name);
    const free = fn.freeByName.get(name);
    if (free) return free;
    // Look in the block where this function was defined; capture its locals as free variables.
    const pb = this.lookup(name, fn.defBlock!);
    if (pb && (pb.scope === 'local' || pb.scope === 'cell' || pb.scope === 'free')) {
      if (pb.scope === 'local') pb.scope = 'cell';
      const fb: Binding = { scope: 'free', index: fn.info.freevars.length, name };
      fn.info.freevars.push({ binding: fb, parent: pb });
      fn.freeByName.set(name, fb);
      return fb;
    }
    return pb;
  }

  private suggest(name: string, block: Block): string {
    const candidates = new Set<string>();
    for (let b: Block | undefined = block; b; b = b.parent) for (const k of b.names.keys()) candidates.add(k);
    for (const k of this.globals.keys()) candidates.add(k);
    for (const k of this.opts.suggestions ?? []) candidates.add(k);
    return didYouMean(name, candidates);
  }
}

/** ` (did you mean X?)` for the candidate closest to a misspelt name, or '' if none is close. */
export function didYouMean(name: string, candidates: Iterable<string>): string {
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const d = editDistance(name, c);
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  const limit = name.length <= 2 ? 0 : name.length <= 4 ? 1 : name.length <= 8 ? 2 : 3;
  return best !== undefined && bestD <= limit ? ` (did you mean ${best}?)` : '';
}

/** Levenshtein distance, for "did you mean" suggestions (the spec layer uses it too). */
export function editDistance(a: string, b: string): number {
  const dp = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = dp[0];
    dp[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = dp[j];
      dp[j] = Math.min(dp[j] + 1, dp[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return dp[b.length];
}
