// Syntax tree produced by the parser, annotated in place by the resolver.
// Embedders (src/spec) walk it to find call sites; see `walk` below.

import type { Position } from './errors.js';
import type { Value } from './values.js';

// ----- Resolver annotations ---------------------------------------------------------------

/** Where a name lives at run time. */
export type Scope = 'local' | 'cell' | 'free' | 'global' | 'predeclared' | 'universal';

export interface Binding {
  scope: Scope;
  /** Slot: local/cell → frame slot; free → index in the function's freevars; global → module slot. */
  index: number;
  name: string;
  /** Where it was first bound (for locals/globals). */
  pos?: Position;
  /** For locals: true if it is a parameter (always bound, no "referenced before assignment" check). */
  isParam?: boolean;
  /** For globals: bound by a load statement (file-local; not exported from the module). */
  fromLoad?: boolean;
}

/** Per-function information computed by the resolver. */
export interface FunctionInfo {
  name: string;
  /** All local slots; parameters come first, in declaration order. */
  locals: Binding[];
  /** Captured variables of enclosing functions, with the binding in the parent. */
  freevars: { binding: Binding; parent: Binding }[];
  numParams: number; // includes *args and **kwargs
  numKwonly: number;
  hasVarargs: boolean;
  hasKwargs: boolean;
}

// ----- Expressions ------------------------------------------------------------------------

export interface Ident {
  kind: 'Ident';
  pos: Position;
  name: string;
  binding?: Binding;
}

export interface Literal {
  kind: 'Literal';
  pos: Position;
  token: 'int' | 'float' | 'string' | 'bytes';
  /** int → number|bigint, float → number, string/bytes → string */
  value: string | number | bigint;
  raw: string;
}

export interface ListExpr {
  kind: 'ListExpr';
  pos: Position;
  elems: Expr[];
}

export interface TupleExpr {
  kind: 'TupleExpr';
  pos: Position;
  elems: Expr[];
  parenthesized: boolean;
}

export interface DictEntry {
  kind: 'DictEntry';
  pos: Position; // the colon
  key: Expr;
  value: Expr;
}

export interface DictExpr {
  kind: 'DictExpr';
  pos: Position;
  entries: DictEntry[];
}

export interface ParenExpr {
  kind: 'ParenExpr';
  pos: Position;
  x: Expr;
}

export type UnaryOp = '+' | '-' | '~' | 'not';
export interface UnaryExpr {
  kind: 'UnaryExpr';
  pos: Position;
  op: UnaryOp;
  x: Expr;
}

export type BinaryOp =
  | 'or' | 'and' | '==' | '!=' | '<' | '>' | '<=' | '>=' | 'in' | 'not in'
  | '|' | '^' | '&' | '<<' | '>>' | '+' | '-' | '*' | '/' | '//' | '%';
export interface BinaryExpr {
  kind: 'BinaryExpr';
  pos: Position; // the operator
  op: BinaryOp;
  x: Expr;
  y: Expr;
}

export interface CondExpr {
  kind: 'CondExpr';
  pos: Position; // the 'if'
  cond: Expr;
  then: Expr;
  else: Expr;
}

/** One argument of a call: `x`, `name=x`, `*x` or `**x`. */
export type Argument =
  | { kind: 'Positional'; pos: Position; value: Expr }
  | { kind: 'Keyword'; pos: Position; name: string; value: Expr }
  | { kind: 'Star'; pos: Position; value: Expr }
  | { kind: 'StarStar'; pos: Position; value: Expr };

export interface CallExpr {
  kind: 'CallExpr';
  pos: Position; // the '('
  fn: Expr;
  args: Argument[];
  rparen: Position;
}

export interface DotExpr {
  kind: 'DotExpr';
  pos: Position; // the '.'
  x: Expr;
  name: string;
  namePos: Position;
}

export interface IndexExpr {
  kind: 'IndexExpr';
  pos: Position; // the '['
  x: Expr;
  index: Expr;
}

export interface SliceExpr {
  kind: 'SliceExpr';
  pos: Position; // the '['
  x: Expr;
  lo?: Expr;
  hi?: Expr;
  step?: Expr;
}

export interface LambdaExpr {
  kind: 'LambdaExpr';
  pos: Position;
  params: Param[];
  body: Expr;
  fn?: FunctionInfo;
}

export type Clause =
  | { kind: 'ForClause'; pos: Position; vars: Expr; x: Expr }
  | { kind: 'IfClause'; pos: Position; cond: Expr };

export interface Comprehension {
  kind: 'Comprehension';
  pos: Position;
  curly: boolean; // dict comprehension
  body: Expr | DictEntry;
  clauses: Clause[];
}

export type Expr =
  | Ident | Literal | ListExpr | TupleExpr | DictExpr | ParenExpr | UnaryExpr | BinaryExpr | CondExpr
  | CallExpr | DotExpr | IndexExpr | SliceExpr | LambdaExpr | Comprehension;

// ----- Parameters ---------------------------------------------------------------------------

export type Param =
  | { kind: 'Param'; pos: Position; name: Ident; default?: Expr }
  /** `*args`, or a bare `*` (name undefined) introducing keyword-only parameters. */
  | { kind: 'StarParam'; pos: Position; name?: Ident }
  | { kind: 'StarStarParam'; pos: Position; name: Ident };

// ----- Statements -------------------------------------------------------------------------

export interface ExprStmt {
  kind: 'ExprStmt';
  pos: Position;
  x: Expr;
}

export type AssignOp = '=' | '+=' | '-=' | '*=' | '/=' | '//=' | '%=' | '&=' | '|=' | '^=' | '<<=' | '>>=';
export interface AssignStmt {
  kind: 'AssignStmt';
  pos: Position; // the operator
  op: AssignOp;
  lhs: Expr;
  rhs: Expr;
}

export interface DefStmt {
  kind: 'DefStmt';
  pos: Position; // the 'def'
  name: Ident;
  params: Param[];
  body: Stmt[];
  fn?: FunctionInfo;
}

export interface IfStmt {
  kind: 'IfStmt';
  pos: Position; // 'if' or 'elif'
  cond: Expr;
  then: Stmt[];
  else: Stmt[];
}

export interface ForStmt {
  kind: 'ForStmt';
  pos: Position;
  vars: Expr;
  x: Expr;
  body: Stmt[];
}

export interface WhileStmt {
  kind: 'WhileStmt';
  pos: Position;
  cond: Expr;
  body: Stmt[];
}

export interface BranchStmt {
  kind: 'BranchStmt';
  pos: Position;
  token: 'break' | 'continue' | 'pass';
}

export interface ReturnStmt {
  kind: 'ReturnStmt';
  pos: Position;
  result?: Expr;
}

export interface LoadStmt {
  kind: 'LoadStmt';
  pos: Position;
  module: Literal;
  /** `load("m", "a", b="c")` → [{local: a, name: "a"}, {local: b, name: "c"}] */
  names: { local: Ident; name: string; namePos: Position }[];
}

export type Stmt =
  | ExprStmt | AssignStmt | DefStmt | IfStmt | ForStmt | WhileStmt | BranchStmt | ReturnStmt | LoadStmt;

export interface File {
  kind: 'File';
  path: string;
  source: string;
  stmts: Stmt[];
  /** Set by the resolver: the module-level function (its locals hold comprehension variables). */
  toplevel?: FunctionInfo;
  /** Set by the resolver: names of global slots in order. */
  globals?: Binding[];
}

export type Node = Expr | Stmt | DictEntry | Clause | Param | Argument | File;

/**
 * Visit every node in depth-first source order. Return false from `visit` to skip a node's
 * children.
 */
export function walk(n: Node, visit: (n: Node) => boolean | void): void {
  if (visit(n) === false) return;
  const w = (c: Node | undefined): void => {
    if (c) walk(c, visit);
  };
  const ws = (cs: Node[]): void => {
    for (const c of cs) walk(c, visit);
  };
  switch (n.kind) {
    case 'File': ws(n.stmts); break;
    case 'ExprStmt': w(n.x); break;
    case 'AssignStmt': w(n.lhs); w(n.rhs); break;
    case 'DefStmt': w(n.name); ws(n.params); ws(n.body); break;
    case 'IfStmt': w(n.cond); ws(n.then); ws(n.else); break;
    case 'ForStmt': w(n.vars); w(n.x); ws(n.body); break;
    case 'WhileStmt': w(n.cond); ws(n.body); break;
    case 'ReturnStmt': w(n.result); break;
    case 'LoadStmt': w(n.module); for (const x of n.names) w(x.local); break;
    case 'BranchStmt': case 'Ident': case 'Literal': break;
    case 'ListExpr': case 'TupleExpr': ws(n.elems); break;
    case 'DictExpr': ws(n.entries); break;
    case 'DictEntry': w(n.key); w(n.value); break;
    case 'ParenExpr': case 'UnaryExpr': w(n.x); break;
    case 'BinaryExpr': w(n.x); w(n.y); break;
    case 'CondExpr': w(n.cond); w(n.then); w(n.else); break;
    case 'CallExpr': w(n.fn); ws(n.args); break;
    case 'Positional': case 'Keyword': case 'Star': case 'StarStar': w(n.value); break;
    case 'DotExpr': w(n.x); break;
    case 'IndexExpr': w(n.x); w(n.index); break;
    case 'SliceExpr': w(n.x); w(n.lo); w(n.hi); w(n.step); break;
    case 'LambdaExpr': ws(n.params); w(n.body); break;
    case 'Comprehension': w(n.body); ws(n.clauses); break;
    case 'ForClause': w(n.vars); w(n.x); break;
    case 'IfClause': w(n.cond); break;
    case 'Param': w(n.name); w(n.default); break;
    case 'StarParam': w(n.name); break;
    case 'StarStarParam': w(n.name); break;
  }
}

export type { Value };
