// Patterns in the corpus use Go's RE2 syntax (as in starlark-go's test data). Almost all of it is
// valid JavaScript; this translates the few forms that are not.

const POSIX_CLASSES: Record<string, string> = {
  alpha: 'A-Za-z', digit: '0-9', alnum: 'A-Za-z0-9', space: '\\s', upper: 'A-Z', lower: 'a-z',
  punct: '!-/:-@\\[-`{-~', xdigit: '0-9A-Fa-f',
};

/** Compile a Go (RE2) regular expression as an unanchored JS RegExp. */
export function goRegExp(pattern: string): RegExp {
  let flags = '';
  let i = 0;
  // A leading flag group such as (?i) or (?is) applies to the whole pattern.
  const lead = /^\(\?([ims]+)\)/.exec(pattern);
  if (lead) {
    for (const f of lead[1]) if (!flags.includes(f)) flags += f;
    i = lead[0].length;
  }
  let out = '';
  for (; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\' && i + 1 < pattern.length) {
      const e = pattern[++i];
      out += e === 'A' ? '^' : e === 'z' ? '$' : '\\' + e;
      continue;
    }
    if (c === '[' && pattern[i + 1] === ':') {
      const m = /^\[:([a-z]+):\]/.exec(pattern.slice(i));
      if (m && m[1] in POSIX_CLASSES) {
        out += POSIX_CLASSES[m[1]];
        i += m[0].length - 1;
        continue;
      }
    }
    out += c;
  }
  return new RegExp(out, flags);
}
