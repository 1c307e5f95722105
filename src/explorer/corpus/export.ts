// Regression export: one `.star` file per finding that load()s the original spec, declares the
// minimal faults as fault_assumption(...)s and a fault_scenario(...) that runs the scenario under
// them. It has no expect=: the scenario's own assertions are the property, so `faultbox test` on
// the file fails while the bug exists and passes once it is fixed. Provenance sits in a comment.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import type { Census } from '../census/census.js';
import { UsageError } from '../../errors.js';
import { faultCall, type InjectedFault } from '../faults.js';
import { formatDurationMs } from '../../spec/duration.js';
import type { FailureGroup } from '../triage/triage.js';

/** Global names in the spec that the regression must load (Starlark load() imports by name). */
export interface RegressionNames {
  /** service name → global variable holding the service */
  readonly services: Readonly<Record<string, string>>;
  /** scenario name → global name of the scenario function */
  readonly scenarios: Readonly<Record<string, string>>;
  /** name → the file (absolute or cwd-relative) that defines that global; absent = the spec file. */
  readonly files?: {
    readonly services: Readonly<Record<string, string>>;
    readonly scenarios: Readonly<Record<string, string>>;
  };
}

export interface ExportOptions {
  /** The spec the regressions load (absolute, or relative to the working directory). */
  readonly specFile: string;
  /** Default `regressions/`. */
  readonly exportDir: string;
  readonly names: RegressionNames;
  readonly faultboxVersion: string;
  /** The group's case deadline, written as fault_scenario(timeout=). */
  readonly timeoutMsFor?: (g: FailureGroup) => number | undefined;
  /** For the "which call is this" comments. */
  readonly census?: Census;
  /** How a finding is replayed (default `faultbox replay corpus/<id>.json`). */
  readonly replayCommand?: (id: string) => string;
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Groups worth a regression: confirmed ones (minimal or cut short) and known ones. */
export function exportable(g: FailureGroup): boolean {
  return g.state === 'minimal' || g.state === 'partial';
}

export function regressionFileName(g: FailureGroup): string {
  return `${g.scenario.replace(/[^A-Za-z0-9_]+/g, '_')}_${g.id}.star`;
}

function globalName(kind: 'service' | 'scenario', name: string, table: Readonly<Record<string, string>>): string {
  const mapped = table[name];
  if (mapped !== undefined) {
    if (!IDENT.test(mapped)) throw new UsageError(`global name "${mapped}" for ${kind} ${name} is not a Starlark identifier`);
    return mapped;
  }
  // Specs usually bind `db = service("db", ...)` and `def write_data(): ...`.
  if (IDENT.test(name)) return name;
  throw new UsageError(`no global name known for ${kind} "${name}"; a regression cannot load() it`);
}

function starString(s: string): string {
  return JSON.stringify(s);
}

function ordinal(n: number): string {
  const s = n % 100 >= 11 && n % 100 <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${s}`;
}

/** "3rd write of db, to file:/data/wal-*.log" when the census knows the call. */
export function describeCall(census: Census | undefined, scenario: string, f: InjectedFault): string | undefined {
  const fc = census?.scenarios[scenario]?.services[f.service]?.[f.keyword];
  if (!fc) return undefined;
  const { nth, after } = f.trigger;
  if (nth === undefined) {
    const onset = after !== undefined ? `from call ${after + 1} of ${fc.count}` : `all ${fc.count} calls`;
    return `${f.keyword} of ${f.service}${f.pathGlob ? ` under ${f.pathGlob}` : ''}${f.peerGlob ? ` to ${f.peerGlob}` : ''}: ${onset}`;
  }
  if (f.pathGlob !== undefined) return `${ordinal(nth)} ${f.keyword} of ${f.service} under ${f.pathGlob}`;
  if (f.peerGlob !== undefined) return `${ordinal(nth)} ${f.keyword} of ${f.service} to ${f.peerGlob}`;
  const site = fc.sites.find((s) => s.glob === undefined && s.occurrences.includes(nth)) ??
    fc.sites.find((s) => s.occurrences.includes(nth));
  return `${ordinal(nth)} ${f.keyword} of ${f.service}${site ? `, to ${site.key}` : ''}`;
}

/** The relative load() path from the export directory to the spec, with `/` separators. */
export function specLoadPath(exportDir: string, specFile: string): string {
  const rel = relative(resolve(exportDir), resolve(specFile)).split(sep).join('/');
  return rel.startsWith('.') ? rel : `./${rel}`;
}

export function renderRegression(g: FailureGroup, opts: ExportOptions): string {
  const scenarioFn = globalName('scenario', g.scenario, opts.names.scenarios);
  const services = [...new Set(g.faults.map((f) => f.service))].sort();
  const serviceVars = new Map(services.map((s) => [s, globalName('service', s, opts.names.services)]));
  // One load() per file that defines what the regression needs (usually just the spec).
  const byFile = new Map<string, Set<string>>();
  const need = (file: string | undefined, name: string): void => {
    const f = file ?? opts.specFile;
    (byFile.get(f) ?? byFile.set(f, new Set()).get(f)!).add(name);
  };
  need(opts.names.files?.scenarios[g.scenario], scenarioFn);
  for (const s of services) need(opts.names.files?.services[s], serviceVars.get(s)!);
  const testName = `regression_${g.id}`;
  const file = join(opts.exportDir, regressionFileName(g)).split(sep).join('/');
  const replay = (opts.replayCommand ?? ((id) => `faultbox replay corpus/${id}.json`))(g.id);
  const kind = g.reason ? `${g.kind} (${g.reason})` : g.kind;
  const header = [
    `# Regression found by \`faultbox explore\`. It fails while the bug exists and passes once it is fixed.`,
    `#   id:         ${g.id}`,
    `#   scenario:   ${g.scenario}`,
    `#   failure:    ${kind}: ${g.message.replace(/\s+/g, ' ')}`,
    `#   seed:       ${g.seed}`,
    `#   path:       ${g.path ?? '-'}`,
    `#   reproduced: ${g.reproduced.k}/${g.reproduced.n}${g.state === 'minimal' ? '' : ` (${g.state}: not proven 1-minimal)`}`,
    `#   census:     ${g.censusHash}`,
    `#   faultbox:   ${opts.faultboxVersion}`,
    `#   replay:     ${replay}`,
    `# Run: faultbox test ${file} --test ${testName}`,
    '',
    ...[...byFile].map(([f, names]) => `load(${[starString(specLoadPath(opts.exportDir, f)), ...[...names].sort().map(starString)].join(', ')})`),
    '',
  ];
  const body: string[] = [];
  const assumptionVars: string[] = [];
  g.faults.forEach((f, i) => {
    const v = `${testName}_f${i + 1}`;
    assumptionVars.push(v);
    const note = describeCall(opts.census, g.scenario, f);
    body.push(
      `${v} = fault_assumption(${starString(v)},`,
      `    target = ${serviceVars.get(f.service)},`,
      `    ${f.keyword} = ${faultCall(f)},${note ? `  # ${note}` : ''}`,
      ')',
      '',
    );
  });
  let faultsArg = assumptionVars[0]!;
  if (assumptionVars.length > 1) {
    faultsArg = `${testName}_faults`;
    body.push(`${faultsArg} = fault_assumption(${starString(faultsArg)}, faults = [${assumptionVars.join(', ')}])`, '');
  }
  const timeoutMs = opts.timeoutMsFor?.(g);
  body.push(
    `fault_scenario(${starString(testName)},`,
    `    scenario = ${scenarioFn},`,
    `    faults = ${faultsArg},`,
    ...(timeoutMs !== undefined ? [`    timeout = ${starString(formatDurationMs(timeoutMs))},`] : []),
    // The explorer found the case on warm services (the scenario had run before): so does this.
    '    warmup = True,',
    ')',
    '',
  );
  return [...header, ...body].join('\n');
}

/** Where a group's regression is written, or undefined when the group is not exported. */
export function regressionPath(exportDir: string, g: FailureGroup): string | undefined {
  return exportable(g) ? join(exportDir, regressionFileName(g)) : undefined;
}

/** Writes one regression per exportable group; returns id → file path. */
export async function exportRegressions(groups: readonly FailureGroup[], opts: ExportOptions): Promise<Map<string, string>> {
  const written = new Map<string, string>();
  const todo = groups.flatMap((g) => {
    const file = regressionPath(opts.exportDir, g);
    return file === undefined ? [] : [{ g, file }];
  });
  if (todo.length === 0) return written;
  await mkdir(opts.exportDir, { recursive: true });
  for (const { g, file } of todo) {
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, renderRegression(g, opts));
    written.set(g.id, file);
  }
  return written;
}
