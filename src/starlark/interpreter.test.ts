import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StarlarkError } from './errors.js';
import { execFile, execSource, Interpreter } from './interpreter.js';
import { StarList } from './values.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'starlark-test-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function write(name: string, src: string): string {
  const p = join(dir, name);
  writeFileSync(p, src);
  return p;
}
function errorOf(f: () => unknown): StarlarkError {
  try {
    f();
  } catch (e) {
    if (e instanceof StarlarkError) return e;
    throw e;
  }
  throw new Error('expected a Starlark error');
}

describe('module loading', () => {
  it('loads modules relative to the loading file, with aliases', () => {
    write('lib.star', 'def double(x):\n    return 2 * x\nK = 21\n_private = 1\n');
    write('sub.star', 'load("lib.star", "K")\nM = K + 1\n');
    const main = write('main.star', 'load("lib.star", "double", k = "K")\nload("sub.star", "M")\nresult = double(k) + M\n');
    const m = execFile(main, { print: () => {} });
    expect(m.globals.get('result')).toBe(64);
    // Loaded names are file-local: not exported.
    expect(m.globals.has('double')).toBe(false);
    expect([...m.globals.keys()]).toEqual(['result']);
  });

  it('evaluates each module once per interpreter session', () => {
    write('counter.star', 'print("loading counter")\nN = 1\n');
    write('a.star', 'load("counter.star", "N")\nA = N\n');
    const main = write('main.star', 'load("counter.star", "N")\nload("a.star", "A")\nX = N + A\n');
    const lines: string[] = [];
    const interp = new Interpreter({ print: (l) => lines.push(l) });
    expect(interp.execFile(main).globals.get('X')).toBe(2);
    expect(lines).toEqual(['loading counter']);
    interp.execFile(join(dir, 'a.star'));
    expect(lines).toEqual(['loading counter']);
  });

  it('detects load cycles and names the cycle', () => {
    write('a.star', 'load("b.star", "B")\nA = 1\n');
    write('b.star', 'load("a.star", "A")\nB = 1\n');
    const e = errorOf(() => execFile(join(dir, 'a.star')));
    expect(e.message).toMatch(/^cycle in load graph: .*a\.star -> .*b\.star -> .*a\.star$/);
    expect(e.pos?.line).toBe(1);
  });

  it('reports missing modules and missing names', () => {
    const main = write('main.star', 'load("nope.star", "x")\n');
    expect(errorOf(() => execFile(main)).message).toContain('cannot load nope.star: no such file');
    write('lib.star', 'A = 1\n');
    const main2 = write('main2.star', 'load("lib.star", "B")\n');
    const e = errorOf(() => execFile(main2));
    expect(e.message).toBe('load: name B not found in module lib.star');
    expect(e.pos).toMatchObject({ line: 1, col: 18 });
  });

  it('shows the load chain in the traceback of an error inside a loaded module', () => {
    write('bad.star', 'def f():\n    return 1 // 0\nX = f()\n');
    const main = write('main.star', 'load("bad.star", "X")\n');
    const e = errorOf(() => execFile(main));
    expect(e.message).toBe('integer division by zero');
    expect(e.callStack.map((f) => `${f.name}:${f.pos.file.endsWith('bad.star') ? 'bad' : 'main'}:${f.pos.line}`)).toEqual([
      '<toplevel>:main:1',
      '<toplevel>:bad:3',
      'f:bad:2',
    ]);
  });

  it('supports a custom load function', () => {
    const lib = execSource('virtual/lib.star', 'V = [1, 2]\n');
    const seen: string[] = [];
    const m = execSource('main.star', 'load("@faultbox/lib.star", "V")\nn = len(V)\n', {
      load: (from, path) => {
        seen.push(`${from}|${path}`);
        return lib;
      },
    });
    expect(m.globals.get('n')).toBe(2);
    expect(seen[0]).toMatch(/main\.star\|@faultbox\/lib\.star$/);
  });

  it('reports unreadable files', () => {
    expect(errorOf(() => execFile(join(dir, 'missing.star'))).message).toContain('cannot read');
  });
});

describe('execution options', () => {
  it('routes print to the given sink', () => {
    const lines: string[] = [];
    execSource('p.star', 'print("a", 1)\nprint([None])\n', { print: (l) => lines.push(l) });
    expect(lines).toEqual(['a 1', '[None]']);
  });

  it('stops runaway loops with maxSteps', () => {
    const e = errorOf(() => execSource('loop.star', 'x = 0\nwhile True:\n    x += 1\n', { maxSteps: 10000 }));
    expect(e.message).toContain('step limit exceeded');
    expect(e.pos?.line).toBe(2);
  });

  it('stops runaway loops with a deadline', () => {
    const e = errorOf(() => execSource('loop.star', 'x = 0\nwhile True:\n    x += 1\n', { deadline: Date.now() + 50 }));
    expect(e.message).toContain('deadline exceeded');
  });

  it('freezes exported globals', () => {
    const m = execSource('f.star', 'L = [1]\n');
    const l = m.globals.get('L') as StarList;
    expect(l.frozen).toBe(true);
  });

  it('exposes embedder predeclared values', () => {
    const m = execSource('p.star', 'y = x * 2\n', { predeclared: { x: 21 } });
    expect(m.globals.get('y')).toBe(42);
  });
});
