// The interpreter's modules import each other without cycles (type-only imports count too), so
// each one can be read, and loaded, after the ones it builds on; the call protocol sits below the
// compiler, and nothing here imports from outside src/starlark.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = dirname(fileURLToPath(import.meta.url));

/** Source files of src/starlark (tests and test support left out), relative to it. */
function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...sourceFiles(p));
    else if (e.name.endsWith('.ts') && !/\.test(-support)?\.ts$/.test(e.name)) out.push(relative(root, p));
  }
  return out;
}

/** Each file's relative imports (side-effect ones too) and re-exports, as paths relative to src/starlark. */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const f of sourceFiles(root)) {
    const src = readFileSync(join(root, f), 'utf8');
    const deps = new Set<string>();
    for (const m of src.matchAll(/^(?:import|export)\s(?:[^;]*?\sfrom\s+)?'(\.{1,2}\/[^']+)\.js'/gms)) {
      deps.add(relative(root, resolve(root, dirname(f), m[1] + '.ts')));
    }
    graph.set(f, [...deps]);
  }
  return graph;
}

/** One path per back edge met in a depth-first walk: empty exactly when the graph has no cycle. */
function cycles(graph: Map<string, string[]>): string[] {
  const found: string[] = [];
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (n: string): void => {
    state.set(n, 'open');
    path.push(n);
    for (const d of graph.get(n) ?? []) {
      if (state.get(d) === 'open') found.push([...path.slice(path.indexOf(d)), d].join(' -> '));
      else if (!state.has(d)) visit(d);
    }
    path.pop();
    state.set(n, 'done');
  };
  for (const n of [...graph.keys()].sort()) if (!state.has(n)) visit(n);
  return found;
}

/** Every file `start` imports, directly or through others. */
function reachable(graph: Map<string, string[]>, start: string): Set<string> {
  const seen = new Set<string>();
  const visit = (n: string): void => {
    for (const d of graph.get(n) ?? []) {
      if (!seen.has(d)) {
        seen.add(d);
        visit(d);
      }
    }
  };
  visit(start);
  return seen;
}

/** The call protocol: frames, argument binding, calling values and methods, and host code calling in. */
const CALL_PROTOCOL = ['frame.ts', 'bind-args.ts', 'call-function.ts', 'call-value.ts', 'call-method.ts', 'call-from-host.ts'];

describe('src/starlark import graph', () => {
  it('reads the imports it checks', () => {
    const g = importGraph();
    expect(g.get('ops.ts')).toContain('methods.ts');
    expect(g.get('string-methods.ts')).toContain('iterate.ts');
    expect(g.get('conformance/runner.ts')).toContain('index.ts');
  });

  it('finds a cycle when there is one', () => {
    const g = new Map([['a.ts', ['b.ts']], ['b.ts', ['c.ts']], ['c.ts', ['a.ts']]]);
    expect(cycles(g)).toEqual(['a.ts -> b.ts -> c.ts -> a.ts']);
  });

  it('has no import cycles', () => {
    expect(cycles(importGraph())).toEqual([]);
  });

  it('keeps the call protocol below the compiler: no call-protocol module reaches a compiling one', () => {
    const g = importGraph();
    for (const f of CALL_PROTOCOL) {
      expect(g.has(f), f).toBe(true);
      const compiling = [...reachable(g, f)].filter((d) => d === 'compiler.ts' || d.startsWith('compile-'));
      expect(compiling, f).toEqual([]);
    }
    expect([...reachable(g, 'compiler.ts')]).toContain('call-function.ts');
  });

  it('imports nothing outside src/starlark', () => {
    const outside = [...importGraph()].flatMap(([f, deps]) => deps.filter((d) => d.startsWith('..')).map((d) => `${f} -> ${d}`));
    expect(outside).toEqual([]);
  });
});
