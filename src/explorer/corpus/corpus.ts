// The corpus: one JSON file per finding (`corpus/<id>.json`), written once, replayed first by the
// next explore (reported as known) and by `faultbox replay`. Corpora from sharded or nightly runs
// merge by id.
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UsageError } from '../../errors.js';
import { canonicalFaultSet, faultSetKey, type InjectedFault } from '../faults.js';
import { decodeFault, encodeFaults, type FaultJson } from './fault-json.js';
import type { FailReason } from '../runner/runner.js';
import { FAILURE_KINDS, type FailureKind } from '../triage/signature.js';
import type { Severity } from '../triage/symptom.js';

const SEVERITIES: readonly string[] = ['safety', 'availability', 'liveness'];

export interface CorpusEntry {
  readonly id: string;
  readonly seed: number;
  /** fast-check path of the case the failure was first found in (combinations only). */
  readonly path?: string;
  readonly scenario: string;
  /** The spec the case runs against, relative to the corpus file's directory (for replay). */
  readonly spec?: string;
  /** The minimal fault set (canonical order). */
  readonly faults: readonly InjectedFault[];
  readonly failure: { readonly kind: FailureKind; readonly reason?: FailReason; readonly message: string };
  /** "k/n" */
  readonly reproduced: string;
  readonly census_hash: string;
  readonly faultbox_version: string;
  /** ISO timestamp */
  readonly created: string;
  /** The symptom's identity (symptom.ts); entries from before symptom grouping have none. */
  readonly symptom?: string;
  /** safety, availability or liveness. */
  readonly severity?: Severity;
  /** The finer fault-set signature of `faults` (the id scheme before symptom grouping). */
  readonly fault_key?: string;
  /** Other fault sets that showed the same symptom when it was found. */
  readonly alternatives?: readonly (readonly InjectedFault[])[];
  /** The case deadline the failure was found with (a timeout finding replays with it). */
  readonly deadline_ms?: number;
  /**
   * The user accepted this symptom as expected: later campaigns count it, never report or
   * triage it (`faultbox corpus accept`).
   */
  readonly accepted?: boolean;
}

/** A corpus entry as its file spells it: the faults in their JSON spelling (fault-json.ts). */
export type CorpusEntryJson = Omit<CorpusEntry, 'faults' | 'alternatives'> & {
  readonly faults: readonly FaultJson[];
  readonly alternatives?: readonly (readonly FaultJson[])[];
};

/** The object a corpus file holds. */
export function encodeCorpusEntry(entry: CorpusEntry): CorpusEntryJson {
  // Overwriting keys in place keeps the entry's key order (an absent alternatives stays absent:
  // JSON leaves out undefined).
  return { ...entry, faults: encodeFaults(entry.faults), alternatives: entry.alternatives?.map(encodeFaults) };
}

function corpusFileText(entry: CorpusEntry): string {
  return `${JSON.stringify(encodeCorpusEntry(entry), null, 2)}\n`;
}

const FAIL_REASONS: readonly string[] = ['assertion', 'step-error', 'expectation'] satisfies readonly FailReason[];

export function corpusEntryFile(dir: string, id: string): string {
  return join(dir, `${id}.json`);
}

/** Validates a parsed corpus file; `where` (the file name) prefixes every message. */
export function parseCorpusEntry(data: unknown, where: string): CorpusEntry {
  const bad = (what: string): never => {
    throw new UsageError(`${where}: ${what}`);
  };
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return bad('expected a JSON object');
  const d = data as Record<string, unknown>;
  if (typeof d.id !== 'string' || !/^[0-9a-z_-]+$/i.test(d.id)) bad('"id" must be a short identifier');
  if (typeof d.seed !== 'number' || !Number.isInteger(d.seed)) bad('"seed" must be an integer');
  if (d.path !== undefined && typeof d.path !== 'string') bad('"path" must be a string');
  if (d.spec !== undefined && typeof d.spec !== 'string') bad('"spec" must be a string (the spec path, relative to the corpus file)');
  if (typeof d.scenario !== 'string' || d.scenario === '') bad('"scenario" must be a non-empty string');
  if (!Array.isArray(d.faults) || d.faults.length === 0) bad('"faults" must be a non-empty array');
  const faults = (d.faults as unknown[]).map((f, i) => decodeFault(f, `${where}: faults[${i}]`));
  const failure = d.failure as Record<string, unknown> | undefined;
  if (typeof failure !== 'object' || failure === null) return bad('"failure" must be an object');
  if (typeof failure.kind !== 'string' || !(FAILURE_KINDS as readonly string[]).includes(failure.kind)) bad(`"failure.kind" must be one of ${FAILURE_KINDS.join(', ')}`);
  if (failure.reason !== undefined && (typeof failure.reason !== 'string' || !FAIL_REASONS.includes(failure.reason))) {
    bad(`"failure.reason" must be one of ${FAIL_REASONS.join(', ')}`);
  }
  if (typeof failure.message !== 'string') bad('"failure.message" must be a string');
  if (typeof d.reproduced !== 'string' || !/^\d+\/\d+$/.test(d.reproduced)) bad('"reproduced" must look like "k/n"');
  for (const k of ['census_hash', 'faultbox_version', 'created'] as const) if (typeof d[k] !== 'string') bad(`"${k}" must be a string`);
  for (const k of ['symptom', 'fault_key'] as const) if (d[k] !== undefined && typeof d[k] !== 'string') bad(`"${k}" must be a string`);
  if (d.severity !== undefined && !SEVERITIES.includes(d.severity as string)) bad(`"severity" must be one of ${SEVERITIES.join(', ')}`);
  if (d.deadline_ms !== undefined && !(typeof d.deadline_ms === 'number' && Number.isInteger(d.deadline_ms) && d.deadline_ms > 0)) bad('"deadline_ms" must be a positive integer');
  if (d.accepted !== undefined && typeof d.accepted !== 'boolean') bad('"accepted" must be true or false');
  if (d.alternatives !== undefined && !Array.isArray(d.alternatives)) bad('"alternatives" must be an array of fault arrays');
  const alternatives = ((d.alternatives ?? []) as unknown[]).map((set, i) => {
    if (!Array.isArray(set)) return bad(`alternatives[${i}] must be an array of faults`);
    return canonicalFaultSet(set.map((f, j) => decodeFault(f, `${where}: alternatives[${i}][${j}]`)));
  });
  return {
    id: d.id as string,
    seed: d.seed as number,
    ...(d.path !== undefined ? { path: d.path as string } : {}),
    scenario: d.scenario as string,
    ...(d.spec !== undefined ? { spec: d.spec as string } : {}),
    faults: canonicalFaultSet(faults),
    failure: {
      kind: failure.kind as FailureKind,
      ...(failure.reason !== undefined ? { reason: failure.reason as FailReason } : {}),
      message: failure.message as string,
    },
    reproduced: d.reproduced as string,
    census_hash: d.census_hash as string,
    faultbox_version: d.faultbox_version as string,
    created: d.created as string,
    ...(d.symptom !== undefined ? { symptom: d.symptom as string } : {}),
    ...(d.severity !== undefined ? { severity: d.severity as Severity } : {}),
    ...(d.fault_key !== undefined ? { fault_key: d.fault_key as string } : {}),
    ...(alternatives.length > 0 ? { alternatives } : {}),
    ...(d.deadline_ms !== undefined ? { deadline_ms: d.deadline_ms as number } : {}),
    ...(d.accepted !== undefined ? { accepted: d.accepted as boolean } : {}),
  };
}

export async function loadCorpusEntry(file: string): Promise<CorpusEntry> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new UsageError(`${file}: cannot read corpus entry (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`${file}: not valid JSON (${(err as Error).message})`);
  }
  return parseCorpusEntry(data, file);
}

/** Every `*.json` entry of a corpus directory, sorted by id. A missing directory is an empty corpus. */
export async function loadCorpus(dir: string): Promise<CorpusEntry[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new UsageError(`${dir}: cannot read corpus directory (${(err as Error).message})`);
  }
  const entries = await Promise.all(names.filter((n) => n.endsWith('.json')).sort().map((n) => loadCorpusEntry(join(dir, n))));
  return entries.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** Writes entries not yet in `dir` (an existing file with the same id is left alone). */
export async function saveCorpus(dir: string, entries: readonly CorpusEntry[]): Promise<{ written: string[]; existing: string[] }> {
  await mkdir(dir, { recursive: true });
  const present = new Set((await readdir(dir)).filter((n) => n.endsWith('.json')));
  const written: string[] = [];
  const existing: string[] = [];
  for (const entry of entries) {
    const file = corpusEntryFile(dir, entry.id);
    if (present.has(`${entry.id}.json`)) {
      existing.push(file);
      continue;
    }
    const tmp = `${file}.${process.pid}.tmp`;
    await writeFile(tmp, corpusFileText(entry));
    await rename(tmp, file);
    present.add(`${entry.id}.json`);
    written.push(file);
  }
  return { written, existing };
}

/**
 * Union of several corpora, one entry per id (the earliest `created` wins). Ids whose entries
 * disagree on scenario or faults are reported as conflicts. Writes the result to `outDir` if given.
 */
export async function mergeCorpora(
  dirs: readonly string[],
  outDir?: string,
): Promise<{ entries: CorpusEntry[]; conflicts: string[]; written: string[] }> {
  const byId = new Map<string, CorpusEntry>();
  const conflicts = new Set<string>();
  for (const dir of dirs) {
    for (const entry of await loadCorpus(dir)) {
      const prev = byId.get(entry.id);
      if (!prev) {
        byId.set(entry.id, entry);
        continue;
      }
      // One symptom may be reached by different minimal fault sets on different shards: the same
      // finding. Without a symptom (older entries) the id was the fault set, so faults must agree.
      const sameFinding = prev.symptom !== undefined && prev.symptom === entry.symptom;
      if (prev.scenario !== entry.scenario || (!sameFinding && faultSetKey(prev.faults) !== faultSetKey(entry.faults))) conflicts.add(entry.id);
      if (entry.created < prev.created) byId.set(entry.id, entry);
    }
  }
  const entries = [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const written = outDir ? (await saveCorpus(outDir, entries)).written : [];
  return { entries, conflicts: [...conflicts].sort(), written };
}

/** Marks a corpus entry accepted (its symptom is expected from now on); rewrites the file in place. */
export async function acceptCorpusEntry(file: string): Promise<CorpusEntry> {
  const entry = await loadCorpusEntry(file);
  const accepted: CorpusEntry = { ...entry, accepted: true };
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, corpusFileText(accepted));
  await rename(tmp, file);
  return accepted;
}
