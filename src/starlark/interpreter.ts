// Module execution and loading: parse → resolve → compile → run, once per module per session.

import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { isUniversal, universe } from './builtins.js';
import { compileFile } from './compiler.js';
import { Frame } from './frame.js';
import { DEFAULT_DIALECT, type Dialect } from './dialect.js';
import { StarlarkError } from './errors.js';
import { parseSource } from './parser.js';
import { resolveFile } from './resolver.js';
import { Thread } from './thread.js';
import { freeze, type Value } from './values.js';

export interface Module {
  /** The module's file (as displayed in positions). */
  file: string;
  /** Global bindings after execution (frozen). Names bound only by load() are not included. */
  globals: Map<string, Value>;
}

export interface ExecOptions {
  /** Embedder builtins, visible to every module of the session. */
  predeclared?: Record<string, Value>;
  /**
   * Override module loading. `fromFile` is the loading module's absolute path (or its display
   * name for in-memory sources); use `interp` to evaluate modules you supply yourself.
   * Default: resolve relative to the loading file's directory and evaluate each file once.
   */
  load?: (fromFile: string, modulePath: string, interp: Interpreter) => Module;
  /** Output of print(); default: a line on stderr. */
  print?: (line: string) => void;
  /** Stop runaway programs after this many steps (loop iterations + function calls). */
  maxSteps?: number;
  /** Stop runaway programs once Date.now() passes this time (ms since epoch). */
  deadline?: number;
  /** Run on an existing thread (sharing its limits, print and locals). */
  thread?: Thread;
  /** Language options (recursion, ...); default: all off. */
  dialect?: Dialect;
}

/** A session: modules are evaluated once each and shared by all loads within it. */
export class Interpreter {
  readonly thread: Thread;
  private readonly modules = new Map<string, Module>();
  private readonly loading: string[] = [];
  private readonly predeclared: Record<string, Value>;

  constructor(readonly opts: ExecOptions = {}) {
    this.thread = opts.thread ?? new Thread(opts);
    this.predeclared = opts.predeclared ?? {};
  }

  /** Execute a file (or return it if this session already executed it). */
  execFile(path: string): Module {
    const abs = resolve(path);
    const cached = this.modules.get(abs);
    if (cached) return cached;
    let src: string;
    try {
      src = readFileSync(abs, 'utf8');
    } catch (e) {
      throw new StarlarkError(`cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
    }
    return this.run(abs, displayName(abs), src);
  }

  /** Execute source text under a file name (used for positions and as the module key). */
  execSource(filename: string, source: string): Module {
    const key = isAbsolute(filename) ? filename : resolve(filename);
    return this.run(key, filename, source);
  }

  /** Load `modulePath` on behalf of the module at `fromFile` (absolute path). */
  load(fromFile: string, modulePath: string): Module {
    if (this.opts.load) return this.opts.load(fromFile, modulePath, this);
    const abs = resolve(dirname(fromFile), modulePath);
    const cached = this.modules.get(abs);
    if (cached) return cached;
    if (this.loading.includes(abs)) throw this.cycleError(abs);
    if (!existsSync(abs)) throw new StarlarkError(`cannot load ${modulePath}: no such file (${displayName(abs)})`);
    return this.execFile(abs);
  }

  private cycleError(abs: string): StarlarkError {
    const start = this.loading.indexOf(abs);
    const chain = [...this.loading.slice(start), abs].map(displayName).join(' -> ');
    return new StarlarkError(`cycle in load graph: ${chain}`);
  }

  private run(key: string, name: string, source: string): Module {
    if (this.loading.includes(key)) throw this.cycleError(key);
    const th = this.thread;
    th.sources.set(name, source.split(/\r?\n|\r/));
    const file = parseSource(name, source);
    const predeclared = this.predeclared;
    const dialect = this.opts.dialect ?? DEFAULT_DIALECT;
    resolveFile(file, {
      dialect,
      isPredeclared: (n) => Object.prototype.hasOwnProperty.call(predeclared, n),
      isUniversal,
      suggestions: [...Object.keys(predeclared), ...Object.keys(universe)],
    });
    const globals: (Value | undefined)[] = new Array(file.globals!.length).fill(undefined);
    const compiled = compileFile(file, {
      globals,
      predeclared,
      universe,
      dialect,
      load: (module) => this.load(key, module).globals,
    });
    this.loading.push(key);
    const fr = new Frame(th, '<toplevel>', compiled.nlocals, []);
    th.stack.push(fr);
    try {
      compiled.toplevel(fr);
    } finally {
      th.stack.pop();
      this.loading.pop();
    }
    const exported = new Map<string, Value>();
    for (const b of file.globals!) {
      const v = globals[b.index];
      if (v === undefined) continue;
      freeze(v);
      if (!b.fromLoad) exported.set(b.name, v);
    }
    const mod: Module = { file: name, globals: exported };
    this.modules.set(key, mod);
    return mod;
  }
}

function displayName(abs: string): string {
  const rel = relative(process.cwd(), abs);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : abs;
}

export function execSource(filename: string, source: string, opts: ExecOptions = {}): Module {
  return new Interpreter(opts).execSource(filename, source);
}

export function execFile(path: string, opts: ExecOptions = {}): Module {
  return new Interpreter(opts).execFile(path);
}
