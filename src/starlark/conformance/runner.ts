// Runs conformance files: every chunk is executed as its own module with the assert module and
// `freeze` available, in the dialect its `# option:` lines ask for; errors are matched against the
// chunk's `###` expectations by line. Chunks that need starlark-go's Go test driver are skipped.

import { dirname, resolve } from 'node:path';
import { Interpreter, StarlarkError, type Module, type Value } from '../index.js';
import { makeAssertModule, freezeBuiltin, type AssertionFailure } from './assert-module.js';
import { chunkDialect, goHarnessGlobalsUsed } from './chunk-requirements.js';
import { readChunkedFile, type Chunk } from './chunked-file.js';

export interface ChunkFailure {
  /** 1-based line in the file the failure refers to, when known. */
  line: number | undefined;
  message: string;
}

export interface ChunkResult {
  index: number;
  startLine: number;
  failures: ChunkFailure[];
  /** Lines printed by the chunk (and the modules it loaded). */
  output: string[];
  /** Assertions evaluated, and how many of them failed. */
  assertions: number;
  failedAssertions: number;
  /** Why the chunk was not run (it needs starlark-go's Go test harness); undefined if it ran. */
  skipped?: string;
}

export interface FileResult {
  file: string;
  chunks: ChunkResult[];
  /** Chunks run without failures / with at least one / not run (see ChunkResult.skipped). */
  passed: number;
  failed: number;
  skipped: number;
  /** Totals over all chunks. */
  assertions: number;
  failedAssertions: number;
}

export interface RunOptions {
  /** Wall-clock budget per chunk; a runaway loop fails the chunk instead of hanging the run. */
  chunkTimeoutMs?: number;
}

const ASSERT_MODULE = 'assert.star';

export function runConformanceFile(file: string, opts: RunOptions = {}): FileResult {
  const chunks = readChunkedFile(file).map((c) => runChunk(c, opts));
  const skipped = chunks.filter((c) => c.skipped !== undefined).length;
  const failed = chunks.filter((c) => c.failures.length > 0).length;
  const assertions = chunks.reduce((n, c) => n + c.assertions, 0);
  const failedAssertions = chunks.reduce((n, c) => n + c.failedAssertions, 0);
  return { file, chunks, passed: chunks.length - failed - skipped, failed, skipped, assertions, failedAssertions };
}

export function runChunk(chunk: Chunk, opts: RunOptions = {}): ChunkResult {
  const failures: ChunkFailure[] = chunk.annotationErrors.map((a) => ({ line: a.line, message: a.message }));
  const output: string[] = [];
  let assertions = 0;
  let failedAssertions = 0;
  const harness = goHarnessGlobalsUsed(chunk.file, chunk.source);
  if (harness.length > 0) {
    const skipped = `uses ${harness.join(', ')}, defined only by starlark-go's Go test harness`;
    return { index: chunk.index, startLine: chunk.startLine, failures: [], output, assertions, failedAssertions, skipped };
  }
  const { dialect, unknown } = chunkDialect(chunk.source);
  for (const name of unknown) failures.push({ line: undefined, message: `unknown # option:${name}` });
  const assertGlobals = makeAssertModule({
    checked: () => void assertions++,
    failed: (f: AssertionFailure) => {
      failedAssertions++;
      const inFile = f.pos && samePath(f.pos.file, chunk.file);
      const message = inFile || !f.pos ? f.message : `${f.message} (at ${f.pos.file}:${f.pos.line})`;
      failures.push({ line: inFile ? f.pos!.line : undefined, message });
    },
  });
  const predeclared: Record<string, Value> = { freeze: freezeBuiltin };
  const deadline = Date.now() + (opts.chunkTimeoutMs ?? 20_000);

  // `assert.star` is virtual; every other load goes through the interpreter's own file loading
  // (module cache and cycle detection), which the corpus tests.
  const load = (fromFile: string, modulePath: string, interp: Interpreter): Module => {
    if (modulePath === ASSERT_MODULE) return { file: ASSERT_MODULE, globals: assertGlobals };
    return interp.execFile(resolve(dirname(fromFile), modulePath));
  };
  const interp = new Interpreter({ predeclared, load, print: (l) => output.push(l), deadline, dialect });

  let error: unknown;
  try {
    interp.execSource(chunk.file, chunk.source);
  } catch (e) {
    error = e;
  }

  const pending = new Map(chunk.expectations);
  if (error !== undefined) {
    if (!(error instanceof StarlarkError)) {
      failures.push({ line: undefined, message: `non-Starlark exception escaped the interpreter: ${describe(error)}` });
    } else {
      const line = errorLine(error, chunk.file);
      const want = line === undefined ? undefined : pending.get(line);
      if (want) {
        pending.delete(line!);
        if (!want.pattern.test(error.message)) {
          failures.push({ line, message: `error ${JSON.stringify(error.message)} does not match ${JSON.stringify(want.source)}` });
        }
      } else {
        const where = line === undefined ? ` (reported outside this file: ${whereOf(error)})` : '';
        failures.push({ line, message: `unexpected ${error.isStatic ? 'static' : 'dynamic'} error: ${error.message}${where}` });
      }
    }
  }
  for (const want of pending.values()) {
    failures.push({ line: want.line, message: `expected an error matching ${JSON.stringify(want.source)}, but none was reported here` });
  }
  failures.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  return { index: chunk.index, startLine: chunk.startLine, failures, output, assertions, failedAssertions };
}

/**
 * The line an error is attributed to: for static errors, their position; for dynamic errors, the
 * innermost call frame located in the chunk's own file (as starlark-go's test driver does).
 */
export function errorLine(err: StarlarkError, file: string): number | undefined {
  if (!err.isStatic) {
    for (let i = err.callStack.length - 1; i >= 0; i--) {
      const fr = err.callStack[i];
      if (samePath(fr.pos.file, file)) return fr.pos.line;
    }
  }
  if (err.pos && samePath(err.pos.file, file)) return err.pos.line;
  return undefined;
}

function whereOf(err: StarlarkError): string {
  return err.pos ? `${err.pos.file}:${err.pos.line}` : 'no position';
}

function samePath(a: string, b: string): boolean {
  return a === b || resolve(a) === resolve(b);
}

function describe(e: unknown): string {
  if (e instanceof Error) return `${e.name}: ${e.message}`;
  return String(e);
}
