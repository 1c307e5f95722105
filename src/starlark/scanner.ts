// Scanner: turns Starlark source text into tokens, including NEWLINE/INDENT/OUTDENT.

import { StarlarkError, type Position } from './errors.js';

export type TokenKind =
  | 'EOF'
  | 'NEWLINE'
  | 'INDENT'
  | 'OUTDENT'
  | 'IDENT'
  | 'INT'
  | 'FLOAT'
  | 'STRING'
  | 'BYTES'
  | Keyword
  | Punct;

export type Keyword =
  | 'and' | 'break' | 'continue' | 'def' | 'elif' | 'else' | 'for' | 'if' | 'in' | 'lambda'
  | 'load' | 'not' | 'or' | 'pass' | 'return' | 'while';

export type Punct =
  | '+' | '-' | '*' | '/' | '//' | '%' | '=' | '+=' | '-=' | '*=' | '/=' | '//=' | '%=' | '==' | '!='
  | '^' | '<' | '>' | '<<' | '>>' | '&' | '|' | '^=' | '<=' | '>=' | '<<=' | '>>=' | '&=' | '|='
  | '.' | ',' | ';' | ':' | '~' | '**' | '(' | ')' | '[' | ']' | '{' | '}';

const KEYWORDS = new Set<string>([
  'and', 'break', 'continue', 'def', 'elif', 'else', 'for', 'if', 'in', 'lambda', 'load', 'not',
  'or', 'pass', 'return', 'while',
]);

/** Python keywords Starlark reserves; using one is a static error. */
const RESERVED = new Set<string>([
  'as', 'async', 'await', 'class', 'del', 'except', 'finally', 'from', 'global', 'import', 'is',
  'nonlocal', 'raise', 'try', 'with', 'yield',
]);

// Longest match first.
const PUNCTS: string[] = [
  '//=', '<<=', '>>=', '**',
  '//', '<<', '>>', '+=', '-=', '*=', '/=', '%=', '==', '!=', '^=', '<=', '>=', '&=', '|=',
  '+', '-', '*', '/', '%', '=', '^', '<', '>', '&', '|', '.', ',', ';', ':', '~', '(', ')', '[',
  ']', '{', '}',
];

const PUNCT_BY_FIRST = new Map<string, string[]>();
for (const pu of PUNCTS) {
  const list = PUNCT_BY_FIRST.get(pu[0]) ?? [];
  list.push(pu); // PUNCTS is longest-first, so each list is too
  PUNCT_BY_FIRST.set(pu[0], list);
}

export interface Token {
  kind: TokenKind;
  pos: Position;
  /** Decoded value: identifier name, string contents, int (number|bigint) or float. */
  value?: string | number | bigint;
  /** Source text of the token. */
  raw: string;
}

function isIdentStart(c: string): boolean {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_' || (c > '\x7f' && /\p{L}/u.test(c));
}
/** Identifier continuation, by UTF-16 code unit (non-ASCII checked by regex on the char). */
function isIdentPartCode(src: string, j: number): boolean {
  const c = src.charCodeAt(j);
  if (c < 0x80) return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || (c >= 48 && c <= 57);
  if (Number.isNaN(c)) return false;
  const ch = src[j];
  return /[\p{L}\p{Nd}]/u.test(ch);
}

function isDigit(c: string): boolean {
  return c >= '0' && c <= '9';
}

export function scan(file: string, src: string): Token[] {
  return new Scanner(file, src).run();
}

class Scanner {
  private i = 0;
  private line = 1;
  private lineStart = 0;
  private depth = 0; // bracket nesting
  private indents: number[] = [0];
  private toks: Token[] = [];
  private lines: string[];

  constructor(
    private readonly file: string,
    private readonly src: string,
  ) {
    this.lines = src.split(/\r?\n|\r/);
  }

  private pos(at = this.i): Position {
    return { file: this.file, line: this.line, col: at - this.lineStart + 1 };
  }

  private error(msg: string, pos: Position = this.pos()): never {
    const e = new StarlarkError(msg, pos, this.lines[pos.line - 1]);
    e.isStatic = true;
    throw e;
  }

  private push(kind: TokenKind, pos: Position, raw: string, value?: string | number | bigint): void {
    this.toks.push({ kind, pos, raw, value });
  }

  private newline(): void {
    // consumes one line terminator at this.i
    if (this.src[this.i] === '\r' && this.src[this.i + 1] === '\n') this.i += 2;
    else this.i++;
    this.line++;
    this.lineStart = this.i;
  }

  run(): Token[] {
    const src = this.src;
    if (src.charCodeAt(0) === 0xfeff) {
      this.i = 1; // byte-order mark
      this.lineStart = 1;
    }
    let atLineStart = true;
    while (true) {
      if (atLineStart && this.depth === 0) {
        // Measure indentation; skip blank and comment-only lines.
        let col = 0;
        let j = this.i;
        while (j < src.length) {
          const c = src[j];
          if (c === ' ') col++;
          else if (c === '\t') col += 8 - (col % 8);
          else if (c === '\f') col = 0;
          else break;
          j++;
        }
        const c = src[j];
        if (c === undefined) {
          this.i = j;
          break;
        }
        if (c === '\n' || c === '\r') {
          this.i = j;
          this.newline();
          continue;
        }
        if (c === '#') {
          while (j < src.length && src[j] !== '\n' && src[j] !== '\r') j++;
          this.i = j;
          continue;
        }
        if (c === '\\' && (src[j + 1] === '\n' || src[j + 1] === '\r')) {
          // A continuation at the very start of a logical line: treat as whitespace.
          this.i = j + 1;
          this.newline();
          continue;
        }
        this.i = j;
        const p = this.pos();
        const cur = this.indents[this.indents.length - 1];
        if (col > cur) {
          this.indents.push(col);
          this.push('INDENT', p, '');
        } else if (col < cur) {
          while (col < this.indents[this.indents.length - 1]) {
            this.indents.pop();
            this.push('OUTDENT', p, '');
          }
          if (col !== this.indents[this.indents.length - 1]) {
            this.error('unindent does not match any outer indentation level', p);
          }
        }
        atLineStart = false;
      }

      if (this.i >= src.length) break;
      const c = src[this.i];

      if (c === ' ' || c === '\t' || c === '\f') {
        this.i++;
        continue;
      }
      if (c === '#') {
        while (this.i < src.length && src[this.i] !== '\n' && src[this.i] !== '\r') this.i++;
        continue;
      }
      if (c === '\n' || c === '\r') {
        if (this.depth === 0) {
          this.push('NEWLINE', this.pos(), '');
          atLineStart = true;
        }
        this.newline();
        continue;
      }
      if (c === '\\') {
        if (src[this.i + 1] === '\n' || src[this.i + 1] === '\r') {
          this.i++;
          this.newline();
          continue;
        }
        this.error('stray backslash in program');
      }

      const start = this.i;
      const p = this.pos();

      // String literals, possibly prefixed by r, b, rb, br.
      if (c === '"' || c === "'" || ((c === 'r' || c === 'b' || c === 'R' || c === 'B') && this.stringAhead())) {
        this.scanString(p);
        continue;
      }

      if (isIdentStart(c)) {
        let j = this.i + 1;
        while (j < src.length && isIdentPartCode(src, j)) j++;
        const word = src.slice(this.i, j);
        this.i = j;
        if (KEYWORDS.has(word)) this.push(word as Keyword, p, word);
        else if (word === 'is') this.error("'is' is not supported in Starlark; use == to compare values", p);
        else if (RESERVED.has(word)) this.error(`'${word}' is a reserved keyword and cannot be used in Starlark`, p);
        else this.push('IDENT', p, word, word);
        continue;
      }

      if (isDigit(c) || (c === '.' && isDigit(src[this.i + 1] ?? ''))) {
        this.scanNumber(p);
        continue;
      }

      let matched = '';
      const cands = PUNCT_BY_FIRST.get(c);
      if (cands) {
        for (const pu of cands) {
          if (pu.length === 1 || src.startsWith(pu, this.i)) {
            matched = pu;
            break;
          }
        }
      }
      if (matched === '') this.error(`unexpected input character ${JSON.stringify(c)}`);
      if (matched === '(' || matched === '[' || matched === '{') this.depth++;
      else if (matched === ')' || matched === ']' || matched === '}') {
        if (this.depth > 0) this.depth--;
      }
      this.i += matched.length;
      this.push(matched as Punct, p, src.slice(start, this.i));
    }

    const endPos = this.pos();
    const last = this.toks[this.toks.length - 1];
    if (last && last.kind !== 'NEWLINE' && last.kind !== 'OUTDENT') this.push('NEWLINE', endPos, '');
    while (this.indents.length > 1) {
      this.indents.pop();
      this.push('OUTDENT', endPos, '');
    }
    this.push('EOF', endPos, '');
    return this.toks;
  }

  private stringAhead(): boolean {
    const s = this.src;
    const a = s[this.i + 1];
    if (a === '"' || a === "'") return true;
    const c = s[this.i].toLowerCase();
    const b = a?.toLowerCase();
    if ((c === 'r' && b === 'b') || (c === 'b' && b === 'r')) {
      const q = s[this.i + 2];
      return q === '"' || q === "'";
    }
    return false;
  }

  private scanNumber(p: Position): void {
    const src = this.src;
    const start = this.i;
    const c0 = src[this.i];
    const c1 = (src[this.i + 1] ?? '').toLowerCase();
    if (c0 === '0' && (c1 === 'x' || c1 === 'o' || c1 === 'b')) {
      this.i += 2;
      const digitRe = c1 === 'x' ? /[0-9a-fA-F]/ : c1 === 'o' ? /[0-7]/ : /[01]/;
      const ds = this.i;
      while (this.i < src.length && /[0-9a-zA-Z_]/.test(src[this.i])) {
        if (!digitRe.test(src[this.i])) {
          this.error(`invalid digit '${src[this.i]}' in ${c1 === 'x' ? 'hexadecimal' : c1 === 'o' ? 'octal' : 'binary'} literal`);
        }
        this.i++;
      }
      if (this.i === ds) this.error(`${c1 === 'x' ? 'hexadecimal' : c1 === 'o' ? 'octal' : 'binary'} literal has no digits`, p);
      const raw = src.slice(start, this.i);
      const big = BigInt(raw.toLowerCase().replace('0o', '0o'));
      this.push('INT', p, raw, normBig(big));
      return;
    }
    let isFloat = false;
    while (isDigit(src[this.i] ?? '')) this.i++;
    if (src[this.i] === '.') {
      isFloat = true;
      this.i++;
      while (isDigit(src[this.i] ?? '')) this.i++;
    }
    const e = src[this.i];
    if (e === 'e' || e === 'E') {
      let j = this.i + 1;
      if (src[j] === '+' || src[j] === '-') j++;
      if (isDigit(src[j] ?? '')) {
        isFloat = true;
        this.i = j;
        while (isDigit(src[this.i] ?? '')) this.i++;
      } else {
        this.error('invalid float literal: exponent has no digits');
      }
    }
    if (isIdentStart(src[this.i] ?? '')) this.error(`invalid character '${src[this.i]}' in numeric literal`);
    const raw = src.slice(start, this.i);
    if (isFloat) {
      const f = Number(raw);
      if (!Number.isFinite(f)) this.error(`floating-point literal out of range: ${raw}`, p);
      this.push('FLOAT', p, raw, f);
      return;
    }
    if (raw.length > 1 && raw[0] === '0') {
      if (/^0+$/.test(raw)) {
        this.push('INT', p, raw, 0);
        return;
      }
      this.error('obsolete form of octal literal; use 0o' + raw.slice(1), p);
    }
    this.push('INT', p, raw, normBig(BigInt(raw)));
  }

  private scanString(p: Position): void {
    const src = this.src;
    let raw = false;
    let bytes = false;
    while (src[this.i] !== '"' && src[this.i] !== "'") {
      const c = src[this.i].toLowerCase();
      if (c === 'r') raw = true;
      else bytes = true;
      this.i++;
    }
    const start = this.i;
    const q = src[this.i];
    const triple = src[this.i + 1] === q && src[this.i + 2] === q;
    this.i += triple ? 3 : 1;
    let out = '';
    while (true) {
      if (this.i >= src.length) this.error('unexpected EOF in string', p);
      const c = src[this.i];
      if (c === q) {
        if (!triple) {
          this.i++;
          break;
        }
        if (src[this.i + 1] === q && src[this.i + 2] === q) {
          this.i += 3;
          break;
        }
        out += c;
        this.i++;
        continue;
      }
      if (c === '\n' || c === '\r') {
        if (!triple) this.error('unexpected newline in string', p);
        out += '\n';
        this.newline();
        continue;
      }
      if (c !== '\\') {
        // Copy the run of ordinary characters up to the next quote, backslash or newline.
        let j = this.i + 1;
        while (j < src.length) {
          const d = src[j];
          if (d === q || d === '\\' || d === '\n' || d === '\r') break;
          j++;
        }
        out += src.slice(this.i, j);
        this.i = j;
        continue;
      }
      // Backslash.
      const d = src[this.i + 1];
      if (d === undefined) this.error('unexpected EOF in string', p);
      if (raw) {
        if (d === '\n' || d === '\r') {
          out += '\\\n';
          this.i++;
          this.newline();
          continue;
        }
        // A backslash keeps the next char literal (including a quote), and is itself kept.
        out += '\\' + d;
        this.i += 2;
        continue;
      }
      const escPos = this.pos();
      switch (d) {
        case '\n':
        case '\r':
          this.i++;
          this.newline();
          continue;
        case 'a': out += '\x07'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'v': out += '\v'; break;
        case '\\': out += '\\'; break;
        case "'": out += "'"; break;
        case '"': out += '"'; break;
        case '0': case '1': case '2': case '3': case '4': case '5': case '6': case '7': {
          let j = this.i + 1;
          let n = 0;
          let k = 0;
          while (k < 3 && /[0-7]/.test(src[j] ?? '')) {
            n = n * 8 + (src.charCodeAt(j) - 48);
            j++;
            k++;
          }
          if (n > 255) this.error(`non-byte octal escape sequence \\${src.slice(this.i + 1, j)}`, escPos);
          out += String.fromCharCode(n);
          this.i = j;
          continue;
        }
        case 'x': {
          const h = src.slice(this.i + 2, this.i + 4);
          if (!/^[0-9a-fA-F]{2}$/.test(h)) this.error('invalid escape sequence \\x' + h, escPos);
          out += String.fromCharCode(parseInt(h, 16));
          this.i += 4;
          continue;
        }
        case 'u':
        case 'U': {
          const n = d === 'u' ? 4 : 8;
          const h = src.slice(this.i + 2, this.i + 2 + n);
          if (h.length !== n || !/^[0-9a-fA-F]+$/.test(h)) this.error(`invalid escape sequence \\${d}${h}`, escPos);
          const cp = parseInt(h, 16);
          if (cp > 0x10ffff) this.error(`code point out of range: \\${d}${h} (max \\U0010ffff)`, escPos);
          if (cp >= 0xd800 && cp < 0xe000) this.error(`invalid Unicode code point \\${d}${h}`, escPos);
          out += String.fromCodePoint(cp);
          this.i += 2 + n;
          continue;
        }
        default:
          this.error(`invalid escape sequence \\${d}`, escPos);
      }
      this.i += 2;
    }
    this.push(bytes ? 'BYTES' : 'STRING', p, src.slice(start, this.i), out);
  }
}

function normBig(b: bigint): number | bigint {
  return b >= -9007199254740991n && b <= 9007199254740991n ? Number(b) : b;
}
