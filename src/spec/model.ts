// The typed model a spec evaluates to: topology, fault rules, tests. Plain data only (it crosses
// worker boundaries by structured clone), no I/O. Starlark values never leave src/spec.
import type { ErrnoName } from './errno.js';
import type { RuleKeyword, SyscallName } from './syscall-families.js';

export type Protocol = 'http' | 'tcp' | 'postgres' | 'redis';

export interface InterfaceDecl {
  readonly name: string;
  readonly protocol: Protocol;
  /** The port the service listens on (inside its container, for containers). */
  readonly port: number;
}

export type Healthcheck =
  | { readonly kind: 'tcp'; readonly addr: string; readonly timeoutMs: number }
  | { readonly kind: 'http'; readonly url: string; readonly timeoutMs: number }
  /** Protocol-aware readiness on the service's first interface (postgres SELECT 1, redis PING). */
  | { readonly kind: 'ready'; readonly timeoutMs: number };

export type ServiceSource =
  | { readonly kind: 'binary'; readonly path: string }
  | { readonly kind: 'image'; readonly ref: string }
  | { readonly kind: 'build'; readonly context: string };

export interface ServiceDecl {
  readonly name: string;
  readonly source: ServiceSource;
  readonly interfaces: readonly InterfaceDecl[];
  /** argv after the binary; for containers it replaces the image CMD. Undefined = image default. */
  readonly args?: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly dependsOn: readonly string[];
  readonly healthcheck?: Healthcheck;
  /** host path → container path */
  readonly volumes: Readonly<Record<string, string>>;
  /** container port → fixed host port (0 or absent = random) */
  readonly ports: Readonly<Record<number, number>>;
  readonly reuse: boolean;
  /** False opts the service out of the shim entirely (rules on it are then a load error). */
  readonly seccomp: boolean;
  /** Directory of the spec file that declared it; relative paths resolve against it. */
  readonly baseDir: string;
  /** A reset= callable was given: the runtime calls LoadedSpec.runReset between tests of a reused service. */
  readonly hasReset?: boolean;
}

export type FaultAction =
  | { readonly kind: 'deny'; readonly errno: ErrnoName }
  | { readonly kind: 'delay'; readonly ms: number }
  /** Never fires; forces the syscall into the filter so it is observed. */
  | { readonly kind: 'allow' }
  /**
   * SIGKILL to the service's whole process tree before the call runs; faultbox then restarts it
   * (with `loseUnsynced`, after putting every file back to its last synced state).
   */
  | { readonly kind: 'crash'; readonly loseUnsynced: boolean }
  /** Observe only: the event is recorded with decision "trace". */
  | { readonly kind: 'trace' };

/** When a matching call is faulted. Occurrences count matching calls (after path filtering), 1-based. */
export interface Trigger {
  /** Fire on the n-th matching call only. */
  readonly nth?: number;
  /** Let this many matching calls pass, then fire on every later one. */
  readonly after?: number;
  /** Fire on at most this many calls (counted after `after`). */
  readonly count?: number;
  /** 0..1; the decision is a pure function of (seed, rule id, occurrence). */
  readonly probability?: number;
}

/**
 * One fault: on `service`, calls named by `keyword` that match the aim (path or peer glob) are
 * counted, and `trigger` says which of them get `action`. A spec's `db.write=deny("EIO", nth=3)`
 * and a fault the explorer injects are both this; the explorer's JSON is an encoding of it
 * (explorer/corpus/fault-json.ts).
 */
export interface Fault {
  readonly service: string;
  /** The keyword as written in the spec (`write`, `pwrite64`, `connect`). */
  readonly keyword: RuleKeyword;
  readonly action: FaultAction;
  readonly trigger: Trigger;
  /** Glob against the path argument or the fd's resolved path; `*` stays in a segment, `**` crosses. */
  readonly pathGlob?: string;
  /** Glob against the peer a connect/sendto/sendmsg names (`ip:port`, `[ipv6]:port`, `unix:/path`). */
  readonly peerGlob?: string;
}

/** A fault as a test arms it: with an id and the syscalls its keyword expands to. */
export interface FaultRule extends Fault {
  /** Stable id within a test: used to derive probability decisions and to report firing. */
  readonly id: string;
  readonly syscalls: readonly SyscallName[];
  readonly label?: string;
}

/** A named, reusable set of rules (`fault_assumption`). */
export interface FaultAssumptionDecl {
  readonly name: string;
  readonly rules: readonly FaultRule[];
  readonly description?: string;
}

export type TestKind = 'function' | 'scenario' | 'fault_scenario' | 'matrix_cell';

export interface TestDecl {
  /** Full discovered name, e.g. `test_happy_path`, `test_matrix_write_data_pg_disk_full`. */
  readonly name: string;
  readonly kind: TestKind;
  /** Faults applied for the whole body (fault_scenario / matrix cells). */
  readonly faults: readonly FaultRule[];
  readonly timeoutMs?: number;
  /** For fault_scenario/matrix cells: the scenario name being probed. */
  readonly scenario?: string;
  /**
   * Syscalls per service that fault()/trace() calls in the body (and the functions it names)
   * can arm, read from the syntax; absent when the walk cannot tell (see spec/test-reach.ts).
   */
  readonly bodyTrapped?: Readonly<Record<string, readonly SyscallName[]>>;
  /** fault_matrix(require_faults_fire=True): the cell fails when one of its faults never fired. */
  readonly requireFaultsFire?: boolean;
}

export interface ScenarioDecl {
  readonly name: string;
  readonly timeoutMs?: number;
}

/** Verdict kinds a user can declare expected (`step-error`: a step's own error, e.g. a 5xx reply). */
export const EXPECTABLE_KINDS = ['fail', 'step-error', 'crash', 'unhealthy', 'timeout'] as const;
export type ExpectableKind = (typeof EXPECTABLE_KINDS)[number];

/**
 * A symptom the user accepts (`explore(expect=[{"service": "redis", "kind": "crash"}])`): failures
 * that match every given field are counted, not reported as findings, and never triaged.
 */
export interface ExpectedSymptom {
  readonly kind?: ExpectableKind;
  readonly service?: string;
  /** Glob (`*` any run of characters) over the failure's message and the service's last log lines. */
  readonly message?: string;
  /** How the spec wrote it, for reports. */
  readonly shown: string;
}

/** What `explore(...)` in a spec narrows or widens. All optional. */
export interface ExploreConfig {
  readonly expect?: readonly ExpectedSymptom[];
  readonly services?: readonly string[];
  readonly families?: readonly string[];
  readonly errnos?: Readonly<Record<string, readonly ErrnoName[]>>;
  readonly maxDelayMs?: number;
  readonly maxFaults?: number;
  readonly timeoutMs?: number;
  /** Generate crash points (crash faults, with and without lost writes) at file persistence calls. */
  readonly crashes?: boolean;
}

export interface MatrixDecl {
  readonly scenarios: readonly string[];
  readonly faults: readonly string[];
  /** Cells excluded, as `scenario/fault` pairs. */
  readonly excluded: readonly (readonly [string, string])[];
}

export interface SpecModel {
  readonly file: string;
  readonly services: readonly ServiceDecl[];
  readonly assumptions: readonly FaultAssumptionDecl[];
  readonly scenarios: readonly ScenarioDecl[];
  readonly tests: readonly TestDecl[];
  readonly matrices: readonly MatrixDecl[];
  /** Per service, the syscalls any rule or trace in the spec can touch (derived, not text-matched). */
  readonly trapped: Readonly<Record<string, readonly SyscallName[]>>;
  /** Services a crash with lost writes can reach (they keep an undo log from launch on). */
  readonly losesUnsynced?: readonly string[];
  readonly explore?: ExploreConfig;
  /**
   * Global variable names in the spec file, so generated code (regression exports) can load()
   * what it needs: service name → the global bound to it, scenario name → its function's global.
   */
  readonly globals: {
    readonly services: Readonly<Record<string, string>>;
    readonly scenarios: Readonly<Record<string, string>>;
    /** service/scenario name → the file (absolute) whose global it is; absent = the spec file. */
    readonly files: {
      readonly services: Readonly<Record<string, string>>;
      readonly scenarios: Readonly<Record<string, string>>;
    };
  };
  /** The spec file and every file it loads (absolute paths). */
  readonly sources: readonly string[];
}
