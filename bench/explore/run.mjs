// Explorer benchmark, on the planted-bug examples (examples/planted/*), real services, real seccomp.
//
// 1. Throughput: the same exploration cases (the explorer's own order: singles, then pairs) run
//    a) the explorer's way: services started once and reused, health restored between cases;
//    b) with the services restarted for every case (same session, same spec worker);
//    c) the way a user without the explorer would: one `faultbox test` of a generated
//       fault_scenario per case (a fresh CLI, spec load and services each time).
//    Cases per minute of each, the ratios, and whether the verdicts agree case by case.
// 2. Shrinking: every planted example is explored with the CLI (as test/explore-planted does);
//    the runs its campaign spent shrinking (0 when the simplest-first order meets the minimal case
//    before any bigger one), then, with the same oracle and shrinker but no remembered outcomes:
//    every raw failing case the campaign met, and padded starts (the minimal set plus 2-3 faults
//    drawn from the example's full space, delays included, kept when the set still fails the
//    same way).
//
//   npm run bench:explore
//   node bench/explore/run.mjs targets    (the target suite, examples/targets: see targets.mjs)
//   BENCH_EXAMPLE=third-write BENCH_CASES=120 BENCH_RESTART=30 BENCH_CLI=10 BENCH_SHRINK_MAX=12 BENCH_PADDED=8
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
if (process.argv[2] === 'targets') {
  if (!process.env.BENCH_FROM) {
    console.log('building (npm run build) ...');
    execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'pipe' });
  }
  const { targetsBench } = await import('./targets.mjs');
  await targetsBench();
  process.exit(0);
}
const cli = join(root, 'bin', 'faultbox.js');
const EXAMPLE = process.env.BENCH_EXAMPLE ?? 'third-write';
const N_REUSED = Number(process.env.BENCH_CASES ?? 120);
const N_RESTART = Number(process.env.BENCH_RESTART ?? 30);
const N_CLI = Number(process.env.BENCH_CLI ?? 10);
const SHRINK_MAX = Number(process.env.BENCH_SHRINK_MAX ?? 12);
const PADDED = Number(process.env.BENCH_PADDED ?? 8);
const PLANTED = ['ack-loss', 'retry-once', 'double-fault', 'third-write', 'missing-timeout'];
/** Same narrowing as test/explore-planted: delays cannot break these bugs and only add sleep. */
const NO_DELAYS = new Set(['ack-loss', 'retry-once', 'double-fault', 'third-write']);

const dist = (p) => import(join(root, 'dist', p));
const { RuntimeScenarioRunner, explorerTrappedSets } = await dist('explorer/runner/runtime-runner.js');
const { RuntimeSession } = await dist('runtime/orchestrate/runtime-session.js');
const { recordCensus, loadCensus } = await dist('explorer/census/census.js');
const { seededRandom } = await dist('explorer/seeded-random.js');
const { buildFaultSpace, resolveSpaceSettings, shrinkDomainFor } = await dist('explorer/space/space.js');
const { singlesSource, combinationsSource } = await dist('explorer/space/case-source.js');
const { enumerateSingles } = await dist('explorer/space/generate.js');
const { CaseExecutor, failureKind } = await dist('explorer/campaign/case-executor.js');
const { faultSetToRules, faultSetSpecText, faultSetKey } = await dist('explorer/faults.js');
const { decodeFault } = await dist('explorer/corpus/fault-json.js');
const { failureOracle, shrinkFaultSet } = await dist('explorer/triage/shrink.js');
const { firedFaults } = await dist('explorer/triage/triage.js');
const { renderRegression } = await dist('explorer/corpus/export.js');
const { exploreSpecOf, exploredFamilies } = await dist('cli/commands/explore-setup.js');

const signal = new AbortController().signal;
const quiet = () => {};
const specOf = (name) => join(root, 'examples', 'planted', name, 'faultbox.star');
const median = (xs) => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const perMinute = (n, ms) => (n * 60_000) / ms;
const fmt = (x, d = 1) => (Number.isFinite(x) ? x.toFixed(d) : '-');

// Verdicts are compared as pass / not pass (the three modes report failures in different words).
const passed = (v) => v.kind === 'pass';
const bodyPassed = (run) => run.crashes.length === 0 && typeof run.outcome === 'object' && run.outcome.kind !== 'fail';

/** The explorer's first `n` cases for a spec: its census, its space, singles then pairs. */
async function firstCases(runner, spec, n) {
  const space = { ...(NO_DELAYS.has(EXAMPLE) ? { delays: false } : {}) };
  const settings = resolveSpaceSettings(runner.model.explore, space);
  const names = runner.model.scenarios.map((s) => s.name);
  const census = await recordCensus({
    runner,
    want: { specHash: exploreSpecOf(spec, runner.model).hash, faultboxVersion: 'bench', scenarios: names, families: settings.families },
    signal,
  });
  const fspace = buildFaultSpace(census, names, settings);
  const cases = [];
  for (const c of singlesSource(fspace.scenarios)) if (cases.length < n) cases.push(c);
  for (const c of combinationsSource(fspace.scenarios, 1, settings.maxFaults)) {
    if (cases.length >= n) break;
    cases.push(c);
  }
  return { cases, settings };
}

async function throughput() {
  const spec = specOf(EXAMPLE);
  console.log(`\n== throughput on examples/planted/${EXAMPLE} ==`);
  // a) reused services: the explorer's executor (run, classify, restore health).
  const runner = await RuntimeScenarioRunner.open(spec, exploredFamilies(NO_DELAYS.has(EXAMPLE) ? { delays: false } : {}), 1, quiet);
  let cases;
  let reused;
  let trapped;
  const deadlineFor = (s) => ({ ms: runner.model.scenarios.find((d) => d.name === s)?.timeoutMs ?? 30_000 });
  try {
    let settings;
    ({ cases, settings } = await firstCases(runner, spec, N_REUSED));
    trapped = explorerTrappedSets(runner.model, settings.families);
    const executor = new CaseExecutor({ runner, seed: 1, deadlineFor });
    const t0 = performance.now();
    const verdicts = [];
    for (const c of cases) verdicts.push(passed((await executor.execute(c, 'explore', signal)).verdict));
    reused = { n: cases.length, ms: performance.now() - t0, verdicts };
  } finally {
    await runner.close();
  }
  console.log(`reused services:    ${reused.n} cases in ${fmt(reused.ms / 1000)} s`);

  // b) the same session and spec worker, services stopped and started again for every case.
  const session = await RuntimeSession.open({ specFile: spec, seed: 1, print: quiet, trapped });
  let restarted;
  try {
    const subset = cases.slice(0, N_RESTART);
    const verdicts = [];
    const t0 = performance.now();
    for (const c of subset) {
      await session.startServices();
      const run = await session.runBody('scenario', c.scenario, faultSetToRules(c.faults), 1, deadlineFor(c.scenario).ms, signal);
      verdicts.push(bodyPassed(run));
      await session.stopServices(true);
    }
    restarted = { n: subset.length, ms: performance.now() - t0, verdicts };
  } finally {
    await session.close();
  }
  console.log(`restarted services: ${restarted.n} cases in ${fmt(restarted.ms / 1000)} s`);

  // c) `faultbox test` of a generated fault_scenario per case, as a user would write it.
  const work = mkdtempSync(join(tmpdir(), 'fb-bench-explore-'));
  let viaCli;
  try {
    const probe = await RuntimeScenarioRunner.open(spec, exploredFamilies({}), 1, quiet);
    const names = exploreSpecOf(spec, probe.model).names;
    await probe.close();
    const subset = cases.slice(0, N_CLI);
    const verdicts = [];
    const t0 = performance.now();
    subset.forEach((c, i) => {
      const id = `case${String(i).padStart(4, '0')}`;
      const group = { id, scenario: c.scenario, kind: 'fail', message: '-', faults: c.faults, seed: 1, reproduced: { k: 0, n: 0 }, state: 'minimal', censusHash: '-' };
      const file = join(work, `${c.scenario}_${id}.star`);
      const timeoutMs = deadlineFor(c.scenario).ms;
      writeFileSync(file, renderRegression(group, { specFile: spec, exportDir: work, names, faultboxVersion: 'bench', timeoutMsFor: () => timeoutMs }));
      const r = spawnSync('node', [cli, 'test', file, '--test', `regression_${id}`], { cwd: work, encoding: 'utf8' });
      if (r.status !== 0 && r.status !== 1) throw new Error(`faultbox test ${file} exited ${r.status}\n${r.stdout}\n${r.stderr}`);
      verdicts.push(r.status === 0);
    });
    viaCli = { n: subset.length, ms: performance.now() - t0, verdicts };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  console.log(`faultbox test/case: ${viaCli.n} cases in ${fmt(viaCli.ms / 1000)} s`);

  const agree = (other) => other.verdicts.filter((v, i) => v === reused.verdicts[i]).length;
  const rate = (m) => perMinute(m.n, m.ms);
  return [
    ['explorer: services reused', reused.n, rate(reused), 1, '-'],
    ['services restarted per case', restarted.n, rate(restarted), rate(reused) / rate(restarted), `${agree(restarted)}/${restarted.n}`],
    ['`faultbox test` per case', viaCli.n, rate(viaCli), rate(reused) / rate(viaCli), `${agree(viaCli)}/${viaCli.n}`],
  ];
}

/** "scenario :: service|syscall|path|action|errno|delay|nth|after|count & ..." → fault set. */
function parseCaseKey(key) {
  const [scenario, rest] = key.split(' :: ');
  const faults = rest.split(' & ').map((part) => {
    const [service, syscall, path, action, errno, delayMs, nth, after, count] = part.split('|');
    const num = (s) => (s === '' ? undefined : Number(s));
    return decodeFault(
      { service, syscall, action, errno: errno || undefined, delay_ms: num(delayMs), nth: num(nth), after: num(after), count: num(count), path: path || undefined },
      key,
    );
  });
  return { scenario, faults };
}

/** Evenly spread picks, at most `k`. */
function spread(list, k) {
  if (list.length <= k) return list;
  return Array.from({ length: k }, (_, i) => list[Math.floor((i * list.length) / k)]);
}

async function shrinking() {
  console.log('\n== shrinking, over the planted examples ==');
  const rows = [];
  for (const name of PLANTED) {
    const spec = specOf(name);
    const work = mkdtempSync(join(tmpdir(), `fb-bench-shrink-${name}-`));
    try {
      const flags = NO_DELAYS.has(name) ? ['--no-delays'] : [];
      const r = spawnSync('node', [cli, 'explore', spec, '--seed', '1', '--budget', '2m', '--json', 'out.json', '--ci', ...flags], { cwd: work, encoding: 'utf8' });
      if (r.status !== 1) throw new Error(`${name}: explore exited ${r.status}\n${r.stdout}\n${r.stderr}`);
      const json = JSON.parse(readFileSync(join(work, 'out.json'), 'utf8'));
      const finding = json.failures[0];
      const findingFaults = finding.faults.map((f, i) => decodeFault(f, `out.json: failures[0].faults[${i}]`));
      const census = await loadCensus(join(work, '.faultbox', readdirSync(join(work, '.faultbox'))[0]));
      const raw = spread(json.cases.filter((c) => c.outcome === 'failure' && c.phase !== 'known').map((c) => parseCaseKey(c.key)), SHRINK_MAX);

      // Each raw failure shrunk from scratch: fresh memory, the campaign's oracle and shrinker.
      const runner = await RuntimeScenarioRunner.open(spec, exploredFamilies(NO_DELAYS.has(name) ? { delays: false } : {}), 1, quiet);
      const cold = { runs: [], converged: 0 };
      const padded = { runs: [], converged: 0, tried: 0 };
      try {
        const settings = resolveSpaceSettings(runner.model.explore, NO_DELAYS.has(name) ? { delays: false } : {});
        const space = buildFaultSpace(census, Object.keys(census.scenarios), settings);
        // Padding comes from the spec's own space, delays included: faults that fire and mostly
        // change nothing, as a noisy combination found by sampling would carry.
        const fullSpace = buildFaultSpace(census, Object.keys(census.scenarios), resolveSpaceSettings(runner.model.explore));
        const deadlineFor = (s) => ({ ms: runner.model.scenarios.find((d) => d.name === s)?.timeoutMs ?? 30_000 });
        /** Shrinks `c` from scratch; false when it did not fail the finding's way this time. */
        const shrinkCold = async (c, into, within = space) => {
          const executor = new CaseExecutor({ runner, seed: 1, deadlineFor });
          const first = await executor.execute(c, 'explore', signal);
          if (failureKind(first.verdict) !== finding.kind) return false;
          const oracle = failureOracle({ executor, scenario: c.scenario, matches: (v) => failureKind(v) === finding.kind, attempts: 1, signal, maxRuns: 150 });
          const shrunk = await shrinkFaultSet(firedFaults(c.faults, first.verdict), shrinkDomainFor(census, within, c.scenario), oracle);
          into.runs.push(oracle.runsSpent());
          if (faultSetKey(shrunk.faults) === faultSetKey(findingFaults)) into.converged++;
          return true;
        };
        for (const c of raw) await shrinkCold(c, cold);
        const singles = [...enumerateSingles(fullSpace.scenarios.find((sp) => sp.scenario === finding.scenario))];
        // Seeded, so padded starts are the same on every run.
        const draw = seededRandom(PLANTED.indexOf(name) + 1);
        for (let attempt = 0; attempt < PADDED * 3 && padded.runs.length < PADDED; attempt++) {
          const extra = Array.from({ length: 2 + Math.floor(draw() * 2) }, () => singles[Math.floor(draw() * singles.length)]);
          padded.tried++;
          await shrinkCold({ scenario: finding.scenario, faults: [...findingFaults, ...extra] }, padded, fullSpace);
        }
      } finally {
        await runner.close();
      }
      rows.push({ name, finding: faultSetSpecText(findingFaults), campaign: finding.shrink_runs, cold, padded });
      console.log(
        `${name}: campaign ${finding.shrink_runs} shrink runs; raw failures re-shrunk cold: ${cold.runs.length} (median ${median(cold.runs)} runs); ` +
          `padded starts: ${padded.runs.length} of ${padded.tried} still failing (median ${median(padded.runs)} runs)`,
      );
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }
  return rows;
}

function table(head, rows) {
  const all = [head, ...rows.map((r) => r.map(String))];
  const widths = head.map((_, i) => Math.max(...all.map((r) => r[i].length)));
  const line = (r) => `| ${r.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map((r) => line(r.map(String)))].join('\n');
}

mkdirSync(join(here, 'out'), { recursive: true });
console.log('building (npm run build) ...');
execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'pipe' });

const tp = await throughput();
const sh = await shrinking();

console.log(`\nThroughput, examples/planted/${EXAMPLE} (no delays; cases in the explorer's order):`);
console.log(table(['mode', 'cases', 'cases/min', 'explorer is ×', 'same pass/fail'], tp.map(([m, n, r, x, a]) => [m, n, fmt(r, 0), fmt(x, 1), a])));
const stats = (m) => `${m.runs.length} / ${fmt(median(m.runs), 1)} / ${m.runs.length ? Math.max(...m.runs) : '-'} / ${m.converged}`;
console.log('\nShrinking (runs of the scenario spent shrinking one failure; n / median / max / ended on the reported set):');
console.log(
  table(
    ['example', 'minimal fault set', 'campaign', 'raw failures, cold', 'padded starts, cold'],
    sh.map((r) => [r.name, r.finding, r.campaign, stats(r.cold), stats(r.padded)]),
  ),
);
const perExample = (pick) => fmt(median(sh.map((r) => median(pick(r).runs))), 1);
console.log(
  `median over the planted examples (of per-example medians): campaign ${fmt(median(sh.map((r) => r.campaign)), 1)} runs; ` +
    `raw failures ${perExample((r) => r.cold)} runs; padded starts ${perExample((r) => r.padded)} runs`,
);
writeFileSync(join(here, 'out', 'last.json'), JSON.stringify({ throughput: tp, shrinking: sh }, null, 2));
