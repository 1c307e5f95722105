// faultbox record: run each scenario fault-free with every service traced and write the census
// the explorer builds its fault space from.
import { COMMAND_SUMMARIES } from './summaries.js';
import type { Command } from '../command.js';
import { EXIT } from '../../errors.js';
import { ensureCensus, censusTotals } from '../../explorer/census/census.js';
import { resolveSpaceSettings } from '../../explorer/space/space.js';
import { specPath } from './check.js';
import { imageMap } from './image-map.js';
import { exploreSpecOf, exploredFilters, openRunner } from './explore-setup.js';
import { spaceOptions } from './explore.js';
import { FAULTBOX_VERSION } from '../version.js';

export const recordCommand: Command = {
  name: 'record',
  summary: COMMAND_SUMMARIES.record,
  usage: 'faultbox record [SPEC.star] [--scenario NAME]',
  flags: {
    scenario: { kind: 'repeat', value: 'NAME', help: 'record only this scenario (repeatable)' },
    families: { kind: 'string', value: 'A,B', help: 'record only these syscall families' },
    image: { kind: 'repeat', value: 'IMAGE=LOCAL', help: 'use a local image instead of IMAGE (also FAULTBOX_IMAGE_MAP)' },
  },
  async run(args) {
    const file = specPath('record', args.positionals);
    const space = spaceOptions(args);
    const print = (line: string): void => void process.stdout.write(`${line}\n`);
    const runner = await openRunner(file, exploredFilters(space), 0, imageMap(args.repeats.get('image') ?? []), print);
    try {
      const spec = exploreSpecOf(file, runner.model);
      const wanted = args.repeats.get('scenario') ?? spec.scenarios.map((s) => s.name);
      const { census, file: out } = await ensureCensus({
        runner,
        stateDir: '.faultbox',
        want: { specHash: spec.hash, faultboxVersion: FAULTBOX_VERSION, scenarios: wanted, families: resolveSpaceSettings(spec.explore, space).families },
        signal: new AbortController().signal,
        force: true,
        onProgress: (e) => (e.type === 'log' ? print(e.line) : undefined),
      });
      for (const [service, bySyscall] of Object.entries(censusTotals(census))) {
        print(`${service}: ${Object.entries(bySyscall).map(([s, n]) => `${s}=${n}`).join(' ')}`);
      }
      print(`census written to ${out}`);
      return EXIT.ok;
    } finally {
      await runner.close();
    }
  },
};
