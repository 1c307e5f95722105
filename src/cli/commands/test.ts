// faultbox test: run a spec's tests against real services, print each result as it ends.
import { COMMAND_SUMMARIES } from './summaries.js';
import { relative } from 'node:path';
import type { Command } from '../command.js';
import { intFlag } from '../args.js';
import { EXIT, InfraError } from '../../errors.js';
import { matchTests } from '../../spec/index.js';
import { RuntimeSession } from '../../runtime/orchestrate/runtime-session.js';
import type { TestResult } from '../../runtime/orchestrate/test-result.js';
import { formatTestResult, formatTotals } from '../../runtime/trace/test-report.js';
import { traceDocument, writeTraceFile } from '../../runtime/trace/trace-json.js';
import { formatMatrixGrid } from '../../runtime/trace/matrix-grid.js';
import { specPath } from './check.js';
import { imageMap } from './image-map.js';
import { FAULTBOX_VERSION } from '../version.js';
import { signalExitCode } from '../../runtime/launch/cleanup.js';

const STOP_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

export const testCommand: Command = {
  name: 'test',
  summary: COMMAND_SUMMARIES.test,
  usage: 'faultbox test [SPEC.star] [--test NAME|GLOB] [--seed N] [--runs N] [--output trace.json] [--image IMAGE=LOCAL]',
  flags: {
    test: { kind: 'string', value: 'NAME|GLOB', help: 'run only matching tests (name with or without test_, or a glob)' },
    seed: { kind: 'string', value: 'N', help: 'seed for probabilistic fault decisions (default 0)' },
    runs: { kind: 'string', value: 'N', help: 'run each test N times with seeds N, N+1, ... (default 1)' },
    output: { kind: 'string', value: 'FILE', help: 'write the trace of every test and event as JSON' },
    image: { kind: 'repeat', value: 'IMAGE=LOCAL', help: 'use a local image instead of IMAGE (also FAULTBOX_IMAGE_MAP)' },
  },
  async run(args) {
    const file = specPath('test', args.positionals);
    const seed = intFlag(args, 'seed', 'test') ?? 0;
    const runs = intFlag(args, 'runs', 'test') ?? 1;
    const print = (line: string): void => void process.stdout.write(`${line}\n`);
    const session = await RuntimeSession.open({ specFile: file, seed, print, imageMap: imageMap(args.repeats.get('image') ?? []) });
    // Ctrl-C: the process hooks tear everything down; this stops the loop from starting more.
    const stop = new AbortController();
    let stoppedBy: NodeJS.Signals | undefined;
    const onSignal = (signal: NodeJS.Signals): void => {
      stoppedBy ??= signal;
      stop.abort();
    };
    for (const s of STOP_SIGNALS) process.on(s, onSignal);
    const results: TestResult[] = [];
    let planned = 0;
    try {
      const tests = matchTests(session.model, args.strings.get('test'));
      planned = tests.length * Math.max(1, runs);
      const shown = relative(process.cwd(), file) || file;
      try {
        await session.prepareServices();
      } catch (err) {
        if (!(err instanceof InfraError)) throw err;
        // Every test would meet it: say it once, with its hint.
        print(`infrastructure error (no test can run): ${err.message}${err.hint ? `\n  hint: ${err.hint}` : ''}`);
        print(`${planned} not run`);
        return EXIT.infra;
      }
      run: for (const test of tests) {
        for (let i = 0; i < Math.max(1, runs); i++) {
          const runSeed = seed + i;
          const result = await session.runTest(test, runSeed, stop.signal);
          if (stop.signal.aborted || session.closed) break run;
          results.push(result);
          print(formatTestResult(result, `faultbox test ${shown} --test ${test.name} --seed ${runSeed}`));
        }
      }
    } finally {
      for (const s of STOP_SIGNALS) process.off(s, onSignal);
      await session.close();
    }
    for (const matrix of session.model.matrices) {
      const grid = formatMatrixGrid(matrix, results);
      if (grid) print(grid);
    }
    const output = args.strings.get('output');
    if (stoppedBy) {
      // An interrupted run proves nothing about the tests it did not reach: never exit 0.
      print(`interrupted by ${stoppedBy}: ${formatTotals(results)}, ${planned - results.length} not run`);
      if (output) writeTraceFile(output, traceDocument(file, seed, FAULTBOX_VERSION, results));
      return signalExitCode(stoppedBy);
    }
    print(formatTotals(results));
    if (output) writeTraceFile(output, traceDocument(file, seed, FAULTBOX_VERSION, results));
    if (results.some((r) => r.verdict.kind === 'infra-error')) return EXIT.infra;
    return results.every((r) => r.verdict.kind === 'pass') ? EXIT.ok : EXIT.failed;
  },
};
