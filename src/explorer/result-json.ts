// The `--json` result file: one object, snake_case keys, stable order, for CI to read.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { CampaignResult } from './campaign.js';
import { censusTotals, type Census } from './census.js';
import { normalizeFault } from './faults.js';
import type { FaultSpec } from './progress.js';
import type { GroupState } from './triage.js';

export interface ResultFailureJson {
  readonly id: string;
  readonly scenario: string;
  readonly kind: string;
  readonly message: string;
  readonly faults: readonly FaultSpec[];
  /** "k/n" */
  readonly reproduced: string;
  readonly known: boolean;
  readonly replay: string;
  readonly regression?: string;
  readonly state: GroupState;
  readonly raw_hits: number;
  readonly shrink_runs: number;
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
}

export function buildResultJson(
  result: CampaignResult,
  census: Census,
  regressions: ReadonlyMap<string, string> = new Map(),
): ResultJson {
  const shrinkRuns = new Map(result.groups.map((g) => [g.id, g.runs.shrink]));
  const states = new Map(result.groups.map((g) => [g.id, g.state]));
  const hits = new Map(result.groups.map((g) => [g.id, g.rawHits]));
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
        faults: f.faults.map(normalizeFault),
        reproduced: f.reproduced,
        known: f.known,
        replay: f.replay,
        ...(regression !== undefined ? { regression } : {}),
        state: states.get(f.id) ?? 'untriaged',
        raw_hits: hits.get(f.id) ?? 1,
        shrink_runs: shrinkRuns.get(f.id) ?? 0,
        ...(f.serviceLog ? { service_log: f.serviceLog } : {}),
      };
    }),
    cases: result.trail.map((t) => ({ phase: t.phase, key: t.key, outcome: t.cls })),
  };
}

export async function writeResultJson(file: string, json: ResultJson): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, `${JSON.stringify(json, null, 2)}\n`);
}
