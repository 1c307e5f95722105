// Running what a loaded spec registered: a test body, an explorer scenario, or a service's
// reset hook. Each run gets a fresh Starlark thread and run context; fault scopes the body left
// armed are removed when it ends, whatever happened.
import { Thread, call, type Value } from '../starlark/index.js';
import { UsageError } from '../errors.js';
import type { SpecModel } from './model.js';
import type { TestHost } from './host.js';
import type { TestOutcome } from './outcome.js';
import type { RegisteredTest, RunContext, SpecSession } from './session.js';
import { assertFilterable } from './rules.js';
import { outcomeOf } from './outcome-of.js';
import { didYouMean } from './did-you-mean.js';

export interface LoadedSpec {
  readonly model: SpecModel;
  runTest(name: string, host: TestHost): TestOutcome;
  /** Explorer: call the scenario function; raising is a failure. */
  runScenario(name: string, host: TestHost): TestOutcome;
  /** Call a service's reset= hook (between tests of a reused service); raising is a failure. */
  runReset(service: string, host: TestHost): TestOutcome;
}

const PASS: TestOutcome = { kind: 'pass' };

export class SpecRunner implements LoadedSpec {
  constructor(
    readonly model: SpecModel,
    private readonly session: SpecSession,
    private readonly tests: ReadonlyMap<string, RegisteredTest>,
    /** Source lines by file, so run-time errors show the offending line and caret. */
    private readonly sources: ReadonlyMap<string, string[]>,
  ) {}

  runTest(name: string, host: TestHost): TestOutcome {
    const t = this.tests.get(name) ?? this.tests.get(`test_${name}`);
    if (!t) {
      const names = [...this.tests.keys()];
      throw new UsageError(`no test named "${name}"${didYouMean(name, names)}; tests: ${names.join(', ')}`);
    }
    return this.within(t.decl.name, host, (thread, run) => {
      const body = t.body;
      if (!('rules' in body)) {
        call(thread, body.fn, []);
        return PASS;
      }
      if (body.warmup) call(thread, body.scenario, []);
      let scope: number | undefined;
      if (body.rules.length > 0) {
        assertFilterable(t.decl.name, this.session.trapped, body.rules);
        scope = host.applyRules(body.rules);
        run.open.add(scope);
      }
      try {
        const ret = call(thread, body.scenario, []);
        if (body.expect !== undefined) {
          try {
            call(thread, body.expect, [ret]);
          } catch (e) {
            return outcomeOf(e, 'expect');
          }
        }
        return PASS;
      } finally {
        if (scope !== undefined) {
          run.open.delete(scope);
          host.removeRules(scope);
        }
      }
    });
  }

  runScenario(name: string, host: TestHost): TestOutcome {
    const bare = name.startsWith('test_') && !this.session.scenarios.has(name) ? name.slice(5) : name;
    const sc = this.session.scenarios.get(bare);
    if (!sc) {
      const names = [...this.session.scenarios.keys()];
      throw new UsageError(`no scenario named "${name}"${didYouMean(name, names)}; scenarios: ${names.join(', ') || '(none: register one with scenario(fn))'}`);
    }
    return this.within(sc.name, host, (thread) => {
      call(thread, sc.fn, []);
      return PASS;
    });
  }

  runReset(service: string, host: TestHost): TestOutcome {
    const svc = this.session.services.get(service);
    const reset: Value | undefined = svc?.reset;
    if (!svc || reset === undefined) throw new UsageError(`service "${service}" has no reset= hook`);
    return this.within(`reset:${service}`, host, (thread) => {
      call(thread, reset, []);
      return PASS;
    });
  }

  private within(testName: string, host: TestHost, body: (thread: Thread, run: RunContext) => TestOutcome): TestOutcome {
    if (this.session.run) throw new UsageError(`a test is already running (${this.session.run.testName}); runs are sequential`);
    const thread = new Thread({ print: (line) => host.print(line) });
    for (const [file, lines] of this.sources) thread.sources.set(file, lines);
    const run: RunContext = { testName, host, ruleCounters: new Map(), started: [], open: new Set(), assertions: 0 };
    this.session.run = run;
    try {
      const out = body(thread, run);
      return out.kind === 'pass' ? { kind: 'pass', assertions: run.assertions } : out;
    } catch (e) {
      return outcomeOf(e, 'body');
    } finally {
      this.session.run = undefined;
      // Scopes a body left armed (fault_start without fault_stop, or an aborted body) end with it.
      for (const scope of [...run.open].reverse()) host.removeRules(scope);
    }
  }
}
