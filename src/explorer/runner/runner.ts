// The one interface between the explorer and the runtime. The engine only ever asks for these
// four things, so it can be driven by a fake in unit tests and by the real runtime in the CLI.
import type { TargetClass } from '../../spec/errno-fit.js';
import type { TraceEvent } from '../../spec/events.js';
import type { FaultRule } from '../../spec/model.js';
import type { FailureReason } from '../../spec/outcome.js';

/** Why a failing case failed, when the scenario itself reported it: the spec's reasons, one union. */
export type FailReason = FailureReason;

/** The last lines a service wrote (stdout and stderr) before it died or stopped answering. */
export interface ServiceLog {
  readonly service: string;
  readonly lines: readonly string[];
}

interface VerdictBase {
  /** How many times each armed rule fired, keyed by FaultRule.id. A missing id means 0. */
  readonly fired: Readonly<Record<string, number>>;
  /** Trace lines around the injected faults, already formatted for people. */
  readonly excerpt: readonly string[];
  /** Wall time of the case body, as the runtime measured it. */
  readonly durationMs: number;
  /**
   * The class of what the first call each deny rule decided acted on (a file, a socket, one in
   * non-blocking mode...), by rule id: a fault earlier in the case can move a rule's nth onto
   * another kind of call than the census saw.
   */
  readonly deniedClasses?: Readonly<Record<string, TargetClass>>;
}

/** What one case produced. The runner never throws for a case outcome; it returns one of these. */
export type CaseVerdict =
  | (VerdictBase & { readonly kind: 'pass' })
  | (VerdictBase & {
      readonly kind: 'fail';
      readonly reason: FailReason;
      readonly message: string;
      /** `file:line:col` of the assert_*, fail() or step that raised, when the interpreter knew it. */
      readonly at?: string;
    })
  | (VerdictBase & {
      readonly kind: 'crash';
      readonly service: string;
      readonly exitCode?: number;
      readonly signal?: string;
      readonly serviceLog?: ServiceLog;
    })
  | (VerdictBase & { readonly kind: 'unhealthy'; readonly service: string; readonly message?: string; readonly serviceLog?: ServiceLog })
  | (VerdictBase & {
      readonly kind: 'timeout';
      readonly timeoutMs: number;
      /** Shortest and longest fault-free run the census measured, when the deadline came from it. */
      readonly faultFreeMs?: readonly [number, number];
    })
  /** Faultbox itself could not run the case (docker gone, filter refused, ...). Never a finding. */
  | (VerdictBase & { readonly kind: 'infra-error'; readonly message: string });

export type CaseVerdictKind = CaseVerdict['kind'];

export interface RecordResult {
  /** The fault-free run's verdict. Exploring a scenario that fails without faults is refused. */
  readonly verdict: CaseVerdict;
  /** Every event recorded during the run (syscall events carry decision "trace"). */
  readonly events: readonly TraceEvent[];
  /**
   * Inclusive seq range of the scenario body. Only these events enter the census, because
   * fault rules are armed (and their occurrence counters start) only while the body runs.
   */
  readonly bodyWindow: { readonly fromSeq: number; readonly toSeq: number };
  /**
   * Directories whose names change from run to run (the services' scratch dirs), each with a
   * glob matching it in any run: file sites under them are recorded with the glob, so saved
   * faults still reach the same file in a later run.
   */
  readonly volatileDirs?: readonly { readonly dir: string; readonly glob: string }[];
}

export interface RunCaseOptions {
  /** The scenario must be cancelled (not waited for) after this long; the verdict is then `timeout`. */
  readonly timeoutMs: number;
  /** Seed for probability decisions inside the runtime. */
  readonly seed: number;
}

export interface ScenarioRunner {
  /** Run `scenario` fault-free with every service tracing the given syscall families. */
  record(scenario: string, families: readonly string[], signal: AbortSignal): Promise<RecordResult>;
  /**
   * Run one case: the scenario with `rules` armed only while the body runs.
   * Rule semantics the explorer relies on (the runtime's, as in the reference tool): rules are
   * walked in `rules` order; a rule counts a call it matches (service, syscall, path glob) with its
   * own 1-based counter; the first rule whose trigger fires decides the call, and the walk stops
   * there (later rules do not count that call). `fired` counts the calls each rule decided.
   * On `signal` abort the runner stops the case promptly (kills what it must) and may resolve
   * with anything or reject; the engine discards the result of an aborted case.
   */
  runCase(
    scenario: string,
    rules: readonly FaultRule[],
    opts: RunCaseOptions,
    signal: AbortSignal,
  ): Promise<CaseVerdict>;
  /** Between cases: restart services that crashed or are unhealthy (or run reset=). */
  ensureHealthy(signal: AbortSignal): Promise<{ readonly restarted: readonly string[] }>;
  /** Stop everything the runner started. */
  close(): Promise<void>;
}

/** One-line description of a failing verdict, used in reports and failure signatures. */
export function verdictMessage(v: CaseVerdict): string {
  switch (v.kind) {
    case 'pass':
      return 'passed';
    case 'fail':
      return v.message;
    case 'crash':
      if (v.signal) return `service ${v.service} was killed by ${v.signal}`;
      return `service ${v.service} exited with code ${v.exitCode ?? 'unknown'}`;
    case 'unhealthy':
      return v.message ? `service ${v.service} unhealthy: ${v.message}` : `service ${v.service} unhealthy after the case`;
    case 'timeout':
      return v.faultFreeMs
        ? `timed out after ${seconds(v.timeoutMs)}; fault-free runs take ${v.faultFreeMs[0]}–${v.faultFreeMs[1]} ms`
        : `scenario exceeded its ${v.timeoutMs}ms timeout`;
    case 'infra-error':
      return v.message;
  }
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
