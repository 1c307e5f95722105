// Path globs for fault rules: `*` and `?` stay within one path segment, `**` crosses segments,
// `[abc]`/`[!abc]`/`[a-z]` are classes, `\x` escapes x. A trailing `/**` also matches the
// directory itself. An empty glob matches every path. Compiled when a spec gives one (so a glob
// that cannot work is refused where it is written) and again when rules are armed.
import { SpecError } from '../errors.js';

export interface PathGlob {
  readonly source: string;
  test(path: string): boolean;
}

export function compilePathGlob(glob: string): PathGlob {
  if (glob === '') return { source: glob, test: () => true };
  const source = toRegexSource(glob);
  let re: RegExp;
  try {
    re = new RegExp(`^${source}$`, 's');
  } catch {
    // What the translation lets through and a RegExp still refuses: a class range out of order.
    throw new SpecError(`path glob "${glob}": a character class is invalid (a range must go upwards, e.g. [a-z], not [z-a])`);
  }
  return { source: glob, test: (path) => re.test(path) };
}

function toRegexSource(glob: string): string {
  let out = '';
  let i = 0;
  while (i < glob.length) {
    const c = glob[i]!;
    if (c === '*') {
      if (glob[i + 1] === '*') {
        const atSegmentStart = i === 0 || glob[i - 1] === '/';
        const followedBySlash = glob[i + 2] === '/';
        const atEnd = i + 2 === glob.length;
        if (atSegmentStart && followedBySlash) {
          // `**/` : zero or more whole segments
          out += '(?:.*/)?';
          i += 3;
          continue;
        }
        if (atSegmentStart && atEnd && i > 0) {
          // trailing `/**`: everything below the directory, and the directory itself
          out = out.slice(0, -1) + '(?:/.*)?';
          i += 2;
          continue;
        }
        out += '.*';
        i += 2;
        while (glob[i] === '*') i++;
        continue;
      }
      out += '[^/]*';
      i++;
      continue;
    }
    if (c === '?') {
      out += '[^/]';
      i++;
      continue;
    }
    if (c === '[') {
      const end = classEnd(glob, i);
      if (end < 0) throw new SpecError(`path glob "${glob}": unclosed "[" at offset ${i} (expected e.g. [abc] or [!a-z])`);
      out += classSource(glob.slice(i + 1, end));
      i = end + 1;
      continue;
    }
    if (c === '\\') {
      if (i + 1 >= glob.length) throw new SpecError(`path glob "${glob}": trailing "\\" escapes nothing`);
      out += escapeRegex(glob[i + 1]!);
      i += 2;
      continue;
    }
    out += escapeRegex(c);
    i++;
  }
  return out;
}

/** Index of the `]` closing the class opened at `start`; a `]` right after `[` or `[!` is literal. */
function classEnd(glob: string, start: number): number {
  let j = start + 1;
  if (glob[j] === '!' || glob[j] === '^') j++;
  if (glob[j] === ']') j++;
  while (j < glob.length) {
    if (glob[j] === '\\') { j += 2; continue; }
    if (glob[j] === ']') return j;
    j++;
  }
  return -1;
}

function classSource(body: string): string {
  let negate = false;
  let k = 0;
  if (body[0] === '!' || body[0] === '^') { negate = true; k = 1; }
  let set = '';
  for (; k < body.length; k++) {
    const ch = body[k]!;
    if (ch === '\\' && k + 1 < body.length) { set += escapeClassChar(body[++k]!); continue; }
    if (ch === '-' && set !== '' && k + 1 < body.length) { set += '-'; continue; }
    set += escapeClassChar(ch);
  }
  // A class never matches the separator, like `*` and `?`.
  return negate ? `[^/${set}]` : `(?!/)[${set}]`;
}

function escapeRegex(c: string): string {
  return /[.*+?^${}()|[\]\\]/.test(c) ? `\\${c}` : c;
}

function escapeClassChar(c: string): string {
  return /[\]\\^-]/.test(c) ? `\\${c}` : c;
}
