// A thread of Starlark execution: its call stack (for tracebacks and recursion checks), output
// sink, and limits on runaway programs. Builtins receive it as their CallContext.

import { StarlarkCancelled, StarlarkError, type CallFrame, type Position } from './errors.js';
import { MAX_SEQUENCE_LENGTH, MAX_STRING_LENGTH } from './limits.js';

/** One active Starlark function call. */
export interface ActiveFrame {
  name: string;
  /** Position of the call (or failing operation) currently executing in this frame. */
  pos: Position | undefined;
}

export interface ThreadOptions {
  print?: (line: string) => void;
  /** Stop with an error after this many steps (loop iterations + calls). */
  maxSteps?: number;
  /** Stop with an error once Date.now() passes this time (ms since epoch). */
  deadline?: number;
}

const CHECK_INTERVAL = 4096;

export class Thread {
  readonly stack: ActiveFrame[] = [];
  print: (line: string) => void;
  steps = 0;
  /** Next step count at which limits are checked. */
  nextCheck: number;
  readonly maxSteps: number;
  readonly deadline: number;
  /** Free-form storage for embedders (e.g. the spec loader's registries). */
  readonly locals = new Map<string, unknown>();
  private cancelReason: string | undefined;
  /** Lines of each source file, for error carets. */
  readonly sources = new Map<string, string[]>();

  constructor(opts: ThreadOptions = {}) {
    this.print = opts.print ?? ((line) => process.stderr.write(line + '\n'));
    this.maxSteps = opts.maxSteps ?? Infinity;
    this.deadline = opts.deadline ?? Infinity;
    this.nextCheck = this.computeNextCheck();
  }

  /** Ask the running program to stop at the next step check. */
  cancel(reason: string): void {
    this.cancelReason = reason;
    this.nextCheck = 0;
  }

  private computeNextCheck(): number {
    if (this.cancelReason !== undefined) return 0;
    let n = this.maxSteps;
    if (this.deadline !== Infinity) n = Math.min(n, this.steps + CHECK_INTERVAL);
    return n;
  }

  /** Called when steps reaches nextCheck. */
  checkLimits(): void {
    if (this.cancelReason !== undefined) throw new StarlarkCancelled(`Starlark execution cancelled: ${this.cancelReason}`);
    if (this.steps >= this.maxSteps) {
      throw new StarlarkCancelled(`Starlark execution stopped after ${this.maxSteps} steps (step limit exceeded)`);
    }
    if (Date.now() > this.deadline) throw new StarlarkCancelled('Starlark execution stopped: deadline exceeded');
    this.nextCheck = this.computeNextCheck();
  }

  /** Name of the innermost Starlark function (or "<toplevel>"). */
  get currentFunction(): string {
    return this.stack.length > 0 ? this.stack[this.stack.length - 1].name : '';
  }

  /** Position of the call currently being made from the innermost Starlark frame. */
  get callerPosition(): Position | undefined {
    return this.stack.length > 0 ? this.stack[this.stack.length - 1].pos : undefined;
  }

  sourceLine(pos: Position): string | undefined {
    return this.sources.get(pos.file)?.[pos.line - 1];
  }

  /**
   * Give an error its position (if it has none) and a snapshot of the call stack. Non-Starlark
   * exceptions are internal errors and are wrapped.
   */
  attach(e: unknown, pos: Position): StarlarkError {
    let err: StarlarkError;
    if (e instanceof StarlarkError) err = e;
    else err = internalError(e);
    if (err.pos === undefined) {
      err.pos = pos;
      err.sourceLine = this.sourceLine(pos);
      const frames: CallFrame[] = [];
      const n = this.stack.length;
      for (let i = 0; i < n; i++) {
        const f = this.stack[i];
        const p = i === n - 1 ? pos : f.pos;
        if (p) frames.push({ name: f.name, pos: p });
      }
      err.callStack = frames;
    }
    return err;
  }
}

/** Wrap a JS exception that escaped from a builtin or the interpreter itself. */
export function internalError(e: unknown): StarlarkError {
  if (e instanceof RangeError && /call stack/i.test(e.message)) {
    return new StarlarkError('Starlark stack overflow (data structure or call nesting too deep)');
  }
  // Backstops for sizes the specific limits (limits.ts) do not check, e.g. a huge % format.
  if (e instanceof RangeError && /string length/i.test(e.message)) {
    return new StarlarkError(`string too large: over the JS engine's limit (the interpreter's own limit is ${MAX_STRING_LENGTH} characters)`);
  }
  if (e instanceof RangeError && /array length/i.test(e.message)) {
    return new StarlarkError(`list too large: over the JS engine's limit (the interpreter's own limit is ${MAX_SEQUENCE_LENGTH} elements)`);
  }
  const detail = e instanceof Error ? e.message : String(e);
  const err = new StarlarkError(`internal error: ${detail} (set FAULTBOX_DEBUG=1 for details)`);
  if (process.env.FAULTBOX_DEBUG && e instanceof Error && e.stack) err.message += '\n' + e.stack;
  (err as { cause?: unknown }).cause = e;
  return err;
}
