// The state one loaded spec shares between its builtins: what the load registered (services,
// assumptions, scenarios, tests, matrices) and, while a test body runs, the run context (host,
// rule-id counters, open fault scopes). Builtins close over one session; nothing is global.
import { StarlarkError, type Position, type Value } from '../starlark/index.js';
import type { ExploreConfig, FaultRule, MatrixDecl, TestDecl } from './model.js';
import type { SyscallName } from './syscall-families.js';
import type { TestHost } from './host.js';
import type { ServiceValue } from './values/service.js';
import type { AssumptionValue } from './values/assumption.js';

export type TestBody =
  | { readonly kind: 'function' | 'scenario'; readonly fn: Value }
  | {
      readonly kind: 'fault_scenario' | 'matrix_cell';
      readonly scenario: Value;
      readonly rules: readonly FaultRule[];
      readonly expect?: Value;
      /** Run the scenario once without faults first (the explorer runs cases on warm services). */
      readonly warmup?: boolean;
    };

export interface RegisteredTest {
  readonly decl: TestDecl;
  readonly body: TestBody;
  readonly pos: Position | undefined;
}

export interface ScenarioRecord {
  readonly name: string;
  readonly fn: Value;
  readonly pos: Position | undefined;
}

export interface StartedScope {
  readonly service: string;
  readonly kind: 'fault' | 'trace';
  readonly scope: number;
}

export interface RunContext {
  /** The test (or explorer scenario) whose body is running; prefixes rule ids. */
  readonly testName: string;
  readonly host: TestHost;
  /** Next `#n` per `<test>/<service>/<keyword>`, so ids repeat exactly across runs. */
  readonly ruleCounters: Map<string, number>;
  /** fault_start / trace_start scopes still armed, in start order. */
  readonly started: StartedScope[];
  /** Every scope this body has armed and not yet removed; the runner removes leftovers. */
  readonly open: Set<number>;
  /** assert_* calls made so far (TEST_NO_ASSERTIONS when a passing test made none). */
  assertions: number;
}

export class SpecSession {
  readonly services = new Map<string, ServiceValue>();
  readonly assumptions = new Map<string, AssumptionValue>();
  readonly scenarios = new Map<string, ScenarioRecord>();
  /** Tests registered by scenario / fault_scenario / fault_matrix (test_* functions are found after load). */
  readonly tests = new Map<string, RegisteredTest>();
  readonly matrices: MatrixDecl[] = [];
  explore: { readonly config: ExploreConfig; readonly pos: Position | undefined } | undefined;
  /** Per service, the syscalls its filter traps; set once the load has finished. */
  trapped: Readonly<Record<string, readonly SyscallName[]>> = {};
  /** True once the spec has been evaluated; registration builtins refuse to run after that. */
  loaded = false;
  run: RunContext | undefined;

  constructor(readonly file: string) {}

  /** The run context, or an error saying builtin `fn` only works inside a test body. */
  requireRun(fn: string): RunContext {
    if (this.run) return this.run;
    throw new StarlarkError(
      `${fn}: can only be used while a test runs (inside a test_* function, a scenario or an expect function), not while the spec is loading`,
    );
  }

  /** Refuse registrations once loading is over (e.g. fault_scenario() called from a test body). */
  requireLoading(fn: string): void {
    if (this.loaded) throw new StarlarkError(`${fn}: must be called at the top level of the spec, while it loads, not from a running test`);
  }

  nextRuleId(run: RunContext, service: string, keyword: string): string {
    const key = `${run.testName}/${service}/${keyword}`;
    const n = (run.ruleCounters.get(key) ?? 0) + 1;
    run.ruleCounters.set(key, n);
    return `${key}#${n}`;
  }
}
