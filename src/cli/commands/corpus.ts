// faultbox corpus merge DIR...: combine the corpora of several shards or machines.
import type { Command } from '../command.js';
import { EXIT, UsageError } from '../../errors.js';
import { mergeCorpora } from '../../explorer/corpus.js';
import { formatFaultSet } from '../../report/summary-text.js';

export const corpusCommand: Command = {
  name: 'corpus',
  summary: 'Merge corpus directories from several explore runs (shards) and print the combined failures',
  usage: 'faultbox corpus merge DIR... [--out DIR]',
  flags: {
    out: { kind: 'string', value: 'DIR', help: 'write the merged corpus here (default: print only)' },
  },
  async run(args) {
    const [sub, ...dirs] = args.positionals;
    if (sub !== 'merge') throw new UsageError(`faultbox corpus: unknown subcommand "${sub ?? ''}" (accepted: merge)`);
    if (dirs.length === 0) throw new UsageError('faultbox corpus merge: give at least one corpus directory');
    const { entries, conflicts, written } = await mergeCorpora(dirs, args.strings.get('out'));
    for (const e of entries) {
      process.stdout.write(`${e.id}  ${e.scenario}  ${formatFaultSet(e.faults)}  ${e.failure.kind}: ${e.failure.message}  (${e.reproduced})\n`);
    }
    for (const id of conflicts) process.stdout.write(`warning: ${id} differs between corpora; kept the first\n`);
    process.stdout.write(`${entries.length} failure group(s) from ${dirs.length} corpus dir(s)${written.length ? `, ${written.length} written` : ''}\n`);
    return EXIT.ok;
  },
};
