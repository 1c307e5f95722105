// `node bench/explore/run.mjs targets`: one campaign per target of examples/targets (the suite
// the explorer was not built around), each `faultbox explore SPEC --seed 1 --budget 2m --ci
// --json` in a fresh working directory and TMPDIR, one at a time, and per target:
//   - time to the first true finding: the first `failure` line of the plain log whose symptom is
//     a planted root cause's (planted.json), from the log's [mm:ss] stamps;
//   - reported groups, and groups per planted root cause (how one bug was split);
//   - share of the budget in timed-out cases: (exploration cases + triage runs of timeout groups)
//     x the case deadline / the campaign's duration. The JSON has no per-case durations, so this
//     is an estimate, and a lower bound when a timeout group's triage was cut short (its
//     unfinished run is not counted);
//     The plain log gives a second figure that also catches hangs ending as a crash or an
//     infrastructure error: the time between progress lines across which at most one case
//     (exploration or triage) finished and 10 s or more passed ("stalled");
//   - cases per minute: exploration cases (`cases` of the JSON) per minute of the campaign;
//   - runs spent in triage: `triage_runs` of the JSON when it has them, else the last progress
//     line's count (which includes triage runs) minus the exploration cases.
//   BENCH_TARGETS=py-ack-loss,json-server BENCH_BUDGET=2m node bench/explore/run.mjs targets
//   BENCH_FROM=/tmp/runs node bench/explore/run.mjs targets   (measure campaigns already run: <name>.log, <name>.json)
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isPlantedSet } from '../../examples/targets/planted-match.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const cli = join(root, 'bin', 'faultbox.js');
const targetsDir = join(root, 'examples', 'targets');
const BUDGET = process.env.BENCH_BUDGET ?? '2m';
const FROM = process.env.BENCH_FROM;
const DEFAULT_DEADLINE_MS = 30_000; // the engine's default case timeout before census deadlines
const names = (process.env.BENCH_TARGETS ?? readdirSync(targetsDir).filter((n) => existsSync(join(targetsDir, n, 'faultbox.star'))).sort().join(',')).split(',').filter(Boolean);

const fmt = (x, d = 1) => (Number.isFinite(x) ? x.toFixed(d) : '-');

/** `faultbox explore` in a sandbox; resolves with its log (each line with its [mm:ss] stamp). */
function explore(spec, cwd, tmp) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, 'explore', spec, '--seed', '1', '--budget', BUDGET, '--ci', '--json', 'out.json'], {
      cwd,
      env: { ...process.env, TMPDIR: tmp },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let log = '';
    child.stdout.setEncoding('utf8').on('data', (d) => (log += d));
    child.stderr.setEncoding('utf8').on('data', (d) => (log += d));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 || code === 1 ? resolve(log) : reject(new Error(`${spec}: explore exited ${code}\n${log}`))));
  });
}

/** The symptom of a planted root cause, as the plain log's failure line shows it. */
function lineShows(cause, line) {
  // Tolerant of what a failure line adds (a severity, a group count): stamp, "failure", kind, message.
  const m = /^\[(\d+):(\d\d)\] .*\bfailure\b(.*)$/.exec(line);
  if (!m || !m[3].includes(` ${cause.kind} in `) || !m[3].includes(cause.message)) return undefined;
  if (cause.fault_rule && /\.log"/.test(m[3])) return undefined; // faultbox's own log file, not the service's data
  return Number(m[1]) * 60 + Number(m[2]);
}

/** Seconds of the log between progress lines over which at most one case finished in ≥ 10 s. */
function stalledSeconds(lines) {
  const points = [{ t: 0, cases: 0 }];
  for (const l of lines) {
    const m = /^\[(\d+):(\d\d)\] progress: (\d+) cases/.exec(l);
    if (m) points.push({ t: Number(m[1]) * 60 + Number(m[2]), cases: Number(m[3]) });
  }
  let stalled = 0;
  for (let i = 1; i < points.length; i++) {
    const dt = points[i].t - points[i - 1].t;
    if (dt >= 10 && points[i].cases - points[i - 1].cases <= 1) stalled += dt;
  }
  return stalled;
}

function measure(name, planted, log, json) {
  const lines = log.split('\n');
  const minutes = json.duration_ms / 60_000;
  // The JSON's deadline when it has one; else what a timeout message says; else the old default.
  const said = json.failures.map((f) => /exceeded its (\d+)ms timeout/.exec(f.message)?.[1]).find(Boolean);
  const scenarioDeadline = json.deadlines?.[planted.scenario]?.deadline_ms ?? (said ? Number(said) : DEFAULT_DEADLINE_MS);
  const timeoutGroups = json.failures.filter((f) => f.kind === 'timeout');
  const timeoutRuns = timeoutGroups.reduce((n, f) => n + (f.raw_hits ?? 1) + Number(f.reproduced.split('/')[1] ?? 0) + (f.shrink_runs ?? 0), 0);
  const lastProgress = [...lines].reverse().map((l) => /progress: (\d+) cases/.exec(l)).find(Boolean);
  const triage = json.triage_runs
    ? { runs: json.triage_runs.confirm + json.triage_runs.shrink + json.triage_runs.reproduce, from: 'json' }
    : { runs: lastProgress ? Number(lastProgress[1]) - json.cases.length : NaN, from: 'log' };
  const causes = planted.root_causes.map((cause) => {
    const groups = json.failures.filter((f) => f.kind === cause.kind && f.message.includes(cause.message));
    const firstAt = lines.map((l) => lineShows(cause, l)).find((t) => t !== undefined);
    const rep = groups[0];
    return {
      name: cause.name,
      groups: groups.length,
      firstS: firstAt,
      found: rep !== undefined && [rep.faults, ...(rep.alternatives ?? [])].some((fs) => isPlantedSet(cause, fs)),
      minimal: rep?.state === 'minimal' && isPlantedSet(cause, rep.faults),
    };
  });
  return {
    name,
    cases: json.cases.length,
    casesPerMin: json.cases.length / minutes,
    groups: json.failures.length,
    untriaged: json.failures.filter((f) => f.state === 'untriaged').length,
    causes,
    timeoutShare: Math.min(1, (timeoutRuns * scenarioDeadline) / json.duration_ms),
    stalledShare: Math.min(1, (stalledSeconds(lines) * 1000) / json.duration_ms),
    timeoutGroups: timeoutGroups.length,
    deadlineMs: scenarioDeadline,
    deadlineFrom: json.deadlines?.[planted.scenario] ? json.deadlines[planted.scenario].source : said ? 'message' : 'default',
    triage,
    restarts: json.restarts ?? Object.fromEntries([...new Set(lines.map((l) => /restarted (.*)$/.exec(l)?.[1]).filter(Boolean).flatMap((s) => s.split(', ')))].map((s) => [s, lines.filter((l) => new RegExp(`restarted .*\\b${s}\\b`).test(l)).length])),
    durationS: json.duration_ms / 1000,
  };
}

function table(head, rows) {
  const all = [head, ...rows.map((r) => r.map(String))];
  const widths = head.map((_, i) => Math.max(...all.map((r) => r[i].length)));
  const line = (r) => `| ${r.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map((r) => line(r.map(String)))].join('\n');
}

export async function targetsBench() {
  const rows = [];
  mkdirSync(join(here, 'out'), { recursive: true });
  for (const name of names) {
    const planted = JSON.parse(readFileSync(join(targetsDir, name, 'planted.json'), 'utf8'));
    if (FROM) {
      const m = measure(name, planted, readFileSync(join(FROM, `${name}.log`), 'utf8'), JSON.parse(readFileSync(join(FROM, `${name}.json`), 'utf8')));
      rows.push({ ...m, leftovers: NaN });
      continue;
    }
    const work = mkdtempSync(join(tmpdir(), `fb-bench-target-${name}-`));
    try {
      mkdirSync(join(work, 'cwd'));
      mkdirSync(join(work, 'tmp'));
      const log = await explore(join(targetsDir, name, 'faultbox.star'), join(work, 'cwd'), join(work, 'tmp'));
      const json = JSON.parse(readFileSync(join(work, 'cwd', 'out.json'), 'utf8'));
      writeFileSync(join(here, 'out', `target-${name}.log`), log);
      writeFileSync(join(here, 'out', `target-${name}.json`), JSON.stringify(json, null, 2));
      const left = readdirSync(join(work, 'tmp')).filter((n) => n.startsWith('faultbox-'));
      const m = { ...measure(name, planted, log, json), leftovers: left.length };
      rows.push(m);
      console.log(`${name}: ${m.cases} cases in ${fmt(m.durationS, 0)} s, ${m.groups} groups (${m.untriaged} untriaged); ` +
        m.causes.map((c) => `"${c.name}": ${c.found ? 'found' : 'NOT found'}${c.minimal ? ', minimal' : ''}, first at ${c.firstS ?? '-'} s, ${c.groups} groups`).join('; '));
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }
  const planted = rows.flatMap((r) => r.causes);
  console.log(`\nTarget suite, --seed 1 --budget ${BUDGET} (bench/explore/out/target-*.{log,json} keep each campaign):`);
  console.log(table(
    ['target', 'found / minimal', 'first true finding', 'groups (per root cause)', 'untriaged', 'budget in timeouts (est.)', 'stalled (log)', 'deadline', 'cases/min', 'triage runs', 'restarts'],
    rows.map((r) => [
      r.name,
      r.causes.length ? r.causes.map((c) => `${c.found ? 'yes' : 'no'} / ${c.minimal ? 'yes' : 'no'}`).join(', ') : 'n/a (no planted bug)',
      r.causes.map((c) => (c.firstS === undefined ? '-' : `${c.firstS} s`)).join(', ') || '-',
      `${r.groups} (${r.causes.map((c) => c.groups).join(', ') || '-'})`,
      r.untriaged,
      `${fmt(100 * r.timeoutShare, 0)} % (${r.timeoutGroups} timeout groups)`,
      `${fmt(100 * r.stalledShare, 0)} %`,
      `${fmt(r.deadlineMs / 1000, 1)} s (${r.deadlineFrom})`,
      fmt(r.casesPerMin, 0),
      `${Number.isFinite(r.triage.runs) ? r.triage.runs : '-'} (${r.triage.from})`,
      Object.entries(r.restarts).map(([s, n]) => `${s} ${n}`).join(', ') || '0',
    ]),
  ));
  const found = planted.filter((c) => c.found && c.minimal).length;
  const groupsPerCause = planted.length ? planted.reduce((n, c) => n + c.groups, 0) / planted.length : NaN;
  console.log(`planted root causes found and minimal: ${found}/${planted.length}; groups per planted root cause: ${fmt(groupsPerCause, 2)} (aim ≤ 1.2); ` +
    `budget in timeouts: max ${fmt(100 * Math.max(...rows.map((r) => r.timeoutShare)), 0)} % estimated, ${fmt(100 * Math.max(...rows.map((r) => r.stalledShare)), 0)} % stalled (aim ≤ 10 %)`);
  writeFileSync(join(here, 'out', 'targets.json'), JSON.stringify(rows, null, 2));
  return rows;
}
