// Module execution and loading. (stub; being implemented)
import type { Value } from './values.js';
import type { Thread } from './thread.js';

export interface Module {
  file: string;
  globals: Map<string, Value>;
}

export interface ExecOptions {
  predeclared?: Record<string, Value>;
  load?: (fromFile: string, modulePath: string) => Module;
  print?: (line: string) => void;
  maxSteps?: number;
  deadline?: number;
  thread?: Thread;
}

export function execSource(filename: string, source: string, opts: ExecOptions = {}): Module {
  void source; void opts;
  throw new Error(`not implemented (${filename})`);
}
export function execFile(path: string, opts: ExecOptions = {}): Module {
  void opts;
  throw new Error(`not implemented (${path})`);
}

/** A session: modules are evaluated once each and shared by all loads within it. */
export class Interpreter {
  constructor(readonly opts: ExecOptions = {}) {}
  execFile(path: string): Module {
    return execFile(path, this.opts);
  }
  execSource(filename: string, source: string): Module {
    return execSource(filename, source, this.opts);
  }
}
