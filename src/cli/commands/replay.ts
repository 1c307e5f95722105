// faultbox replay corpus/<id>.json: run exactly that minimal case once; exit 1 if it fails (the
// recorded failure again, or a different one, said so), 0 if it passes.
import { COMMAND_SUMMARIES } from './summaries.js';
import { dirname, resolve } from 'node:path';
import type { Command } from '../command.js';
import { EXIT, UsageError } from '../../errors.js';
import { loadCorpusEntry } from '../../explorer/corpus/corpus.js';
import { replayEntry } from '../../explorer/explore.js';
import { verdictMessage } from '../../explorer/runner/runner.js';
import { formatFaultSet } from '../../report/summary-text.js';
import { losesUnsynced } from '../../explorer/faults.js';
import { imageMap } from './image-map.js';
import { openRunner, replayFilters } from './explore-setup.js';

export const replayCommand: Command = {
  name: 'replay',
  summary: COMMAND_SUMMARIES.replay,
  usage: 'faultbox replay corpus/<id>.json [--spec SPEC.star]',
  flags: {
    spec: { kind: 'string', value: 'FILE', help: 'the spec to run against (default: the one recorded in the entry)' },
    image: { kind: 'repeat', value: 'IMAGE=LOCAL', help: 'use a local image instead of IMAGE (also FAULTBOX_IMAGE_MAP)' },
  },
  async run(args) {
    const [file, ...extra] = args.positionals;
    if (!file || extra.length) throw new UsageError('faultbox replay: expected exactly one corpus entry (corpus/<id>.json)');
    const entry = await loadCorpusEntry(file);
    const specFile = args.strings.get('spec') ?? (entry.spec ? resolve(dirname(resolve(file)), entry.spec) : undefined);
    if (!specFile) throw new UsageError(`${file}: the entry records no spec; pass --spec SPEC.star`);
    const print = (line: string): void => void process.stdout.write(`${line}\n`);
    print(`replaying ${entry.id}: ${entry.scenario} with ${formatFaultSet(entry.faults)} (seed ${entry.seed})`);
    const runner = await openRunner(specFile, replayFilters(entry.faults.some(losesUnsynced)), entry.seed, imageMap(args.repeats.get('image') ?? []), print);
    try {
      // The scenario's own deadline (explore(timeout=) or its declaration), as the campaign used.
      const timeoutMs = runner.model.scenarios.find((s) => s.name === entry.scenario)?.timeoutMs ?? runner.model.explore?.timeoutMs;
      const out = await replayEntry(runner, entry, timeoutMs !== undefined ? { timeoutMs } : {});
      for (const line of out.verdict.excerpt) print(`  ${line}`);
      if (out.reproduced) {
        print(`REPRODUCED: ${out.verdict.kind}: ${verdictMessage(out.verdict)}`);
        return EXIT.failed;
      }
      if (out.failed) {
        // Still broken, just not the way it was recorded: a failure all the same.
        print(`FAILED DIFFERENTLY: recorded ${entry.failure.kind}: ${entry.failure.message}`);
        print(`                   now      ${out.verdict.kind}: ${verdictMessage(out.verdict)}`);
        return EXIT.failed;
      }
      print(out.vacuous ? 'NOT REPRODUCED: none of the faults fired (the code path changed?)' : 'NOT REPRODUCED: the scenario passed');
      return EXIT.ok;
    } finally {
      await runner.close();
    }
  },
};
