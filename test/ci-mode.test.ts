// `faultbox explore` as CI runs it: no terminal, a plain log (one line per phase change and per
// failure, progress at most every 10 s), JUnit/HTML/JSON files, and exit codes that gate the build:
// 1 for a new failure, 0 when every failure is already known, 2 for a usage or spec error, 3 when
// the infrastructure cannot run the spec. Against the real runtime and the planted-tiny ledger.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResultJson } from '../src/explorer/corpus/result-json.js';
import { formatFaultSet, PHASE_LABELS, PHASE_ORDER } from '../src/report/summary-text.js';
import { faultFromJson, type FaultJson } from '../src/explorer/corpus/fault-json.js';
import {
  leftoverTempFiles,
  makeSandbox,
  markedProcesses,
  PLANTED_TINY,
  readJunit,
  REPO,
  runFaultbox,
  type CliRun,
  type Sandbox,
} from './fixtures/planted-tiny/harness.js';

/** A result file's faults as the log and the reports show them. */
const shownFaults = (faults: readonly FaultJson[]) => formatFaultSet(faults.map(faultFromJson));

const STAMP = /^\[(\d\d):(\d\d)\] (.*)$/;

/** `12.3s`, `1m05s`, `450ms` → ms (the formats formatDuration prints). */
function parseDuration(text: string): number {
  const m = /^(?:(\d+)m(\d\d)s|(\d+(?:\.\d+)?)s|(\d+)ms)$/.exec(text);
  if (!m) throw new Error(`not a duration: ${text}`);
  if (m[1] !== undefined) return (Number(m[1]) * 60 + Number(m[2])) * 1000;
  if (m[3] !== undefined) return Number(m[3]) * 1000;
  return Number(m[4]);
}

function noStack(run: CliRun): void {
  expect(run.stderr).not.toMatch(/^\s+at .+\(.+:\d+:\d+\)$/m);
  expect(run.stderr).not.toContain('internal error');
}

function expectNothingLeft(sandbox: Sandbox): void {
  expect(markedProcesses(sandbox)).toEqual([]);
  expect(leftoverTempFiles(sandbox)).toEqual([]);
}

describe('explore --ci: log, JUnit, HTML and JSON of a budget-limited campaign', () => {
  let sandbox: Sandbox;
  let run: CliRun;
  let result: ResultJson;

  beforeAll(async () => {
    sandbox = makeSandbox('ci-mode');
    run = await runFaultbox(sandbox, [
      'explore', PLANTED_TINY, '--seed', '1', '--budget', '30s', '--ci',
      '--junit', 'out.xml', '--report', 'out.html', '--json', 'out.json',
    ]);
    result = JSON.parse(readFileSync(join(sandbox.cwd, 'out.json'), 'utf8')) as ResultJson;
  }, 120_000);
  afterAll(() => sandbox?.dispose());

  it('exits 1 because it found a new failure, with nothing on stderr but what a person should read', () => {
    expect(run.code, run.stdout + run.stderr).toBe(1);
    expect(result.stopped_by).toBe('budget');
    expect(result.failures.some((f) => !f.known && f.kind === 'fail' && /acknowledged put must be readable/.test(f.message))).toBe(true);
    noStack(run);
  });

  it('logs one line per phase change, one per failure, and progress at most every 10 s', () => {
    const lines = run.stdout.split('\n');
    const end = lines.findIndex((l) => l.startsWith('campaign finished:'));
    expect(end).toBeGreaterThan(0);
    const log = lines.slice(0, end);
    // Before the summary, every line is a stamped log line.
    for (const line of log) expect(line).toMatch(STAMP);
    const texts = log.map((l) => STAMP.exec(l)![3]!);

    const phases = texts.filter((t) => t.startsWith('phase: ')).map((t) => t.slice('phase: '.length));
    const labels = PHASE_ORDER.map((p) => PHASE_LABELS[p]);
    expect(phases[0]).toBe(PHASE_LABELS.record);
    expect(phases.at(-1)).toBe(PHASE_LABELS.done);
    // Campaign order, each phase once, except that exploring pauses for shrinking whenever a
    // new kind of failure turns up and then resumes.
    const exploring = [PHASE_LABELS.singles, PHASE_LABELS.combinations];
    const interlude = (p: string, i: number) => p === PHASE_LABELS.shrinking && exploring.includes(phases[i + 1]!);
    const resumed = (p: string, i: number) => exploring.includes(p) && phases[i - 1] === PHASE_LABELS.shrinking;
    const main = phases.filter((p, i) => !interlude(p, i) && !resumed(p, i));
    expect(new Set(main).size, phases.join(' > ')).toBe(main.length);
    const order = main.map((p) => labels.indexOf(p));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);

    // A 30 s campaign reports progress at least twice, never closer than 10 s apart.
    const progress = texts.filter((t) => t.startsWith('progress: '));
    expect(progress.length).toBeGreaterThanOrEqual(2);
    const elapsed = progress.map((t) => parseDuration(/elapsed (\S+)/.exec(t)![1]!));
    // formatDuration truncates to 0.1 s, so two stamps 10 s apart may read 9.9 s apart.
    for (let i = 1; i < elapsed.length; i++) expect(elapsed[i]! - elapsed[i - 1]!).toBeGreaterThanOrEqual(9_900);
    for (const t of progress) expect(t).toMatch(/^progress: \d+ runs( \(\d+ explored, \d+ triage\))?, .+\/min, elapsed \S+ \/ \S+ \(\S+ left\), \d+ failures, targets \d+\/\d+ touched \(\d+%\)(, restarts: .+)?$/);

    // The planted failure is reported, shrunk, while exploring goes on: its line comes before
    // exploring resumes, long before the campaign's end.
    const firstFailure = texts.findIndex((t) => /^failure NEW (safety |availability |liveness )?fail/.test(t));
    const resumedAt = texts.findIndex((t, i) => i > firstFailure && exploring.some((p) => t === `phase: ${p}`));
    expect(firstFailure, texts.join('\n')).toBeGreaterThan(0);
    expect(resumedAt, texts.join('\n')).toBeGreaterThan(firstFailure);

    // Every failure of the result has its line (faults and replay command); none is printed
    // twice unless what it says changed.
    const failureLines = texts.filter((t) => t.startsWith('failure '));
    expect(new Set(failureLines).size).toBe(failureLines.length);
    for (const f of result.failures) {
      const mine = failureLines.filter((t) => t.includes(`· replay: ${f.replay}`));
      expect(mine.length, `no log line for failure ${f.id}`).toBeGreaterThanOrEqual(1);
      expect(mine.at(-1)).toContain(`in ${f.scenario}: ${shownFaults(f.faults)} (`);
    }
    // The campaign says its census and space before the first case, and the progress lines count
    // runs as the summary does: explored and triage runs, summing to what --json says.
    const census = texts.findIndex((t) => /^census of \S+: .+; \d+ targets, \d+ single faults; case deadline /.test(t));
    expect(census, texts.join('\n')).toBeGreaterThanOrEqual(0);
    expect(census).toBeLessThan(texts.findIndex((t) => t.startsWith('progress: ')));
    const total = result.runs + result.triage_runs.confirm + result.triage_runs.shrink + result.triage_runs.reproduce;
    expect(run.stdout).toContain(`  ${total} runs (${result.runs} explored, ${total - result.runs} triage), vacuous: `);
    const counted = progress.map((t) => Number(/^progress: (\d+) runs/.exec(t)![1]));
    expect(Math.max(...counted)).toBeLessThanOrEqual(total);

    // Nothing else is chatty: the rest are the engine's own notices (recording, restarts).
    const other = texts.filter((t) => !/^(phase: |progress: |failure )/.test(t));
    for (const t of other) expect(t).toMatch(/^(recording \S+ fault-free|census of \S+: .+|known failure .+|combinations of .+)$/);
  });

  it('writes JUnit XML a parser accepts: a failed testcase per failure group, a passing one per clean scenario', async () => {
    const doc = await readJunit(join(sandbox.cwd, 'out.xml'));
    const failed = doc.cases.filter((c) => c.failure);
    expect(failed).toHaveLength(result.failures.length);
    for (const f of result.failures) {
      const tc = failed.filter((c) => c.failure!.message.includes(f.replay));
      expect(tc, `testcase of ${f.id}`).toHaveLength(1);
      expect(tc[0]!.classname).toBe(`faultbox.explore.${f.scenario}`);
      expect(tc[0]!.failure!.tag).toBe('failure');
      expect(tc[0]!.failure!.message).toContain(shownFaults(f.faults));
      expect(tc[0]!.failure!.text).toContain(`replay: ${f.replay}`);
      expect(tc[0]!.failure!.text).toContain(f.id);
      // Exported regressions are named in the report as in the result file.
      if (f.regression !== undefined) expect(tc[0]!.failure!.text).toContain(`regression: ${f.regression}`);
    }
    expect(result.failures.some((f) => f.regression !== undefined)).toBe(true);
    // health_answers can only pass: one passing testcase for it, and it is the only passing one.
    const passing = doc.cases.filter((c) => !c.failure);
    expect(passing.map((c) => c.classname)).toEqual(['faultbox.explore.health_answers']);
    expect(doc.attrs.tests).toBe(String(doc.cases.length));
    expect(doc.attrs.failures).toBe(String(failed.length));
  });

  it('writes a self-contained HTML report naming every failure', () => {
    const html = readFileSync(join(sandbox.cwd, 'out.html'), 'utf8');
    expect(html.toLowerCase()).toContain('<!doctype html>');
    for (const f of result.failures) {
      expect(html).toContain(`id="failure-${f.id}"`);
      if (f.regression !== undefined) expect(html).toContain(f.regression);
    }
    // Self-contained: no external scripts or stylesheets.
    expect(html).not.toMatch(/<(script|link)[^>]+(src|href)="https?:/);
  });

  it('leaves nothing running and no temp files behind', () => {
    expectNothingLeft(sandbox);
  });
});

describe('explore exit codes in a non-terminal run', () => {
  let sandbox: Sandbox;
  beforeAll(() => {
    sandbox = makeSandbox('ci-exit');
  });
  afterAll(() => sandbox?.dispose());

  it('exits 1 on a new failure, then 0 on a rerun that finds only known ones (plain log without --ci)', async () => {
    const first = await runFaultbox(sandbox, ['explore', PLANTED_TINY, '--seed', '1', '--no-delays', '--ci', '--json', 'first.json']);
    expect(first.code, first.stdout + first.stderr).toBe(1);
    const firstJson = JSON.parse(readFileSync(join(sandbox.cwd, 'first.json'), 'utf8')) as ResultJson;
    expect(firstJson.stopped_by).toBe('exhausted');
    expect(firstJson.failures.length).toBeGreaterThan(0);
    expect(firstJson.failures.every((f) => !f.known)).toBe(true);
    for (const f of firstJson.failures) expect(existsSync(join(sandbox.cwd, 'corpus', `${f.id}.json`))).toBe(true);

    // stdout is a pipe, so the plain log is used even without --ci.
    const again = await runFaultbox(sandbox, ['explore', PLANTED_TINY, '--seed', '1', '--no-delays', '--json', 'again.json', '--junit', 'again.xml']);
    expect(again.code, again.stdout + again.stderr).toBe(0);
    // The census recorded by the first run is fresh: no record phase this time, only its summary.
    const lines = again.stdout.split('\n');
    const known = lines.indexOf('[00:00] phase: known failures');
    expect(known, again.stdout).toBeGreaterThan(0);
    for (const l of lines.slice(0, known)) expect(l).toMatch(/^\[00:00\] census of \S+: ledger \d+ calls in 1 families; \d+ targets, \d+ single faults; case deadline/);
    expect(again.stdout).not.toContain('\u001b[');
    const againJson = JSON.parse(readFileSync(join(sandbox.cwd, 'again.json'), 'utf8')) as ResultJson;
    expect(againJson.failures.map((f) => f.id).sort()).toEqual(firstJson.failures.map((f) => f.id).sort());
    expect(againJson.failures.every((f) => f.known)).toBe(true);
    expect(again.stdout).not.toMatch(/failure NEW/);
    for (const f of firstJson.failures) expect(again.stdout).toContain(`failure KNOWN ${f.severity} fail in ${f.scenario}: ${shownFaults(f.faults)}`);
    // Known failures that still reproduce stay red in JUnit, while the exit code says "nothing new".
    const doc = await readJunit(join(sandbox.cwd, 'again.xml'));
    expect(doc.cases.filter((c) => c.failure).every((c) => c.failure!.message.startsWith('KNOWN '))).toBe(true);
    noStack(again);
    expect(markedProcesses(sandbox)).toEqual([]);
    expect(leftoverTempFiles(sandbox)).toEqual([]);
  }, 180_000);

  it.each([
    ['an unknown flag', ['--bogus'], /unknown flag --bogus \(accepted: .*--seed/],
    ['a malformed shard', ['--shard', '3/2'], /--shard: need 1 <= i <= n, got "3\/2"/],
    ['a malformed budget', ['--budget', 'soon'], /--budget expects a duration like 30s, 5m or 1h, got "soon"/],
    ['a negative seed', ['--seed', '-1'], /--seed expects a non-negative integer, got "-1"/],
  ])('exits 2 on %s, naming the offending value', async (_what, extra, message) => {
    const r = await runFaultbox(sandbox, ['explore', PLANTED_TINY, '--ci', ...extra]);
    expect(r.code, r.stdout + r.stderr).toBe(2);
    expect(r.stderr).toMatch(message);
    noStack(r);
  });

  it('exits 2 when the budget runs out before the census is even recorded (nothing was explored)', async () => {
    const r = await runFaultbox(sandbox, ['explore', PLANTED_TINY, '--ci', '--budget', '1ms', '--record']);
    expect(r.code, r.stdout + r.stderr).toBe(2);
    expect(r.stderr).toMatch(/^error: faultbox explore: the --budget of 1ms ran out while recording the census \(at scenario \w+\); nothing was explored, give a longer budget$/m);
    noStack(r);
    expect(markedProcesses(sandbox)).toEqual([]);
  });

  it('exits 2 on a spec error, pointing at file:line:col', async () => {
    const spec = join(sandbox.cwd, 'broken.star');
    writeFileSync(spec, 'svc = service("x", "/bin/true",\n    interface("main", "http", 18399),\n    healthcheck = 42 +,\n)\n');
    const r = await runFaultbox(sandbox, ['explore', spec, '--ci']);
    expect(r.code, r.stdout + r.stderr).toBe(2);
    expect(r.stderr).toMatch(/broken\.star:3:\d+: syntax error: .+\n {4}healthcheck = 42 \+,\n +\^/);
    noStack(r);
  });

  it('exits 2 when the spec file does not exist', async () => {
    const r = await runFaultbox(sandbox, ['explore', join(sandbox.cwd, 'missing.star'), '--ci']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('missing.star');
    noStack(r);
  });

  it('exits 3 when a service binary does not exist (infrastructure, not a finding)', async () => {
    const spec = join(sandbox.cwd, 'ghost.star');
    writeFileSync(
      spec,
      [
        'ghost = service("ghost", "/nonexistent/bin/ghost-server",',
        '    interface("main", "http", 18398),',
        '    healthcheck = http("localhost:18398/health", timeout = "2s"),',
        ')',
        'def ping():',
        '    ghost.get(path = "/")',
        'scenario(ping)',
        '',
      ].join('\n'),
    );
    const r = await runFaultbox(sandbox, ['explore', spec, '--ci', '--junit', 'ghost.xml', '--json', 'ghost.json']);
    expect(r.code, r.stdout + r.stderr).toBe(3);
    expect(r.stderr).toMatch(/^infrastructure error: .*\/nonexistent\/bin\/ghost-server/m);
    noStack(r);
    expect(markedProcesses(sandbox)).toEqual([]);
  });
});

describe('exit codes are documented the same way in --help and the README', () => {
  it('explore --help and the README give each exit code its meaning for explore', async () => {
    const sandbox = makeSandbox('ci-help');
    try {
      const help = await runFaultbox(sandbox, ['explore', '--help']);
      expect(help.code).toBe(0);
      const section = help.stdout.split('Exit codes:')[1] ?? '';
      const codes = new Map([...section.matchAll(/^\s+(\d)\s+(.+)$/gm)].map((m) => [m[1]!, m[2]!]));
      const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
      const line = /^Exit codes[^\n]*(?:\n(?!\n)[^\n]*)*/m.exec(readme)?.[0].replace(/\s+/g, ' ') ?? '';
      expect(line, 'README has an "Exit codes" paragraph').not.toBe('');
      const meanings: [string, RegExp][] = [
        ['0', /no new failure/],
        ['1', /new failure/],
        ['2', /usage error/],
        ['3', /infrastructure error/],
      ];
      for (const [code, meaning] of meanings) {
        expect(codes.get(code), `--help: exit code ${code}`).toMatch(meaning);
        const inReadme = new RegExp(`\`${code}\` ([^\`]*)`).exec(line)?.[1] ?? '';
        expect(inReadme, `README: exit code ${code}`).toMatch(meaning);
      }
    } finally {
      sandbox.dispose();
    }
  });
});
