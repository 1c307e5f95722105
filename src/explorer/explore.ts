// What `faultbox explore` and `faultbox replay` call: census (recorded when stale), fault space,
// known corpus, campaign, then corpus files, regression exports and the --json result.
import { join, relative, resolve } from 'node:path';
import type { ExploreConfig, ScenarioDecl } from '../spec/model.js';
import { runCampaign, DEFAULT_CASE_TIMEOUT_MS, type CampaignResult } from './campaign/campaign.js';
import type { CaseDeadline } from './campaign/case-executor.js';
import { caseDeadline, censusDeadline } from './campaign/deadline.js';
import type { Expectation } from './triage/expectations.js';
import { symptomOf } from './triage/symptom.js';
import { ensureCensus, type Census } from './census/census.js';
import { failureKind, classify } from './campaign/case-executor.js';
import { sha256Hex } from './content-hash.js';
import { loadCorpus, saveCorpus, type CorpusEntry } from './corpus/corpus.js';
import { InfraError, UsageError } from '../errors.js';
import { exportRegressions, regressionPath, type RegressionNames } from './corpus/export.js';
import { faultSetToRules } from './faults.js';
import type { ProgressListener } from './campaign/progress.js';
import { buildResultJson, writeResultJson, type ResultJson } from './corpus/result-json.js';
import type { CaseVerdict, ScenarioRunner } from './runner/runner.js';
import type { Shard } from './space/shard.js';
import { buildFaultSpace, resolveSpaceSettings, shrinkDomainFor, type FaultSpace, type SpaceOptions } from './space/space.js';
import type { FailureGroup } from './triage/triage.js';

export interface ExploreSpec {
  /** The spec file (regressions load() it). */
  readonly file: string;
  /** Content hash of the spec and everything it loads (see specContentHash). */
  readonly hash: string;
  readonly scenarios: readonly ScenarioDecl[];
  readonly explore?: ExploreConfig;
  /** Global names of services and scenario functions, for the regressions' load(). */
  readonly names: RegressionNames;
  /** Per service, how long a restart may take (its healthcheck timeout), for crash cases' deadlines. */
  readonly restartMs?: Readonly<Record<string, number>>;
}

export interface ExploreOptions {
  readonly runner: ScenarioRunner;
  readonly spec: ExploreSpec;
  readonly faultboxVersion: string;
  readonly seed: number;
  /** Only these scenarios (default: all the spec declares). */
  readonly scenarios?: readonly string[];
  /** CLI narrowing/widening of the fault space. */
  readonly space?: SpaceOptions;
  /** Case timeout override (else the scenario's, else explore(timeout=), else 30 s). */
  readonly timeoutMs?: number;
  readonly runs?: number;
  readonly budgetMs?: number;
  readonly shard?: Shard;
  readonly confirmRuns?: number;
  readonly reproduceRuns?: number;
  readonly maxShrinkRuns?: number;
  /** Default `.faultbox` (census files). */
  readonly stateDir?: string;
  /** Default `corpus`. */
  readonly corpusDir?: string;
  /** Default `regressions`. */
  readonly exportDir?: string;
  /** Write the --json result here. */
  readonly jsonFile?: string;
  /** Re-record the census even when a fresh one exists. */
  readonly recordCensus?: boolean;
  readonly signal?: AbortSignal;
  readonly onProgress?: ProgressListener;
}

export interface ExploreOutcome {
  readonly result: CampaignResult;
  readonly census: Census;
  readonly censusRecorded: boolean;
  readonly censusFile: string;
  /** Corpus files written by this run. */
  readonly corpusWritten: readonly string[];
  /** id → regression file */
  readonly regressions: ReadonlyMap<string, string>;
  readonly json: ResultJson;
}

/** Hash of the spec sources (the spec and the files it loads), order-independent. */
export function specContentHash(sources: readonly { readonly path: string; readonly text: string }[]): string {
  const parts = [...sources].sort((a, b) => (a.path < b.path ? -1 : 1)).map((s) => `${s.path}\u0000${s.text}`);
  return sha256Hex(parts.join('\u0001'), 16);
}

export function replayCommandFor(corpusDir: string): (id: string) => string {
  return (id) => `faultbox replay ${join(corpusDir, `${id}.json`).split('\\').join('/')}`;
}

function pickScenarios(spec: ExploreSpec, wanted: readonly string[] | undefined): ScenarioDecl[] {
  if (spec.scenarios.length === 0) throw new UsageError(`${spec.file}: declares no scenario() to explore`);
  if (!wanted) return [...spec.scenarios];
  return wanted.map((name) => {
    const s = spec.scenarios.find((d) => d.name === name);
    if (!s) throw new UsageError(`no scenario "${name}" in ${spec.file} (scenarios: ${spec.scenarios.map((d) => d.name).join(', ')})`);
    return s;
  });
}

export function corpusEntryOf(g: FailureGroup, faultboxVersion: string, created: string, spec?: string, deadlineMs?: number): CorpusEntry {
  return {
    id: g.id,
    seed: g.seed,
    ...(g.path !== undefined ? { path: g.path } : {}),
    scenario: g.scenario,
    ...(spec !== undefined ? { spec } : {}),
    faults: g.faults,
    failure: { kind: g.kind, ...(g.reason ? { reason: g.reason } : {}), message: g.message },
    reproduced: `${g.reproduced.k}/${g.reproduced.n}`,
    census_hash: g.censusHash,
    faultbox_version: faultboxVersion,
    created,
    symptom: g.symptom.key,
    severity: g.symptom.severity,
    fault_key: g.faultKey,
    ...(g.alternatives.length > 0 ? { alternatives: g.alternatives } : {}),
    ...(deadlineMs !== undefined ? { deadline_ms: deadlineMs } : {}),
  };
}

/** Symptoms the user accepted: the spec's explore(expect=) and corpus entries marked accepted. */
function expectationsOf(spec: ExploreSpec, known: readonly CorpusEntry[]): Expectation[] {
  return [
    ...(spec.explore?.expect ?? []).map((symptom): Expectation => ({ from: 'spec', symptom })),
    ...known
      .filter((e) => e.accepted && e.symptom !== undefined)
      .map((e): Expectation => ({ from: 'corpus', id: e.id, scenario: e.scenario, symptomKey: e.symptom! })),
  ];
}

/** `census: scenario s: api 4 families, pg 6 families; 31 targets, 1,204 single faults; deadline 1.0 s (fault-free 12–25 ms)` */
function censusLine(name: string, census: Census, space: FaultSpace, deadline: CaseDeadline): string {
  const sc = census.scenarios[name];
  const services = Object.entries(sc?.services ?? {}).map(([svc, fams]) => `${svc} ${Object.values(fams).reduce((n, f) => n + f.count, 0)} calls in ${Object.keys(fams).length} families`);
  const sp = space.scenarios.find((x) => x.scenario === name);
  const basis = deadline.faultFreeMs ? ` (fault-free runs ${deadline.faultFreeMs[0]}–${deadline.faultFreeMs[1]} ms)` : ' (set by the spec)';
  return `census of ${name}: ${services.join(', ') || 'no calls'}; ${sp?.targets.length ?? 0} targets, ${sp?.singles ?? 0} single faults; case deadline ${(deadline.ms / 1000).toFixed(1)} s${basis}`;
}

export async function explore(opts: ExploreOptions): Promise<ExploreOutcome> {
  const stateDir = opts.stateDir ?? '.faultbox';
  const corpusDir = opts.corpusDir ?? 'corpus';
  const exportDir = opts.exportDir ?? 'regressions';
  const userSignal = opts.signal ?? new AbortController().signal;
  const startedAt = Date.now();
  // The budget covers recording too: recording is aborted at the deadline like any case.
  const deadline = opts.budgetMs !== undefined ? AbortSignal.timeout(Math.max(0, opts.budgetMs)) : undefined;
  const recordSignal = deadline ? AbortSignal.any([userSignal, deadline]) : userSignal;
  const scenarios = pickScenarios(opts.spec, opts.scenarios);
  const settings = resolveSpaceSettings(opts.spec.explore, opts.space);
  const specTimeout = (s: ScenarioDecl) => opts.timeoutMs ?? s.timeoutMs ?? opts.spec.explore?.timeoutMs;

  const { census, recorded, file: censusFile } = await ensureCensus({
    runner: opts.runner,
    stateDir,
    want: {
      specHash: opts.spec.hash,
      faultboxVersion: opts.faultboxVersion,
      scenarios: scenarios.map((s) => s.name),
      families: settings.families,
    },
    signal: recordSignal,
    onProgress: opts.onProgress,
    force: opts.recordCensus,
  });
  const budgetMs = opts.budgetMs !== undefined ? Math.max(0, opts.budgetMs - (Date.now() - startedAt)) : undefined;
  const space = buildFaultSpace(census, scenarios.map((s) => s.name), settings);
  const known = await loadCorpus(corpusDir);
  const replayCommand = replayCommandFor(corpusDir);
  // A spec's own timeout wins; otherwise the census's fault-free timings set the deadline.
  const deadlines = new Map(
    scenarios.map((s): [string, CaseDeadline] => {
      const t = specTimeout(s);
      const sc = census.scenarios[s.name];
      return [s.name, t !== undefined ? { ms: t } : sc ? censusDeadline(sc) : { ms: DEFAULT_CASE_TIMEOUT_MS }];
    }),
  );
  for (const s of scenarios) opts.onProgress?.({ type: 'log', line: censusLine(s.name, census, space, deadlines.get(s.name)!) });
  const domains = new Map(scenarios.map((s) => [s.name, shrinkDomainFor(census, space, s.name)]));
  const specTimeoutOf = (name: string) => {
    const s = scenarios.find((x) => x.name === name);
    return s && specTimeout(s);
  };
  const restartMs = (service: string) => opts.spec.restartMs?.[service];
  const deadlineOf = (g: FailureGroup) =>
    caseDeadline(deadlines.get(g.scenario) ?? { ms: DEFAULT_CASE_TIMEOUT_MS }, g.faults, (f) => domains.get(g.scenario)?.countFor(f) ?? 1, restartMs).ms;

  const result = await runCampaign({
    runner: opts.runner,
    census,
    space,
    scenarios: scenarios.map((s) => ({ name: s.name, deadline: deadlines.get(s.name)! })),
    expectations: expectationsOf(opts.spec, known),
    seed: opts.seed,
    restartMs,
    runs: opts.runs,
    budgetMs,
    shard: opts.shard,
    known,
    confirmRuns: opts.confirmRuns,
    reproduceRuns: opts.reproduceRuns,
    maxShrinkRuns: opts.maxShrinkRuns,
    replayCommand,
    // Where exportRegressions below writes each exportable group, so every report can name it.
    regressionPath: (g) => regressionPath(exportDir, g),
    signal: userSignal,
    onProgress: opts.onProgress,
  });

  const created = new Date().toISOString();
  const fresh = result.groups.filter((g) => !g.known);
  const specRel = relative(resolve(corpusDir), resolve(opts.spec.file));
  const { written } = await saveCorpus(corpusDir, fresh.map((g) => corpusEntryOf(g, opts.faultboxVersion, created, specRel, deadlineOf(g))));
  const regressions = await exportRegressions(result.groups, {
    specFile: opts.spec.file,
    exportDir,
    names: opts.spec.names,
    faultboxVersion: opts.faultboxVersion,
    // A hang is only a hang against the deadline it was found with; any other finding keeps the
    // spec's own timeout (a cold `faultbox test` run needs more than a warm case's deadline).
    timeoutMsFor: (g) => (g.kind === 'timeout' ? deadlineOf(g) : specTimeoutOf(g.scenario)),
    census,
    replayCommand,
  });
  const json = buildResultJson(result, census, regressions, deadlines);
  if (opts.jsonFile) await writeResultJson(opts.jsonFile, json);
  return { result, census, censusRecorded: recorded, censusFile, corpusWritten: written, regressions, json };
}

export interface ReplayOutcome {
  /** True when the recorded failure happened again (same symptom; same kind for older entries). */
  readonly reproduced: boolean;
  /** True when the case failed at all (reproduced, or failed some other way). */
  readonly failed: boolean;
  readonly verdict: CaseVerdict;
  /** True when none of the armed faults fired (the case tested nothing). */
  readonly vacuous: boolean;
}

/** `faultbox replay corpus/<id>.json`: runs exactly that minimal case once. */
export async function replayEntry(
  runner: ScenarioRunner,
  entry: CorpusEntry,
  opts: { readonly timeoutMs?: number; readonly seed?: number; readonly signal?: AbortSignal } = {},
): Promise<ReplayOutcome> {
  const signal = opts.signal ?? new AbortController().signal;
  const rules = faultSetToRules(entry.faults);
  const timeoutMs = opts.timeoutMs ?? entry.deadline_ms ?? DEFAULT_CASE_TIMEOUT_MS;
  let verdict: CaseVerdict;
  try {
    // The case was found on services that had already served the scenario: warm fresh ones the
    // same way first, or one-time work of a first run would shift the occurrences nth counts.
    await runner.runCase(entry.scenario, [], { timeoutMs, seed: opts.seed ?? entry.seed }, signal);
    await runner.ensureHealthy(signal);
    verdict = await runner.runCase(entry.scenario, rules, { timeoutMs, seed: opts.seed ?? entry.seed }, signal);
  } catch (err) {
    throw new InfraError(`replaying ${entry.id} failed: ${(err as Error).message}`);
  }
  if (verdict.kind === 'infra-error') throw new InfraError(`replaying ${entry.id} failed: ${verdict.message}`);
  const cls = classify(verdict, rules);
  const failed = cls === 'failure';
  const same = entry.symptom !== undefined ? symptomOf(entry.scenario, verdict)?.key === entry.symptom : failureKind(verdict) === entry.failure.kind;
  return { reproduced: failed && same, failed, verdict, vacuous: cls === 'vacuous' };
}
