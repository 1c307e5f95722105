// What a chunk asks of its harness beyond the assert module: the dialect options named on its
// `# option:NAME` lines (as starlark-go's test driver reads them), and any globals that only
// starlark-go's Go test driver defines, which make the chunk unrunnable here.

import { parseSource, walk, type Dialect } from '../index.js';

/**
 * Globals predeclared by starlark-go's eval_test.go that exist only there (its third, `struct`,
 * is one of our universal builtins).
 */
export const GO_HARNESS_GLOBALS: ReadonlySet<string> = new Set(['hasfields', 'fibonacci']);

const OPTION = /option:([a-z]+)/g;

/**
 * Dialect options named in the chunk. `set` needs nothing: sets are always available. Unknown
 * names are returned so the runner can fail the chunk instead of ignoring them.
 */
export function chunkDialect(source: string): { dialect: Dialect; unknown: string[] } {
  const dialect: Dialect = {};
  const unknown: string[] = [];
  for (const m of source.matchAll(OPTION)) {
    switch (m[1]) {
      case 'recursion': dialect.recursion = true; break;
      case 'globalreassign': dialect.globalReassign = true; break;
      case 'loadbindsglobally': dialect.loadBindsGlobally = true; break;
      case 'set': break;
      default: unknown.push(m[1]);
    }
  }
  return { dialect, unknown };
}

/** Go-harness globals the chunk refers to, in order of first use; [] if it cannot be parsed. */
export function goHarnessGlobalsUsed(file: string, source: string): string[] {
  let syntax;
  try {
    syntax = parseSource(file, source);
  } catch {
    return []; // a chunk that expects a syntax error runs normally
  }
  const used: string[] = [];
  walk(syntax, (n) => {
    if (n.kind === 'Ident' && GO_HARNESS_GLOBALS.has(n.name) && !used.includes(n.name)) used.push(n.name);
  });
  return used;
}
