// examples/ci/nightly.yml is a working GitHub Actions workflow: its YAML parses (python3's yaml,
// a parser independent of ours), its structure is what the README promises (nightly + manual
// trigger, N shards, one seed, artifacts, a merge job that fails on new failures), every faultbox
// command in it parses with the CLI's own flag tables, and its shell steps behave: the explore
// step passes exit 1 on to the merge job but fails on 2 and 3, and the merge step (run for real
// against a real corpus) fails exactly when a failure group is not in the committed corpus.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseArgs } from '../src/cli/args.js';
import { COMMANDS } from '../src/cli/commands/index.js';
import { parseDurationMs } from '../src/spec/duration.js';
import { parseShard } from '../src/explorer/space/shard.js';
import { makeSandbox, PLANTED_TINY, REPO, runFaultbox, type Sandbox } from './fixtures/planted-tiny/harness.js';

const WORKFLOW = join(REPO, 'examples', 'ci', 'nightly.yml');

interface Step {
  readonly name?: string;
  readonly id?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly if?: string;
  readonly with?: Record<string, unknown>;
  readonly env?: Record<string, string>;
  readonly 'continue-on-error'?: boolean;
}
interface Job {
  readonly needs?: string | string[];
  readonly if?: string;
  readonly 'runs-on': string;
  readonly strategy?: { readonly 'fail-fast'?: boolean; readonly matrix: Record<string, unknown[]> };
  readonly env?: Record<string, string>;
  readonly outputs?: Record<string, string>;
  readonly steps: Step[];
  readonly 'continue-on-error'?: boolean;
}
interface Workflow {
  readonly on: { readonly schedule?: { cron: string }[]; readonly workflow_dispatch?: unknown };
  readonly env: Record<string, string | number>;
  readonly defaults?: { run?: { shell?: string } };
  readonly jobs: Record<string, Job>;
}

/** YAML → JSON with python3's yaml (YAML 1.1 reads the key `on` as true: put it back). */
function loadWorkflow(): Workflow {
  const out = execFileSync(
    'python3',
    ['-c', 'import json,sys,yaml\nd=yaml.safe_load(open(sys.argv[1]))\nif True in d: d["on"]=d.pop(True)\nprint(json.dumps(d))', WORKFLOW],
    { encoding: 'utf8' },
  );
  return JSON.parse(out) as Workflow;
}

/** Values the runner would put in for `${{ ... }}` expressions and shell variables. */
function expand(script: string, vars: Record<string, string>): string {
  return script
    .replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_, expr: string) => {
      if (!(expr in vars)) throw new Error(`workflow uses an expression the test does not know: ${expr}`);
      return vars[expr]!;
    });
}

/** Shell words of one command line: quotes removed, `$VAR`/`"$VAR"` replaced from `shellVars`. */
function shellWords(line: string, shellVars: Record<string, string>): string[] {
  const words: string[] = [];
  let cur = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote === "'") {
      if (c === "'") quote = undefined;
      else cur += c;
      continue;
    }
    if (c === '$') {
      const m = /^\$(\w+)|^\$\{(\w+)(?:\[@\])?\}/.exec(line.slice(i));
      if (m) {
        const name = (m[1] ?? m[2])!;
        if (!(name in shellVars)) throw new Error(`unknown shell variable $${name} in: ${line}`);
        cur += shellVars[name];
        inWord = true;
        i += m[0].length - 1;
        continue;
      }
    }
    if (quote === '"') {
      if (c === '"') quote = undefined;
      else cur += c;
      continue;
    }
    if (c === '"' || c === "'") {
      quote = c;
      inWord = true;
    } else if (c === ' ' || c === '\t') {
      if (inWord) words.push(cur);
      cur = '';
      inWord = false;
    } else {
      cur += c;
      inWord = true;
    }
  }
  if (quote) throw new Error(`unbalanced quote in: ${line}`);
  if (inWord) words.push(cur);
  return words;
}

/** Every `faultbox <command> ...` in a script, as words after `faultbox.js`. */
function faultboxInvocations(script: string, shellVars: Record<string, string>): string[][] {
  const joined = script.replace(/\\\n\s*/g, ' ');
  return joined
    .split('\n')
    .filter((l) => /\bbin\/faultbox\.js\b/.test(l))
    .map((l) => {
      const words = shellWords(l.replace(/\s*>.*$/, '').trim(), shellVars);
      return words.slice(words.findIndex((w) => w.endsWith('bin/faultbox.js')) + 1);
    });
}

function stepRunning(job: Job, pattern: RegExp): Step {
  const step = job.steps.find((s) => s.run !== undefined && pattern.test(s.run));
  if (!step) throw new Error(`no step of the job runs ${pattern}`);
  return step;
}

/** Runs a step's script the way Actions' `shell: bash` does (bash -eo pipefail). */
function runStep(script: string, cwd: string, env: Record<string, string>): { code: number; out: string } {
  const r = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script], {
    cwd,
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });
  return { code: r.status ?? -1, out: r.stdout + r.stderr };
}

describe('examples/ci/nightly.yml', () => {
  const wf = loadWorkflow();
  const shards = Number(wf.env.SHARDS);
  const explore = wf.jobs.explore!;
  const merge = wf.jobs.merge!;

  it('runs nightly and on demand, with N shards of one seed derived from the date', () => {
    expect(wf.on.schedule?.[0]?.cron).toMatch(/^\S+ \S+ \* \* \*$/);
    expect(wf.on).toHaveProperty('workflow_dispatch');
    expect(wf.defaults?.run?.shell).toBe('bash');
    expect(shards).toBeGreaterThanOrEqual(2);
    expect(explore.strategy?.matrix.shard).toEqual(Array.from({ length: shards }, (_, i) => i + 1));
    expect(explore.strategy?.['fail-fast']).toBe(false);
    // The seed is picked once (plan) and handed to every shard.
    expect(explore.needs).toBe('plan');
    expect(explore.env?.SEED).toBe('${{ needs.plan.outputs.seed }}');
    const seedStep = wf.jobs.plan!.steps.find((s) => s.id === 'seed')!;
    expect(seedStep.run).toContain('date -u +%Y%m%d');
    expect(Number(parseDurationMs(String(wf.env.BUDGET)))).toBe(20 * 60_000);
  });

  it('sets faultbox up with npm run setup as root', () => {
    expect(stepRunning(explore, /npm run setup/).run!.trim()).toMatch(/^sudo .*npm run setup$/);
  });

  it('runs only valid faultbox commands: every flag exists in the command\'s flag table', async () => {
    const seen = new Set<string>();
    for (const [jobName, job] of Object.entries(wf.jobs)) {
      for (const step of job.steps) {
        if (!step.run) continue;
        for (const shard of job.strategy ? (job.strategy.matrix.shard as number[]) : [0]) {
          const vars = {
            'matrix.shard': String(shard),
            'needs.plan.outputs.seed': '20260101',
          };
          const script = expand(step.run, vars);
          const shellVars = { SPEC: String(wf.env.SPEC), SEED: '20260101', SHARD: String(shard), SHARDS: String(shards), BUDGET: String(wf.env.BUDGET), PATH: '/usr/bin', dirs: 'shards/x/corpus-shard-1' };
          for (const words of faultboxInvocations(script, shellVars)) {
            const [name, ...rest] = words;
            const entry = COMMANDS.find((c) => c.name === name);
            expect(entry, `${jobName}: unknown command ${name}`).toBeDefined();
            const command = await entry!.load();
            const args = parseArgs(command.name, rest, command.flags);
            seen.add(name!);
            if (name === 'explore') {
              expect(args.positionals).toEqual([wf.env.SPEC]);
              for (const flag of ['seed', 'budget', 'shard', 'corpus', 'junit', 'report', 'json']) {
                expect(args.strings.has(flag), `explore --${flag}`).toBe(true);
              }
              expect(args.booleans.has('ci')).toBe(true);
              expect(parseShard(args.strings.get('shard')!)).toEqual({ index: shard, count: shards });
              expect(args.strings.get('corpus')).toBe(`corpus-shard-${shard}`);
              expect(parseDurationMs(args.strings.get('budget')!)).toBe(20 * 60_000);
              // What the upload step publishes is exactly what explore wrote.
              const upload = job.steps.find((s) => s.uses?.startsWith('actions/upload-artifact@'))!;
              const paths = String(expand(String(upload.with!.path), vars)).trim().split('\n').map((p) => p.trim().replace(/\/$/, ''));
              for (const flag of ['corpus', 'export', 'junit', 'report', 'json']) expect(paths).toContain(args.strings.get(flag));
              expect(upload.if).toBe('always()');
            }
            if (name === 'corpus') {
              expect(args.positionals[0]).toBe('merge');
              expect(args.strings.get('known')).toBe('corpus');
              expect(args.strings.has('out')).toBe(true);
            }
          }
        }
      }
    }
    expect([...seen].sort()).toEqual(['corpus', 'explore']);
  });

  it('the merge job downloads every shard, runs even when shards found failures, and is not allowed to pass silently', () => {
    expect(merge.needs).toEqual(['plan', 'explore']);
    expect(merge.if).toContain('always()');
    expect(merge['continue-on-error']).toBeUndefined();
    const download = merge.steps.find((s) => s.uses?.startsWith('actions/download-artifact@'))!;
    expect(download.with?.pattern).toBe('faultbox-shard-*');
    for (const s of merge.steps) expect(s['continue-on-error']).toBeUndefined();
  });

  describe('shell steps, run with bash -eo pipefail', () => {
    let sandbox: Sandbox;
    beforeAll(() => {
      sandbox = makeSandbox('ci-nightly');
    });
    afterAll(() => sandbox?.dispose());

    it('explore step: exit 1 (new failure) lets the merge job report it; 2 and 3 fail the shard', () => {
      const script = expand(stepRunning(explore, /faultbox\.js explore/).run!, { 'matrix.shard': '2' });
      // A stand-in for node that records its arguments and exits with STUB_CODE.
      const stubs = join(sandbox.root, 'stubs');
      mkdirSync(stubs, { recursive: true });
      writeFileSync(join(stubs, 'node'), '#!/bin/sh\nprintf "%s\\n" "$@" > "$STUB_ARGS"\nexit "$STUB_CODE"\n');
      writeFileSync(join(stubs, 'sudo'), '#!/bin/sh\nexec "$@"\n');
      chmodSync(join(stubs, 'node'), 0o755);
      chmodSync(join(stubs, 'sudo'), 0o755);
      for (const [code, expected] of [[0, 0], [1, 0], [2, 2], [3, 3]] as const) {
        const cwd = join(sandbox.root, `explore-${code}`);
        mkdirSync(join(cwd, 'corpus'), { recursive: true });
        writeFileSync(join(cwd, 'corpus', 'known.json'), '{}');
        const args = join(cwd, 'args.txt');
        const r = runStep(script, cwd, {
          PATH: `${stubs}:${process.env.PATH}`,
          STUB_CODE: String(code),
          STUB_ARGS: args,
          SPEC: String(wf.env.SPEC),
          SEED: '20260101',
          SHARD: '2',
          SHARDS: String(shards),
          BUDGET: String(wf.env.BUDGET),
        });
        expect(r.code, `faultbox exit ${code}: ${r.out}`).toBe(expected);
        const argv = readFileSync(args, 'utf8').trim().split('\n');
        expect(argv.slice(0, 3)).toEqual(['bin/faultbox.js', 'explore', String(wf.env.SPEC)]);
        expect(argv[argv.indexOf('--shard') + 1]).toBe(`2/${shards}`);
        // The shard starts from the committed corpus.
        expect(readdirSync(join(cwd, 'corpus-shard-2'))).toEqual(['known.json']);
      }
    });

    it('merge step (real faultbox, real corpus): fails while a group is new, passes once it is committed', async () => {
      // A real shard corpus: planted-tiny explored without delays (a few seconds).
      const run = await runFaultbox(sandbox, ['explore', PLANTED_TINY, '--seed', '1', '--no-delays', '--ci', '--corpus', 'found']);
      expect(run.code, run.stdout + run.stderr).toBe(1);
      const found = readdirSync(join(sandbox.cwd, 'found')).sort();
      expect(found.length).toBeGreaterThan(0);

      const script = expand(stepRunning(merge, /corpus merge/).run!, { 'needs.plan.outputs.seed': '20260101' });
      const prepare = (name: string, committed: boolean): string => {
        const cwd = join(sandbox.root, name);
        mkdirSync(join(cwd, 'shards', 'faultbox-shard-1'), { recursive: true });
        mkdirSync(join(cwd, 'shards', 'faultbox-shard-2'), { recursive: true }); // a shard without findings
        cpSync(join(sandbox.cwd, 'found'), join(cwd, 'shards', 'faultbox-shard-1', 'corpus-shard-1'), { recursive: true });
        if (committed) cpSync(join(sandbox.cwd, 'found'), join(cwd, 'corpus'), { recursive: true });
        symlinkSync(join(REPO, 'bin'), join(cwd, 'bin'));
        return cwd;
      };

      const fresh = prepare('merge-new', false);
      const r1 = runStep(script, fresh, { GITHUB_STEP_SUMMARY: join(fresh, 'summary.md') });
      expect(r1.code, r1.out).toBe(1);
      expect(r1.out).toContain(`: ${found.length} new, 0 known in corpus`);
      expect(readFileSync(join(fresh, 'summary.md'), 'utf8')).toContain('### faultbox nightly (seed 20260101)');
      expect(readdirSync(join(fresh, 'merged-corpus')).sort()).toEqual(found);

      const known = prepare('merge-known', true);
      const r2 = runStep(script, known, { GITHUB_STEP_SUMMARY: join(known, 'summary.md') });
      expect(r2.code, r2.out).toBe(0);
      expect(r2.out).toContain(`: 0 new, ${found.length} known in corpus`);
    }, 120_000);
  });
});
