// The census: what each service really did during a fault-free run of each scenario, per syscall
// family and per call site, with the occurrence numbers the runtime's nth/after triggers count.
// It is the fault universe: the explorer only ever generates faults that name a census entry.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SyscallEvent } from '../../spec/events.js';
import { familyOf, isSyscallName } from '../../spec/syscall-families.js';
import { contentHash } from '../content-hash.js';
import { InfraError, SpecError, UsageError } from '../../errors.js';
import { CampaignStopped } from '../errors.js';
import type { ProgressListener } from '../campaign/progress.js';
import { verdictMessage, type RecordResult, type ScenarioRunner } from '../runner/runner.js';
import { isRuntimeFdCall } from '../../runtime/supervisor/runtime-fds.js';
import { globMatches, siteOf, type SiteKind, type VolatileDir } from './site-target.js';

// 2: calls on runtime descriptors (eventfd, epoll...) are no longer counted (runtime-fds.ts).
// 3: calls that name their peer form `peer:<glob>` sites with a peer glob.
// 4: the harness's log files are not the service's I/O (runtime-fds.ts); timing runs (durationsMs).
export const CENSUS_FORMAT = 5;

export interface CensusSite {
  readonly key: string;
  readonly kind: SiteKind;
  /** Path glob that reaches this site (files only). */
  readonly glob?: string;
  /** Peer glob that reaches this site (calls that name their peer). */
  readonly peerGlob?: string;
  /** Calls the runtime would count for a rule targeting this site (glob-matching calls for files). */
  readonly count: number;
  /** Family-level occurrence numbers (1-based, within the scenario body) of those calls. */
  readonly occurrences: readonly number[];
}

export interface FamilyCensus {
  /** Calls of the family in the scenario body. */
  readonly count: number;
  /** Ordered by first occurrence. */
  readonly sites: readonly CensusSite[];
  /**
   * Family-level occurrence numbers of the calls on a socket or pipe in non-blocking mode, where
   * transient errnos do not fit (spec/errno-fit.ts); absent when there are none.
   */
  readonly nonblocking?: readonly number[];
}

export interface ScenarioCensus {
  /** service → family → census */
  readonly services: Readonly<Record<string, Readonly<Record<string, FamilyCensus>>>>;
  /** Fault-free duration of the recorded run; informative only (not part of the hash). */
  readonly durationMs: number;
  /** Fault-free durations of the timing runs (case deadlines come from them; not hashed). */
  readonly durationsMs?: readonly number[];
}

/** Fault-free runs timed after the recorded one: enough to see the jitter, cheap for fast scenarios. */
export const TIMING_RUNS = 3;

export interface Census {
  readonly format: number;
  readonly specHash: string;
  readonly faultboxVersion: string;
  /** Families that were traced while recording. */
  readonly families: readonly string[];
  readonly scenarios: Readonly<Record<string, ScenarioCensus>>;
  /** Stable hash of families + per-scenario counts and sites (durations excluded). */
  readonly hash: string;
  readonly createdAt: string;
}

/** Builds one scenario's census from a fault-free recording. */
export function buildScenarioCensus(result: RecordResult, families: readonly string[]): ScenarioCensus {
  const wanted = new Set(families);
  const { fromSeq, toSeq } = result.bodyWindow;
  // service → family → calls in order
  const calls = new Map<string, Map<string, SyscallEvent[]>>();
  const inBody = result.events
    .filter((e): e is SyscallEvent => e.type === 'syscall' && e.seq >= fromSeq && e.seq <= toSeq)
    .sort((a, b) => a.seq - b.seq);
  for (const ev of inBody) {
    if (!isSyscallName(ev.syscall)) continue;
    const family = familyOf(ev.syscall).name;
    if (!wanted.has(family)) continue;
    // The runtime never counts these toward a rule's occurrences (runtime-fds.ts); neither do we.
    if (isRuntimeFdCall(ev.syscall, ev.path)) continue;
    let byFamily = calls.get(ev.service);
    if (!byFamily) calls.set(ev.service, (byFamily = new Map()));
    let list = byFamily.get(family);
    if (!list) byFamily.set(family, (list = []));
    list.push(ev);
  }
  const services: Record<string, Record<string, FamilyCensus>> = {};
  for (const service of [...calls.keys()].sort()) {
    const out: Record<string, FamilyCensus> = {};
    const byFamily = calls.get(service)!;
    for (const family of [...byFamily.keys()].sort()) out[family] = familyCensus(byFamily.get(family)!, result.volatileDirs ?? []);
    services[service] = out;
  }
  return { services, durationMs: result.verdict.durationMs };
}

function familyCensus(calls: readonly SyscallEvent[], volatileDirs: readonly VolatileDir[]): FamilyCensus {
  const order: string[] = [];
  const sites = new Map<string, { kind: SiteKind; glob?: string; peerGlob?: string; occurrences: number[] }>();
  const own = calls.map((ev) => siteOf(ev, volatileDirs));
  own.forEach((site) => {
    if (!sites.has(site.key)) {
      sites.set(site.key, { kind: site.kind, glob: site.glob, peerGlob: site.peerGlob, occurrences: [] });
      order.push(site.key);
    }
  });
  // A glob can match calls whose own key differs, and the runtime counts every matching call:
  // occurrences of file and peer sites are every call their glob matches; of the others, the
  // calls that gave the key.
  calls.forEach((ev, i) => {
    for (const [key, entry] of sites) {
      const hit = entry.glob !== undefined
        ? ev.path !== undefined && globMatches(entry.glob, ev.path)
        : entry.peerGlob !== undefined
          ? ev.peer !== undefined && globMatches(entry.peerGlob, ev.peer)
          : key === own[i]!.key;
      if (hit) entry.occurrences.push(i + 1);
    }
  });
  const nonblocking = calls.flatMap((ev, i) => (ev.nonblocking === true ? [i + 1] : []));
  return {
    count: calls.length,
    ...(nonblocking.length > 0 ? { nonblocking } : {}),
    sites: order.map((key) => {
      const e = sites.get(key)!;
      return {
        key,
        kind: e.kind,
        ...(e.glob ? { glob: e.glob } : {}),
        ...(e.peerGlob ? { peerGlob: e.peerGlob } : {}),
        count: e.occurrences.length,
        occurrences: e.occurrences,
      };
    }),
  };
}

export function censusHashOf(families: readonly string[], scenarios: Readonly<Record<string, ScenarioCensus>>): string {
  const hashed: Record<string, unknown> = {};
  for (const [name, sc] of Object.entries(scenarios)) hashed[name] = sc.services;
  return contentHash({ format: CENSUS_FORMAT, families: [...families].sort(), scenarios: hashed });
}

export function makeCensus(args: {
  specHash: string;
  faultboxVersion: string;
  families: readonly string[];
  scenarios: Readonly<Record<string, ScenarioCensus>>;
  createdAt?: string;
}): Census {
  const families = [...args.families].sort();
  return {
    format: CENSUS_FORMAT,
    specHash: args.specHash,
    faultboxVersion: args.faultboxVersion,
    families,
    scenarios: args.scenarios,
    hash: censusHashOf(families, args.scenarios),
    createdAt: args.createdAt ?? new Date().toISOString(),
  };
}

/** Per service, per family, call counts summed over scenarios (the `--json` census shape). */
export function censusTotals(census: Census): Record<string, Record<string, number>> {
  const totals: Record<string, Record<string, number>> = {};
  for (const name of Object.keys(census.scenarios).sort()) {
    const sc = census.scenarios[name]!;
    for (const [service, fams] of Object.entries(sc.services)) {
      const row = (totals[service] ??= {});
      for (const [family, fc] of Object.entries(fams)) row[family] = (row[family] ?? 0) + fc.count;
    }
  }
  return totals;
}

export function censusFile(stateDir: string, specHash: string): string {
  return join(stateDir, `census-${specHash}.json`);
}

export async function saveCensus(stateDir: string, census: Census): Promise<string> {
  await mkdir(stateDir, { recursive: true });
  const file = censusFile(stateDir, census.specHash);
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(census, null, 2)}\n`);
  await rename(tmp, file);
  return file;
}

/** Reads a census file; undefined when absent or of an older format. A malformed file is a usage error. */
export async function loadCensus(file: string): Promise<Census | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`${file}: not valid JSON (${(err as Error).message}); delete it to re-record`);
  }
  const c = data as Partial<Census>;
  // A census from an older faultbox counts calls differently: stale, so it is recorded again.
  if (typeof c === 'object' && c !== null && typeof c.format === 'number' && c.format < CENSUS_FORMAT) return undefined;
  if (
    typeof c !== 'object' || c === null || c.format !== CENSUS_FORMAT || typeof c.specHash !== 'string' ||
    typeof c.faultboxVersion !== 'string' || !Array.isArray(c.families) || typeof c.scenarios !== 'object' ||
    c.scenarios === null || typeof c.hash !== 'string'
  ) {
    throw new UsageError(`${file}: not a census of format ${CENSUS_FORMAT}; delete it to re-record`);
  }
  const census = c as Census;
  if (censusHashOf(census.families, census.scenarios) !== census.hash) {
    throw new UsageError(`${file}: census hash does not match its content (edited by hand?); delete it to re-record`);
  }
  return census;
}

export interface CensusWant {
  readonly specHash: string;
  readonly faultboxVersion: string;
  readonly scenarios: readonly string[];
  readonly families: readonly string[];
}

/** Fresh = same spec content and faultbox version, and it covers every scenario and family wanted. */
export function isFresh(census: Census, want: CensusWant): boolean {
  if (census.specHash !== want.specHash || census.faultboxVersion !== want.faultboxVersion) return false;
  const fams = new Set(census.families);
  return want.families.every((f) => fams.has(f)) && want.scenarios.every((s) => s in census.scenarios);
}

/** Records every scenario fault-free (one run each) and builds the census. */
export async function recordCensus(args: {
  runner: ScenarioRunner;
  want: CensusWant;
  signal: AbortSignal;
  onProgress?: ProgressListener;
}): Promise<Census> {
  const { runner, want, signal } = args;
  const scenarios: Record<string, ScenarioCensus> = {};
  for (const scenario of want.scenarios) {
    if (signal.aborted) throw new CampaignStopped(`stopped while recording the census (at scenario ${scenario})`);
    args.onProgress?.({ type: 'log', line: `recording ${scenario} fault-free` });
    let result: RecordResult;
    try {
      result = await runner.record(scenario, want.families, signal);
    } catch (err) {
      if (signal.aborted) throw new CampaignStopped(`stopped while recording the census (at scenario ${scenario})`);
      throw new InfraError(`recording scenario ${scenario} failed: ${(err as Error).message}`);
    }
    if (result.verdict.kind === 'infra-error') {
      // A runner cut short by the stop reports an aborted run, which is not a broken machine.
      if (signal.aborted) throw new CampaignStopped(`stopped while recording the census (at scenario ${scenario})`);
      throw new InfraError(`recording scenario ${scenario} failed: ${result.verdict.message}`);
    }
    if (result.verdict.kind !== 'pass') {
      throw new SpecError(
        `scenario ${scenario} fails without any fault (${result.verdict.kind}: ${verdictMessage(result.verdict)}); ` +
          'exploring needs a passing happy path, fix the scenario first',
      );
    }
    const timed = await timingRuns(runner, scenario, signal);
    scenarios[scenario] = { ...buildScenarioCensus(result, want.families), durationsMs: [result.verdict.durationMs, ...timed] };
  }
  return makeCensus({ specHash: want.specHash, faultboxVersion: want.faultboxVersion, families: want.families, scenarios });
}

/**
 * Times the scenario fault-free a few more times, untraced, as cases will run it. A run that does
 * not pass is left out (a scenario that sometimes fails fault-free shows up as flaky findings).
 */
async function timingRuns(runner: ScenarioRunner, scenario: string, signal: AbortSignal): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < TIMING_RUNS && !signal.aborted; i++) {
    const v = await runner.runCase(scenario, [], { timeoutMs: TIMING_RUN_TIMEOUT_MS, seed: 0 }, signal);
    if (v.kind === 'pass') out.push(v.durationMs);
    await runner.ensureHealthy(signal);
  }
  return out;
}

/** A timing run is fault-free: it only fails to finish when the scenario itself is broken. */
const TIMING_RUN_TIMEOUT_MS = 30_000;

/** Loads the census for this spec if fresh, else records (and saves) a new one. */
export async function ensureCensus(args: {
  runner: ScenarioRunner;
  stateDir: string;
  want: CensusWant;
  signal: AbortSignal;
  onProgress?: ProgressListener;
  /** Record even when a fresh census exists. */
  force?: boolean;
}): Promise<{ census: Census; recorded: boolean; file: string }> {
  const file = censusFile(args.stateDir, args.want.specHash);
  if (!args.force) {
    const existing = await loadCensus(file);
    if (existing && isFresh(existing, args.want)) return { census: existing, recorded: false, file };
  }
  args.onProgress?.({ type: 'phase', phase: 'record', atMs: 0 });
  const census = await recordCensus(args);
  await saveCensus(args.stateDir, census);
  return { census, recorded: true, file };
}
