// The `--json` result file: one object, snake_case keys, stable order, for CI to read.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { CampaignResult } from '../campaign/campaign.js';
import { censusTotals, type Census } from '../census/census.js';
import { encodeFaults, type FaultJson } from './fault-json.js';
import type { GroupState } from '../triage/triage.js';
import type { CaseDeadline } from '../campaign/case-executor.js';

export interface ResultFailureJson {
  readonly id: string;
  readonly scenario: string;
  readonly kind: string;
  readonly message: string;
  readonly faults: readonly FaultJson[];
  /** "k/n" */
  readonly reproduced: string;
  readonly known: boolean;
  readonly replay: string;
  readonly regression?: string;
  readonly state: GroupState;
  readonly raw_hits: number;
  readonly shrink_runs: number;
  /** safety, availability or liveness. */
  readonly severity: string;
  /** What the symptom is made of, e.g. `assertion at spec.star:31:5`. */
  readonly symptom: string;
  /** The finer fault-set signature of `faults` (the corpus id scheme before symptom grouping). */
  readonly fault_key: string;
  /** Every other fault set that showed this symptom. */
  readonly alternatives: readonly (readonly FaultJson[])[];
  /** Why the finding is not confirmed and minimal, when it is not. */
  readonly why?: string;
  /** Timeouts: the deadline and the fault-free durations it came from. */
  readonly deadline_ms?: number;
  readonly fault_free_ms?: readonly [number, number];
  /** Crashes: the dead service's last log lines. */
  readonly service_log?: { readonly service: string; readonly lines: readonly string[] };
}

/** One exploration case (known replay, single or combination; triage re-runs are not listed). */
export interface ResultCaseJson {
  readonly phase: 'known' | 'singles' | 'combinations';
  /** Canonical case key: `scenario :: faults`; equal keys are the same case on any machine or shard. */
  readonly key: string;
  /** pass, failure, vacuous or infra-error. */
  readonly outcome: string;
}

export interface ResultJson {
  readonly seed: number;
  readonly runs: number;
  readonly vacuous: number;
  readonly duration_ms: number;
  readonly stopped_by: string;
  readonly census_hash: string;
  /** service → family → calls recorded (summed over scenarios) */
  readonly census: Record<string, Record<string, number>>;
  readonly failures: readonly ResultFailureJson[];
  /** Every exploration case run, in order: what lets CI check that shards split the work. */
  readonly cases: readonly ResultCaseJson[];
  /** Per scenario: the case deadline and, when the census set it, the fault-free durations. */
  readonly deadlines: Readonly<Record<string, { readonly deadline_ms: number; readonly source: 'census' | 'spec'; readonly fault_free_ms?: readonly [number, number] }>>;
  /** Restarts of services between cases, per service. */
  readonly restarts: Readonly<Record<string, number>>;
  /** Failures of symptoms the user declared expected: counted, not findings. */
  readonly expected: readonly { readonly scenario: string; readonly symptom: string; readonly by: string; readonly cases: number; readonly example: readonly FaultJson[] }[];
  /** Share of the space's targets that had at least one fault. */
  readonly targets?: { readonly touched: number; readonly total: number };
  /** Runner executions spent on triage. */
  readonly triage_runs: { readonly confirm: number; readonly shrink: number; readonly reproduce: number };
}

export function buildResultJson(
  result: CampaignResult,
  census: Census,
  regressions: ReadonlyMap<string, string> = new Map(),
  deadlines: ReadonlyMap<string, CaseDeadline> = new Map(),
): ResultJson {
  const groups = new Map(result.groups.map((g) => [g.id, g]));
  const s = result.summary;
  return {
    seed: s.seed,
    runs: s.runs,
    vacuous: s.vacuous,
    duration_ms: s.durationMs,
    stopped_by: s.stoppedBy,
    census_hash: census.hash,
    census: censusTotals(census),
    failures: s.failures.map((f) => {
      const regression = regressions.get(f.id);
      return {
        id: f.id,
        scenario: f.scenario,
        kind: f.kind,
        message: f.message,
        faults: encodeFaults(f.faults),
        reproduced: f.reproduced,
        known: f.known,
        replay: f.replay,
        ...(regression !== undefined ? { regression } : {}),
        state: groups.get(f.id)?.state ?? 'untriaged',
        raw_hits: groups.get(f.id)?.rawHits ?? 1,
        shrink_runs: groups.get(f.id)?.runs.shrink ?? 0,
        severity: f.severity ?? '',
        symptom: f.symptom ?? '',
        fault_key: groups.get(f.id)?.faultKey ?? '',
        alternatives: (f.alternatives ?? []).map(encodeFaults),
        ...(f.why !== undefined ? { why: f.why } : {}),
        ...(f.kind === 'timeout' ? timeoutFields(deadlines.get(f.scenario)) : {}),
        ...(f.serviceLog ? { service_log: f.serviceLog } : {}),
      };
    }),
    cases: result.trail.map((t) => ({ phase: t.phase, key: t.key, outcome: t.cls })),
    deadlines: Object.fromEntries(
      [...deadlines].map(([name, d]) => [name, { deadline_ms: d.ms, source: d.faultFreeMs ? 'census' : 'spec', ...(d.faultFreeMs ? { fault_free_ms: d.faultFreeMs } : {}) }] as const),
    ),
    restarts: s.restarts ?? {},
    expected: (s.expected ?? []).map((e) => ({ ...e, example: encodeFaults(e.example) })),
    ...(s.targets ? { targets: s.targets } : {}),
    triage_runs: { confirm: result.stats.confirmRuns, shrink: result.stats.shrinkRuns, reproduce: result.stats.reproduceRuns },
  };
}

function timeoutFields(d: CaseDeadline | undefined): { deadline_ms?: number; fault_free_ms?: readonly [number, number] } {
  if (!d) return {};
  return { deadline_ms: d.ms, ...(d.faultFreeMs ? { fault_free_ms: d.faultFreeMs } : {}) };
}

export async function writeResultJson(file: string, json: ResultJson): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, `${JSON.stringify(json, null, 2)}\n`);
}
