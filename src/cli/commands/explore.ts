// faultbox explore: record the happy path, generate seeded faults, shrink failures, save the
// corpus and regressions — shown live in a terminal, or as a plain log in CI.
import { COMMAND_SUMMARIES } from './summaries.js';
import { writeFileSync } from 'node:fs';
import type { Command } from '../command.js';
import { intFlag, type ParsedArgs } from '../args.js';
import { EXIT, UsageError } from '../../errors.js';
import { parseDurationMs } from '../../spec/duration.js';
import { isErrnoName, type ErrnoName } from '../../spec/errno.js';
import { explore } from '../../explorer/explore.js';
import { CampaignStopped } from '../../explorer/errors.js';
import { parseShard } from '../../explorer/space/shard.js';
import type { SpaceOptions } from '../../explorer/space/space.js';
import type { ProgressListener } from '../../explorer/campaign/progress.js';
import { renderExploreUi } from '../../ui/render-explore-ui.js';
import { createPlainReporter } from '../../report/plain.js';
import { junitXml } from '../../report/junit.js';
import { htmlReport } from '../../report/html.js';
import { specPath } from './check.js';
import { imageMap } from './image-map.js';
import { exploreSpecOf, exploredFilters, openRunner } from './explore-setup.js';
import { FAULTBOX_VERSION } from '../version.js';
import { chooseOutputMode, outputModeNotice } from '../output-mode.js';

function durationFlag(args: ParsedArgs, name: string): number | undefined {
  const raw = args.strings.get(name);
  if (raw === undefined) return undefined;
  const ms = parseDurationMs(raw);
  if (ms === undefined) throw new UsageError(`faultbox explore: --${name} expects a duration like 30s, 5m or 1h, got "${raw}"`);
  return ms;
}

function listFlag(args: ParsedArgs, name: string): string[] | undefined {
  const raw = args.strings.get(name);
  return raw === undefined ? undefined : raw.split(',').map((s) => s.trim()).filter(Boolean);
}

export function spaceOptions(args: ParsedArgs): SpaceOptions {
  const errnos = listFlag(args, 'errnos')?.map((e) => {
    const up = e.toUpperCase();
    if (!isErrnoName(up)) throw new UsageError(`faultbox explore: --errnos: unknown errno "${e}"`);
    return up as ErrnoName;
  });
  const maxFaults = intFlag(args, 'max-faults', 'explore');
  const maxDelayMs = durationFlag(args, 'max-delay');
  return {
    ...(listFlag(args, 'services') ? { services: listFlag(args, 'services') } : {}),
    ...(listFlag(args, 'families') ? { families: listFlag(args, 'families') } : {}),
    ...(errnos ? { errnos } : {}),
    ...(maxFaults !== undefined ? { maxFaults } : {}),
    ...(maxDelayMs !== undefined ? { maxDelayMs } : {}),
    ...(args.booleans.has('no-delays') ? { delays: false } : {}),
    ...(args.booleans.has('crashes') ? { crashes: true } : {}),
  };
}

export const exploreCommand: Command = {
  name: 'explore',
  summary: COMMAND_SUMMARIES.explore,
  usage: 'faultbox explore [SPEC.star] [--seed N] [--budget 5m] [--runs N] [--json out.json] [--ci] [--junit out.xml] [--report out.html]',
  flags: {
    seed: { kind: 'string', value: 'N', help: 'seed of the campaign: same seed + same census = same cases (default 1)' },
    scenario: { kind: 'repeat', value: 'NAME', help: 'explore only this scenario (repeatable)' },
    runs: { kind: 'string', value: 'N', help: 'stop after N exploration cases' },
    budget: { kind: 'string', value: 'DURATION', help: 'hard time limit of the campaign (e.g. 2m, 1h)' },
    'max-faults': { kind: 'string', value: 'N', help: 'largest fault set tried (default 3)' },
    services: { kind: 'string', value: 'A,B', help: 'fault only these services' },
    families: { kind: 'string', value: 'A,B', help: 'fault only these syscall families (write,connect,...)' },
    errnos: { kind: 'string', value: 'E1,E2', help: 'keep only these errnos' },
    'max-delay': { kind: 'string', value: 'DURATION', help: 'longest delay generated (default 5s)' },
    'no-delays': { kind: 'boolean', help: 'generate no delay faults' },
    crashes: { kind: 'boolean', help: 'also try crash points (crash before each file write/fsync/rename/unlink/mkdir, with and without lost writes); as explore(crashes=True)' },
    timeout: { kind: 'string', value: 'DURATION', help: 'per-case timeout (default: the spec\'s, else 30s)' },
    confirm: { kind: 'string', value: 'N', help: 're-runs that confirm a failure before shrinking (default 3)' },
    shard: { kind: 'string', value: 'i/n', help: 'explore only shard i of n (same seed on every shard)' },
    record: { kind: 'boolean', help: 're-record the census even if a fresh one exists' },
    json: { kind: 'string', value: 'FILE', help: 'write the machine-readable result' },
    corpus: { kind: 'string', value: 'DIR', help: 'corpus directory (default corpus/)' },
    export: { kind: 'string', value: 'DIR', help: 'where .star regressions go (default regressions/)' },
    junit: { kind: 'string', value: 'FILE', help: 'write JUnit XML (one case per failure group)' },
    report: { kind: 'string', value: 'FILE', help: 'write a self-contained HTML report' },
    ci: { kind: 'boolean', help: 'plain log output even on a terminal (implied when CI is set in the environment)' },
    image: { kind: 'repeat', value: 'IMAGE=LOCAL', help: 'use a local image instead of IMAGE (also FAULTBOX_IMAGE_MAP)' },
  },
  async run(args) {
    const file = specPath('explore', args.positionals);
    const seed = intFlag(args, 'seed', 'explore') ?? 1;
    const space = spaceOptions(args);
    const shardText = args.strings.get('shard');
    // Every flag is checked before anything starts.
    const campaign = {
      scenarios: args.repeats.get('scenario'),
      timeoutMs: durationFlag(args, 'timeout'),
      runs: intFlag(args, 'runs', 'explore'),
      budgetMs: durationFlag(args, 'budget'),
      ...(shardText ? { shard: parseShard(shardText) } : {}),
      confirmRuns: intFlag(args, 'confirm', 'explore'),
      corpusDir: args.strings.get('corpus'),
      exportDir: args.strings.get('export'),
      jsonFile: args.strings.get('json'),
      recordCensus: args.booleans.has('record'),
    };
    const mode = chooseOutputMode({ isTty: process.stdout.isTTY === true, ciFlag: args.booleans.has('ci'), env: process.env });
    const interactive = mode.kind === 'live';
    const stop = new AbortController();
    let ui: ReturnType<typeof renderExploreUi> | undefined;
    const serviceLines: string[] = [];
    // Service messages (sweeps, pulls) must not tear the live screen: the screen's log shows
    // them, and they are printed for the record once it is gone.
    const print = (line: string): void => {
      if (ui) {
        ui.log(line);
        serviceLines.push(line);
      } else {
        process.stdout.write(`${line}\n`);
      }
    };
    // Loading the spec comes before the live screen, so a spec error prints like any other.
    const runner = await openRunner(file, exploredFilters(space), seed, imageMap(args.repeats.get('image') ?? []), print);
    let listener: ProgressListener;
    if (interactive) {
      ui = renderExploreUi({ onQuit: () => stop.abort() });
      listener = ui.listener;
    } else {
      const notice = outputModeNotice(mode);
      if (notice) process.stderr.write(`${notice}\n`);
      listener = createPlainReporter().listener;
    }
    let outcome;
    try {
      outcome = await explore({
        runner,
        spec: exploreSpecOf(file, runner.model),
        faultboxVersion: FAULTBOX_VERSION,
        seed,
        space,
        ...campaign,
        signal: stop.signal,
        onProgress: listener,
      });
    } catch (err) {
      if (!(err instanceof CampaignStopped)) throw err;
      // Stopped before any case ran: nothing was explored, so nothing can be reported.
      if (!stop.signal.aborted) {
        const where = err.message.replace(/^stopped while /, '');
        throw new UsageError(`faultbox explore: the --budget of ${args.strings.get('budget')} ran out while ${where}; nothing was explored, give a longer budget`);
      }
      process.stderr.write(`faultbox explore: ${err.message}; nothing was explored\n`);
      return EXIT.ok;
    } finally {
      try {
        await runner.close();
      } finally {
        // The terminal is given back (and held stderr written) even if stopping services failed.
        if (ui) {
          ui.close();
          for (const line of serviceLines) process.stderr.write(`${line}\n`);
        }
      }
    }
    const summary = outcome.result.summary;
    const junit = args.strings.get('junit');
    if (junit) writeFileSync(junit, junitXml(summary));
    const report = args.strings.get('report');
    if (report) writeFileSync(report, htmlReport(summary));
    if (summary.stoppedBy === 'error') return EXIT.infra;
    return summary.failures.some((f) => !f.known) ? EXIT.failed : EXIT.ok;
  },
};
