// Errors raised by the Starlark interpreter: user-facing, positioned, with a call stack.

export interface Position {
  file: string;
  line: number; // 1-based
  col: number; // 1-based
}

export interface CallFrame {
  /** Function name, or "<toplevel>" for module code. */
  name: string;
  /** Position of the current call (or failing operation) within that function. */
  pos: Position;
}

/**
 * A Starlark error the user can act on. Host builtins throw it without a position;
 * the interpreter attaches the position of the call and the call stack.
 */
export class StarlarkError extends Error {
  pos: Position | undefined;
  /** Source text of the offending line, when known. */
  sourceLine: string | undefined;
  /** Outermost first. Empty for static (scan/parse/resolve) errors. */
  callStack: CallFrame[] = [];
  /** True for scanner/parser/resolver errors detected before execution. */
  isStatic = false;

  constructor(message: string, pos?: Position, sourceLine?: string) {
    super(message);
    this.name = 'StarlarkError';
    this.pos = pos;
    this.sourceLine = sourceLine;
  }

  /** `file:line:col: message`, source line, caret, and a traceback for runtime errors. */
  format(): string {
    const out: string[] = [];
    if (this.pos) out.push(`${formatPosition(this.pos)}: ${this.message}`);
    else out.push(this.message);
    if (this.pos && this.sourceLine !== undefined) {
      const line = this.sourceLine.replace(/\t/g, ' ');
      out.push(line);
      out.push(' '.repeat(Math.max(0, this.pos.col - 1)) + '^');
    }
    if (!this.isStatic && this.callStack.length > 0) {
      out.push('Traceback (most recent call last):');
      for (const fr of this.callStack) out.push(`  ${formatPosition(fr.pos)}: in ${fr.name}`);
    }
    return out.join('\n');
  }
}

export function formatPosition(p: Position): string {
  return `${p.file}:${p.line}:${p.col}`;
}

/** Throw a position-less Starlark error from host code. */
export function fail(message: string): never {
  throw new StarlarkError(message);
}

/** Raised internally to stop runaway programs (maxSteps / deadline / cancellation). */
export class StarlarkCancelled extends StarlarkError {}
