// Parser: tokens → syntax tree (ast.ts). Recursive descent over the Starlark grammar.

import { readFileSync } from 'node:fs';
import type {
  Argument, AssignOp, BinaryOp, Clause, DictEntry, Expr, File, Ident, Literal, Param, Stmt,
} from './ast.js';
import { StarlarkError, type Position } from './errors.js';
import { MAX_NESTING } from './limits.js';
import { scan, type Token, type TokenKind } from './scanner.js';

export function parseSource(filename: string, source: string): File {
  return new Parser(filename, source).parseFile();
}

export function parseFile(path: string): File {
  let src: string;
  try {
    src = readFileSync(path, 'utf8');
  } catch (e) {
    throw new StarlarkError(`cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  return parseSource(path, src);
}

/** Parse a single expression (used by tests and embedders). */
export function parseExpr(filename: string, source: string): Expr {
  const p = new Parser(filename, source);
  const e = p.parseExpression(false);
  p.skipNewlines();
  p.expect('EOF');
  return e;
}

const ASSIGN_OPS = new Set<string>(['=', '+=', '-=', '*=', '/=', '//=', '%=', '&=', '|=', '^=', '<<=', '>>=']);

// Binary operator precedence (higher binds tighter). `not` (unary) sits between and/comparison.
const PREC: Record<string, number> = {
  or: 1,
  and: 2,
  '==': 4, '!=': 4, '<': 4, '>': 4, '<=': 4, '>=': 4, in: 4, 'not in': 4,
  '|': 5,
  '^': 6,
  '&': 7,
  '<<': 8, '>>': 8,
  '+': 9, '-': 9,
  '*': 10, '/': 10, '//': 10, '%': 10,
};
const NOT_PREC = 3;
const COMPARISON_PREC = 4;

function describe(t: Token): string {
  switch (t.kind) {
    case 'EOF': return 'end of file';
    case 'NEWLINE': return 'newline';
    case 'INDENT': return 'indent';
    case 'OUTDENT': return 'outdent';
    case 'IDENT': return `identifier ${t.raw}`;
    case 'INT': case 'FLOAT': return `number ${t.raw}`;
    case 'STRING': case 'BYTES': return 'string literal';
    default: return `'${t.kind}'`;
  }
}

class Parser {
  private toks: Token[];
  private p = 0;
  private lines: string[];
  /**
   * How deep the syntax tree under construction is at this point (nested expressions, operator
   * chains and blocks). Bounded by MAX_NESTING so that every later tree walk (resolver, compiler,
   * evaluation, embedders' walks) stays far from the JS stack limit.
   */
  private depth = 0;

  constructor(
    private readonly file: string,
    private readonly source: string,
  ) {
    this.lines = source.split(/\r?\n|\r/);
    this.toks = scan(file, source);
  }

  // ----- token helpers -------------------------------------------------------------------

  private get tok(): Token {
    return this.toks[this.p];
  }
  private peek(k = 1): Token {
    return this.toks[Math.min(this.p + k, this.toks.length - 1)];
  }
  private next(): Token {
    const t = this.toks[this.p];
    if (this.p < this.toks.length - 1) this.p++;
    return t;
  }
  private at(kind: TokenKind): boolean {
    return this.toks[this.p].kind === kind;
  }
  private accept(kind: TokenKind): Token | undefined {
    if (this.at(kind)) return this.next();
    return undefined;
  }
  expect(kind: TokenKind, what?: string): Token {
    if (this.at(kind)) return this.next();
    const want = what ?? (kind === 'NEWLINE' ? 'newline' : kind === 'IDENT' ? 'identifier' : `'${kind}'`);
    this.error(`got ${describe(this.tok)}, want ${want}`, this.tok.pos);
  }
  skipNewlines(): void {
    while (this.at('NEWLINE')) this.next();
  }

  /**
   * Go one level deeper into the tree; `what` names the construct for the error. A block must
   * leave room for the expressions of its first statement, so that deep blocks are reported as such.
   */
  private descend(what: 'expression' | 'block', pos: Position): void {
    const room = what === 'block' ? 1 : 0;
    if (++this.depth + room > MAX_NESTING) this.error(`${what} nested too deeply (limit ${MAX_NESTING})`, pos);
  }

  error(msg: string, pos: Position): never {
    const e = new StarlarkError(`syntax error: ${msg}`, pos, this.lines[pos.line - 1]);
    e.isStatic = true;
    throw e;
  }

  // ----- statements ----------------------------------------------------------------------

  parseFile(): File {
    const stmts: Stmt[] = [];
    while (!this.at('EOF')) {
      if (this.accept('NEWLINE')) continue;
      this.parseStatement(stmts);
    }
    return { kind: 'File', path: this.file, source: this.source, stmts };
  }

  private parseStatement(out: Stmt[]): void {
    switch (this.tok.kind) {
      case 'def': out.push(this.parseDef()); return;
      case 'if': out.push(this.parseIf()); return;
      case 'for': out.push(this.parseFor()); return;
      case 'while': out.push(this.parseWhile()); return;
      case 'INDENT': this.error('unexpected indent', this.tok.pos);
      // fallthrough unreachable
      default: this.parseSimpleStatement(out);
    }
  }

  private parseDef(): Stmt {
    const pos = this.expect('def').pos;
    const name = this.parseIdent();
    this.expect('(');
    const params = this.parseParams(')');
    this.expect(')');
    this.expect(':');
    const body = this.parseSuite();
    return { kind: 'DefStmt', pos, name, params, body };
  }

  private parseParams(end: TokenKind): Param[] {
    const params: Param[] = [];
    while (!this.at(end)) {
      if (params.length > 0) {
        this.expect(',');
        if (this.at(end)) {
          if (end === ':') this.error(`got ${describe(this.tok)}, want parameter`, this.tok.pos);
          break;
        }
      }
      const t = this.tok;
      if (this.accept('**')) {
        params.push({ kind: 'StarStarParam', pos: t.pos, name: this.parseIdent() });
      } else if (this.accept('*')) {
        params.push({ kind: 'StarParam', pos: t.pos, name: this.at('IDENT') ? this.parseIdent() : undefined });
      } else {
        const name = this.parseIdent();
        let def: Expr | undefined;
        if (this.accept('=')) def = this.parseTest();
        params.push({ kind: 'Param', pos: t.pos, name, default: def });
      }
    }
    this.checkParams(params);
    return params;
  }

  /** Parameter ordering rules: required, optional, *args/*, keyword-only, **kwargs. */
  private checkParams(params: Param[]): void {
    let sawOptional = false;
    let sawStar = false;
    let sawStarStar = false;
    for (let i = 0; i < params.length; i++) {
      const p = params[i];
      if (sawStarStar) this.error('parameter may not follow **kwargs', p.pos);
      if (p.kind === 'StarStarParam') {
        sawStarStar = true;
      } else if (p.kind === 'StarParam') {
        if (sawStar) this.error('multiple * parameters not allowed', p.pos);
        sawStar = true;
        if (!p.name) {
          const nxt = params[i + 1];
          if (!nxt || nxt.kind !== 'Param') this.error('bare * must be followed by keyword-only parameters', p.pos);
        }
      } else if (p.default) {
        sawOptional = true;
      } else if (sawOptional && !sawStar) {
        this.error('required parameter may not follow optional', p.pos);
      }
    }
  }

  private parseIf(): Stmt {
    const pos = this.next().pos; // 'if' or 'elif'
    const cond = this.parseTest();
    this.expect(':');
    const then = this.parseSuite();
    let els: Stmt[] = [];
    if (this.at('elif')) {
      els = [this.parseIf()];
    } else if (this.accept('else')) {
      this.expect(':');
      els = this.parseSuite();
    }
    return { kind: 'IfStmt', pos, cond, then, else: els };
  }

  private parseFor(): Stmt {
    const pos = this.expect('for').pos;
    const vars = this.parseLoopVariables();
    this.expect('in');
    const x = this.parseExpression(false);
    this.expect(':');
    const body = this.parseSuite();
    return { kind: 'ForStmt', pos, vars, x, body };
  }

  private parseWhile(): Stmt {
    const pos = this.expect('while').pos;
    const cond = this.parseTest();
    this.expect(':');
    const body = this.parseSuite();
    return { kind: 'WhileStmt', pos, cond, body };
  }

  /** LoopVariables = PrimaryExpr {',' PrimaryExpr} (no trailing comma). */
  private parseLoopVariables(): Expr {
    const first = this.parsePrimaryWithSuffix();
    if (!this.at(',')) return first;
    const elems = [first];
    while (this.accept(',')) elems.push(this.parsePrimaryWithSuffix());
    return { kind: 'TupleExpr', pos: first.pos, elems, parenthesized: false };
  }

  private parseSuite(): Stmt[] {
    if (this.accept('NEWLINE')) {
      while (this.accept('NEWLINE'));
      this.expect('INDENT', 'indented block');
      this.descend('block', this.tok.pos);
      const stmts: Stmt[] = [];
      while (!this.at('OUTDENT') && !this.at('EOF')) {
        if (this.accept('NEWLINE')) continue;
        this.parseStatement(stmts);
      }
      this.accept('OUTDENT');
      this.depth--;
      return stmts;
    }
    const stmts: Stmt[] = [];
    this.parseSimpleStatement(stmts);
    return stmts;
  }

  private parseSimpleStatement(out: Stmt[]): void {
    while (true) {
      out.push(this.parseSmallStatement());
      if (!this.accept(';')) break;
      if (this.at('NEWLINE') || this.at('EOF')) break;
    }
    if (!this.at('EOF')) this.expect('NEWLINE');
  }

  private parseSmallStatement(): Stmt {
    const t = this.tok;
    switch (t.kind) {
      case 'return': {
        this.next();
        let result: Expr | undefined;
        if (!this.at('NEWLINE') && !this.at(';') && !this.at('EOF')) result = this.parseExpression(false);
        return { kind: 'ReturnStmt', pos: t.pos, result };
      }
      case 'break':
      case 'continue':
      case 'pass':
        this.next();
        return { kind: 'BranchStmt', pos: t.pos, token: t.kind };
      case 'load':
        return this.parseLoad();
    }
    const lhs = this.parseExpression(false);
    if (ASSIGN_OPS.has(this.tok.kind)) {
      const opTok = this.next();
      const op = opTok.kind as AssignOp;
      this.checkAssignTarget(lhs, op !== '=');
      const rhs = this.parseExpression(false);
      return { kind: 'AssignStmt', pos: opTok.pos, op, lhs, rhs };
    }
    return { kind: 'ExprStmt', pos: lhs.pos, x: lhs };
  }

  private checkAssignTarget(e: Expr, augmented: boolean): void {
    switch (e.kind) {
      case 'Ident':
      case 'DotExpr':
      case 'IndexExpr':
        return;
      case 'ParenExpr':
        this.checkAssignTarget(e.x, augmented);
        return;
      case 'TupleExpr':
      case 'ListExpr':
        // `() = ()` and `[] = []` are valid (empty) sequence assignments, as in starlark-go.
        if (augmented) this.error(`cannot perform augmented assignment to ${e.kind === 'TupleExpr' ? 'tuple' : 'list'} expression`, e.pos);
        for (const x of e.elems) this.checkAssignTarget(x, augmented);
        return;
    }
    this.error(`cannot assign to ${exprDescription(e)}`, e.pos);
  }

  private parseLoad(): Stmt {
    const pos = this.expect('load').pos;
    this.expect('(');
    const modTok = this.expect('STRING', 'module name (string literal)');
    const module: Literal = { kind: 'Literal', pos: modTok.pos, token: 'string', value: modTok.value as string, raw: modTok.raw };
    const names: { local: Ident; name: string; namePos: Position }[] = [];
    while (this.accept(',')) {
      if (this.at(')')) break;
      if (this.at('IDENT') && this.peek().kind === '=') {
        const local = this.parseIdent();
        this.next();
        const s = this.expect('STRING', 'string literal naming the loaded symbol');
        names.push({ local, name: s.value as string, namePos: s.pos });
      } else {
        const s = this.expect('STRING', 'string literal naming the loaded symbol');
        const name = s.value as string;
        names.push({ local: { kind: 'Ident', pos: s.pos, name }, name, namePos: s.pos });
      }
    }
    const rp = this.expect(')');
    if (names.length === 0) this.error('load statement must import at least 1 symbol', rp.pos);
    for (const n of names) {
      if (!/^[\p{L}_][\p{L}\p{Nd}_]*$/u.test(n.name)) this.error(`load: invalid identifier "${n.name}"`, n.namePos);
      if (n.name.startsWith('_')) this.error(`load: symbol "${n.name}" is private and cannot be loaded`, n.namePos);
    }
    return { kind: 'LoadStmt', pos, module, names };
  }

  // ----- expressions ---------------------------------------------------------------------

  /** Expression = Test {',' Test}; a trailing comma is allowed only inside parentheses. */
  parseExpression(inParens: boolean): Expr {
    const first = this.parseTest();
    if (!this.at(',')) return first;
    const elems = [first];
    while (this.accept(',')) {
      if (inParens && this.at(')')) break;
      if (!inParens && this.endsExpression()) this.error(`got ${describe(this.tok)}, want expression (trailing comma requires parentheses)`, this.tok.pos);
      elems.push(this.parseTest());
    }
    return { kind: 'TupleExpr', pos: first.pos, elems, parenthesized: false };
  }

  private endsExpression(): boolean {
    const k = this.tok.kind;
    return k === 'NEWLINE' || k === 'EOF' || k === '=' || k === ':' || k === ')' || k === ';' || k === 'in' || ASSIGN_OPS.has(k);
  }

  /** Test = lambda | conditional expression | binary expression. */
  parseTest(): Expr {
    this.descend('expression', this.tok.pos);
    const x = this.parseTestAtDepth();
    this.depth--;
    return x;
  }

  private parseTestAtDepth(): Expr {
    if (this.at('lambda')) return this.parseLambda(true);
    const x = this.parseBinary(1);
    if (this.at('if')) {
      const pos = this.next().pos;
      const cond = this.parseBinary(1);
      if (!this.at('else')) this.error(`conditional expression without else clause`, this.tok.pos);
      this.next();
      const els = this.parseTest();
      return { kind: 'CondExpr', pos, cond, then: x, else: els };
    }
    return x;
  }

  /** A test without a conditional (used in comprehension clauses). */
  private parseTestNoCond(): Expr {
    if (this.at('lambda')) return this.parseLambda(false);
    return this.parseBinary(1);
  }

  private parseLambda(allowCond: boolean): Expr {
    const pos = this.expect('lambda').pos;
    const params = this.parseParams(':');
    this.expect(':');
    const body = allowCond ? this.parseTest() : this.parseTestNoCond();
    return { kind: 'LambdaExpr', pos, params, body };
  }

  private binaryOpAt(): string | undefined {
    const k = this.tok.kind;
    if (k === 'not') return this.peek().kind === 'in' ? 'not in' : undefined;
    return k in PREC ? k : undefined;
  }

  private parseBinary(minPrec: number): Expr {
    let x: Expr;
    const depth = this.depth;
    if (this.at('not') && minPrec <= NOT_PREC) {
      const pos = this.next().pos;
      this.descend('expression', pos);
      const operand = this.parseBinary(NOT_PREC);
      this.depth--;
      x = { kind: 'UnaryExpr', pos, op: 'not', x: operand };
    } else {
      x = this.parseUnary();
    }
    let lastComparison: string | undefined;
    while (true) {
      const op = this.binaryOpAt();
      if (op === undefined || PREC[op] < minPrec) {
        this.depth = depth;
        return x;
      }
      const prec = PREC[op];
      // Each operator of a chain puts the tree built so far one level deeper.
      this.descend('expression', this.tok.pos);
      const opTok = this.next();
      if (op === 'not in') this.next();
      if (prec === COMPARISON_PREC) {
        if (lastComparison !== undefined) {
          this.error(`${lastComparison} does not associate with ${op} (use parentheses)`, opTok.pos);
        }
        lastComparison = op;
      }
      this.descend('expression', this.tok.pos);
      const y = this.parseBinary(prec + 1);
      this.depth--;
      x = { kind: 'BinaryExpr', pos: opTok.pos, op: op as BinaryOp, x, y };
    }
  }

  private parseUnary(): Expr {
    const t = this.tok;
    if (t.kind === '+' || t.kind === '-' || t.kind === '~') {
      this.next();
      this.descend('expression', t.pos);
      const x = this.parseUnary();
      this.depth--;
      return { kind: 'UnaryExpr', pos: t.pos, op: t.kind, x };
    }
    if (t.kind === 'IDENT' && t.raw === 'is') this.error("'is' is not supported in Starlark; use ==", t.pos);
    return this.parsePrimaryWithSuffix();
  }

  private parsePrimaryWithSuffix(): Expr {
    let x = this.parseOperand();
    const depth = this.depth;
    while (true) {
      const t = this.tok;
      // Each suffix (.f, (...), [...]) puts the tree built so far one level deeper.
      if (t.kind === '.' || t.kind === '(' || t.kind === '[') this.descend('expression', t.pos);
      if (t.kind === '.') {
        this.next();
        const id = this.expect('IDENT', 'attribute name');
        x = { kind: 'DotExpr', pos: t.pos, x, name: id.value as string, namePos: id.pos };
      } else if (t.kind === '(') {
        x = this.parseCallSuffix(x);
      } else if (t.kind === '[') {
        x = this.parseIndexSuffix(x);
      } else {
        this.depth = depth;
        return x;
      }
    }
  }

  private parseCallSuffix(fn: Expr): Expr {
    const pos = this.expect('(').pos;
    const args: Argument[] = [];
    const seen = new Set<string>();
    let phase = 0; // 0 positional, 1 named, 2 *args, 3 **kwargs
    while (!this.at(')')) {
      if (args.length > 0) {
        this.expect(',');
        if (this.at(')')) break;
      }
      const t = this.tok;
      let arg: Argument;
      let argPhase: number;
      if (this.accept('**')) {
        arg = { kind: 'StarStar', pos: t.pos, value: this.parseTest() };
        argPhase = 3;
        if (phase === 3) this.error('multiple **kwargs arguments not allowed', t.pos);
      } else if (this.accept('*')) {
        arg = { kind: 'Star', pos: t.pos, value: this.parseTest() };
        argPhase = 2;
        if (phase >= 2) this.error(phase === 2 ? 'multiple *args arguments not allowed' : '*args may not follow **kwargs', t.pos);
      } else if (t.kind === 'IDENT' && this.peek().kind === '=') {
        this.next();
        this.next();
        const name = t.value as string;
        if (seen.has(name)) this.error(`keyword argument "${name}" is repeated`, t.pos);
        seen.add(name);
        arg = { kind: 'Keyword', pos: t.pos, name, value: this.parseTest() };
        argPhase = 1;
        if (phase > 1) this.error(`keyword argument may not follow ${phase === 2 ? '*args' : '**kwargs'}`, t.pos);
      } else {
        arg = { kind: 'Positional', pos: t.pos, value: this.parseTest() };
        argPhase = 0;
        if (phase > 0) {
          this.error(`positional argument may not follow ${phase === 1 ? 'named argument' : phase === 2 ? '*args' : '**kwargs'}`, t.pos);
        }
      }
      phase = Math.max(phase, argPhase);
      args.push(arg);
    }
    const rparen = this.expect(')').pos;
    return { kind: 'CallExpr', pos, fn, args, rparen };
  }

  private parseIndexSuffix(x: Expr): Expr {
    const pos = this.expect('[').pos;
    let lo: Expr | undefined;
    if (!this.at(':')) {
      const e = this.parseExpression(false);
      if (this.accept(']')) return { kind: 'IndexExpr', pos, x, index: e };
      lo = e;
    }
    this.expect(':', "':' or ']'");
    let hi: Expr | undefined;
    let step: Expr | undefined;
    if (!this.at(':') && !this.at(']')) hi = this.parseTest();
    if (this.accept(':')) {
      if (!this.at(']')) step = this.parseTest();
    }
    this.expect(']');
    return { kind: 'SliceExpr', pos, x, lo, hi, step };
  }

  private parseIdent(): Ident {
    const t = this.expect('IDENT');
    return { kind: 'Ident', pos: t.pos, name: t.value as string };
  }

  private parseOperand(): Expr {
    const t = this.tok;
    switch (t.kind) {
      case 'IDENT':
        this.next();
        return { kind: 'Ident', pos: t.pos, name: t.value as string };
      case 'INT':
        this.next();
        return { kind: 'Literal', pos: t.pos, token: 'int', value: t.value!, raw: t.raw };
      case 'FLOAT':
        this.next();
        return { kind: 'Literal', pos: t.pos, token: 'float', value: t.value!, raw: t.raw };
      case 'STRING':
      case 'BYTES':
        this.next();
        return { kind: 'Literal', pos: t.pos, token: t.kind === 'STRING' ? 'string' : 'bytes', value: t.value!, raw: t.raw };
      case '(': {
        this.next();
        if (this.accept(')')) return { kind: 'TupleExpr', pos: t.pos, elems: [], parenthesized: true };
        const e = this.parseExpression(true);
        this.expect(')');
        if (e.kind === 'TupleExpr' && !e.parenthesized) {
          e.parenthesized = true;
          e.pos = t.pos;
          return e;
        }
        return { kind: 'ParenExpr', pos: t.pos, x: e };
      }
      case '[':
        return this.parseListOrComprehension();
      case '{':
        return this.parseDictOrComprehension();
    }
    this.error(`got ${describe(t)}, want primary expression`, t.pos);
  }

  private parseListOrComprehension(): Expr {
    const pos = this.expect('[').pos;
    if (this.accept(']')) return { kind: 'ListExpr', pos, elems: [] };
    const first = this.parseTest();
    if (this.at('for')) {
      const clauses = this.parseClauses();
      this.expect(']');
      return { kind: 'Comprehension', pos, curly: false, body: first, clauses };
    }
    const elems = [first];
    while (this.accept(',')) {
      if (this.at(']')) break;
      elems.push(this.parseTest());
    }
    this.expect(']', "',' or ']'");
    return { kind: 'ListExpr', pos, elems };
  }

  private parseDictEntry(): DictEntry {
    const key = this.parseTest();
    const colon = this.expect(':');
    const value = this.parseTest();
    return { kind: 'DictEntry', pos: colon.pos, key, value };
  }

  private parseDictOrComprehension(): Expr {
    const pos = this.expect('{').pos;
    if (this.accept('}')) return { kind: 'DictExpr', pos, entries: [] };
    const first = this.parseDictEntry();
    if (this.at('for')) {
      const clauses = this.parseClauses();
      this.expect('}');
      return { kind: 'Comprehension', pos, curly: true, body: first, clauses };
    }
    const entries = [first];
    while (this.accept(',')) {
      if (this.at('}')) break;
      entries.push(this.parseDictEntry());
    }
    this.expect('}', "',' or '}'");
    return { kind: 'DictExpr', pos, entries };
  }

  private parseClauses(): Clause[] {
    const clauses: Clause[] = [];
    while (true) {
      const t = this.tok;
      if (this.accept('for')) {
        const vars = this.parseLoopVariables();
        this.expect('in');
        if (this.at('lambda')) this.error("got 'lambda', want expression (parenthesize the lambda)", this.tok.pos);
        const x = this.parseBinary(1);
        clauses.push({ kind: 'ForClause', pos: t.pos, vars, x });
      } else if (this.accept('if')) {
        clauses.push({ kind: 'IfClause', pos: t.pos, cond: this.parseTestNoCond() });
      } else {
        return clauses;
      }
    }
  }
}

function exprDescription(e: Expr): string {
  switch (e.kind) {
    case 'Literal': return 'literal';
    case 'CallExpr': return 'function call';
    case 'BinaryExpr': return `${e.op} expression`;
    case 'UnaryExpr': return `${e.op} expression`;
    case 'CondExpr': return 'conditional expression';
    case 'LambdaExpr': return 'lambda';
    case 'Comprehension': return 'comprehension';
    case 'DictExpr': return 'dict expression';
    case 'SliceExpr': return 'slice expression';
    default: return 'expression';
  }
}
