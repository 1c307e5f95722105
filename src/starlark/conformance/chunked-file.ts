// Reads conformance test files in starlark-go's "chunked file" format: chunks separated by lines
// consisting of `---`, each run as its own module, with `### "regexp"` marking the line at which
// the chunk must fail with a matching error.

import { readFileSync } from 'node:fs';
import { goRegExp } from './go-regexp.js';

/** An expected failure: the error reported at `line` must match `pattern`. */
export interface Expectation {
  line: number;
  pattern: RegExp;
  /** The pattern as written in the file, for messages. */
  source: string;
}

export interface Chunk {
  file: string;
  /** 0-based position of the chunk in its file. */
  index: number;
  /** 1-based line of the chunk's first line in the file. */
  startLine: number;
  /** The chunk text, preceded by blank lines so that line numbers match the file. */
  source: string;
  expectations: Map<number, Expectation>;
  /** Malformed `###` annotations; a chunk with any of these fails. */
  annotationErrors: { line: number; message: string }[];
}

const SEPARATOR = /^---\r?$/;
const MARK = '###';

export function readChunkedFile(file: string): Chunk[] {
  return parseChunkedText(file, readFileSync(file, 'utf8'));
}

export function parseChunkedText(file: string, text: string): Chunk[] {
  const lines = text.split('\n');
  const chunks: Chunk[] = [];
  let start = 0;
  const flush = (end: number): void => {
    const chunk: Chunk = {
      file,
      index: chunks.length,
      startLine: start + 1,
      source: '\n'.repeat(start) + lines.slice(start, end).join('\n'),
      expectations: new Map(),
      annotationErrors: [],
    };
    for (let i = start; i < end; i++) readAnnotation(chunk, i + 1, lines[i]);
    chunks.push(chunk);
  };
  for (let i = 0; i < lines.length; i++) {
    if (SEPARATOR.test(lines[i])) {
      flush(i);
      start = i + 1;
    }
  }
  flush(lines.length);
  return chunks;
}

function readAnnotation(chunk: Chunk, line: number, text: string): void {
  const at = text.indexOf(MARK);
  if (at < 0) return;
  const rest = text.slice(at + MARK.length).trim();
  let source: string;
  try {
    source = rest.startsWith('"') || rest.startsWith('`') ? unquoteGo(rest) : rest;
    if (source === '') throw new Error('empty pattern');
    chunk.expectations.set(line, { line, pattern: goRegExp(source), source });
  } catch (e) {
    chunk.annotationErrors.push({ line, message: `bad ### annotation (${(e as Error).message}): ${rest}` });
  }
}

const SIMPLE_ESCAPES: Record<string, string> = {
  a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\', '"': '"', "'": "'",
};

/** Go's strconv.Unquote for "interpreted" and `raw` string literals (the forms used after ###). */
export function unquoteGo(lit: string): string {
  if (lit.length >= 2 && lit.startsWith('`') && lit.endsWith('`')) {
    const body = lit.slice(1, -1);
    if (body.includes('`')) throw new Error('backquote inside raw string');
    return body;
  }
  if (lit.length < 2 || !lit.startsWith('"') || !lit.endsWith('"')) throw new Error('not a quoted string');
  const body = lit.slice(1, -1);
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === '"') throw new Error('unescaped quote');
    if (c !== '\\') {
      out += c;
      continue;
    }
    const e = body[++i];
    if (e === undefined) throw new Error('trailing backslash');
    if (e in SIMPLE_ESCAPES) {
      out += SIMPLE_ESCAPES[e];
    } else if (e === 'x' || e === 'u' || e === 'U') {
      const n = e === 'x' ? 2 : e === 'u' ? 4 : 8;
      const hex = body.slice(i + 1, i + 1 + n);
      if (!new RegExp(`^[0-9a-fA-F]{${n}}$`).test(hex)) throw new Error(`bad \\${e} escape`);
      out += String.fromCodePoint(parseInt(hex, 16));
      i += n;
    } else if (e >= '0' && e <= '7') {
      const oct = body.slice(i, i + 3);
      if (!/^[0-7]{3}$/.test(oct)) throw new Error('bad octal escape');
      out += String.fromCharCode(parseInt(oct, 8));
      i += 2;
    } else {
      throw new Error(`unknown escape \\${e}`);
    }
  }
  return out;
}
