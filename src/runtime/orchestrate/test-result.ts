// The result of one test, as the runner produces it and the reporters read it.
import type { FaultRule, TestKind } from '../../spec/model.js';
import type { TraceEvent } from '../../spec/events.js';
import type { FailureReason } from '../../spec/outcome.js';

export type TestVerdict =
  /** assertions: assert_* calls the body made, when known. */
  | { readonly kind: 'pass'; readonly assertions?: number }
  | {
      readonly kind: 'fail';
      /** fault-bypassed: fault_matrix(require_faults_fire=True) and a fault of the cell never fired. */
      readonly reason: FailureReason | 'fault-bypassed';
      readonly message: string;
      readonly detail: string;
    }
  | { readonly kind: 'timeout'; readonly timeoutMs: number }
  | { readonly kind: 'crash'; readonly service: string; readonly message: string }
  | { readonly kind: 'supervisor-failure'; readonly message: string }
  | { readonly kind: 'infra-error'; readonly message: string };

export interface TestResult {
  readonly name: string;
  /** What declared it (a def test_*, a scenario run, a fault_scenario, a matrix cell). */
  readonly kind?: TestKind;
  readonly verdict: TestVerdict;
  readonly durationMs: number;
  readonly seed: number;
  /** Every rule armed at some point during the body, in the order they were armed. */
  readonly rules: readonly FaultRule[];
  readonly events: readonly TraceEvent[];
  /** Last lines of each service's output, kept for failed tests. */
  readonly logs: Readonly<Record<string, string>>;
}

/** How many times each rule fired (deny, delay or trace decisions attributed to it). */
export function firedCounts(result: Pick<TestResult, 'events'>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const ev of result.events) {
    if (ev.type === 'syscall' && ev.ruleId && ev.decision !== 'allow') {
      counts.set(ev.ruleId, (counts.get(ev.ruleId) ?? 0) + 1);
    }
  }
  return counts;
}
