// What compiling a file needs from its embedder (CompileEnv), and what the per-construct
// compilers (compile-*.ts) need from the compiler driving them (Compiling).

import type { Expr } from './ast.js';
import type { Dialect } from './dialect.js';
import type { Position } from './errors.js';
import type { ExprCode, StoreCode } from './frame.js';
import type { Thread } from './thread.js';
import type { Value } from './values.js';

export interface ModuleLoader {
  (module: string, pos: Position, th: Thread): Map<string, Value>;
}

export interface CompileEnv {
  globals: (Value | undefined)[];
  predeclared: Record<string, Value>;
  universe: Record<string, Value>;
  load: ModuleLoader;
  dialect: Dialect;
}

/** The compiler as the construct compilers see it: compiling sub-expressions and targets in the
 *  function being compiled, and allocating its temporaries. */
export interface Compiling {
  readonly env: CompileEnv;
  expr(e: Expr): ExprCode;
  assigner(e: Expr): StoreCode;
  /** A fresh local slot of the current function, for a comprehension's accumulator. */
  allocTemp(): number;
}
