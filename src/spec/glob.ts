// The small glob dialect of `--test` patterns and event filters: `*` matches any run of
// characters (including "/"), `?` exactly one; everything else is literal.

export function hasGlob(pattern: string): boolean {
  return pattern.includes('*') || pattern.includes('?');
}

export function globToRegExp(pattern: string): RegExp {
  let re = '';
  for (const ch of pattern) {
    if (ch === '*') re += '.*';
    else if (ch === '?') re += '.';
    else re += ch.replace(/[\\^$.|+()[\]{}]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, 's');
}

export function matchGlob(pattern: string, text: string): boolean {
  return hasGlob(pattern) ? globToRegExp(pattern).test(text) : pattern === text;
}
