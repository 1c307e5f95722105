// faultbox corpus merge DIR...: combine the corpora of several shards or machines, and (with
// --known) tell which failure groups are new against a baseline corpus, for a CI gate.
// faultbox corpus accept FILE...: mark findings as expected behaviour (later campaigns count
// their symptom, never report or triage it again).
import { COMMAND_SUMMARIES } from './summaries.js';
import { stat } from 'node:fs/promises';
import type { Command } from '../command.js';
import { EXIT, UsageError } from '../../errors.js';
import { acceptCorpusEntry, loadCorpus, mergeCorpora } from '../../explorer/corpus/corpus.js';
import { formatFaultSet } from '../../report/summary-text.js';

async function requireDirectory(dir: string, what: string): Promise<void> {
  // A misspelled shard directory must not read as "that shard found nothing".
  const info = await stat(dir).catch(() => undefined);
  if (!info?.isDirectory()) throw new UsageError(`faultbox corpus merge: ${what} "${dir}" is not a directory`);
}

async function accept(files: readonly string[]): Promise<number> {
  if (files.length === 0) throw new UsageError('faultbox corpus accept: give at least one corpus entry (corpus/<id>.json)');
  for (const file of files) {
    const entry = await acceptCorpusEntry(file);
    if (entry.symptom === undefined) {
      process.stdout.write(`warning: ${file} was saved before symptom grouping; re-run explore to record its symptom, or add explore(expect=[...])\n`);
    }
    process.stdout.write(`accepted ${entry.id}  ${entry.scenario}  ${entry.failure.kind}: ${entry.failure.message}\n`);
  }
  return EXIT.ok;
}

export const corpusCommand: Command = {
  name: 'corpus',
  summary: COMMAND_SUMMARIES.corpus,
  usage: 'faultbox corpus merge DIR... [--out DIR] [--known DIR] | faultbox corpus accept corpus/<id>.json...',
  flags: {
    out: { kind: 'string', value: 'DIR', help: 'write the merged corpus here (default: print only)' },
    known: {
      kind: 'string',
      value: 'DIR',
      help: 'baseline corpus (e.g. the committed corpus/): groups not in it are NEW and make the exit code 1',
    },
  },
  async run(args) {
    const [sub, ...dirs] = args.positionals;
    if (sub === 'accept') return accept(dirs);
    if (sub !== 'merge') throw new UsageError(`faultbox corpus: unknown subcommand "${sub ?? ''}" (accepted: merge, accept)`);
    if (dirs.length === 0) throw new UsageError('faultbox corpus merge: give at least one corpus directory');
    for (const dir of dirs) await requireDirectory(dir, 'corpus directory');
    const knownDir = args.strings.get('known');
    if (knownDir !== undefined) await requireDirectory(knownDir, '--known');
    const known = knownDir === undefined ? undefined : new Set((await loadCorpus(knownDir)).map((e) => e.id));

    const { entries, conflicts, written } = await mergeCorpora(dirs, args.strings.get('out'));
    const fresh = known ? entries.filter((e) => !known.has(e.id)) : [];
    for (const e of entries) {
      const marker = known ? `${(known.has(e.id) ? 'KNOWN' : 'NEW').padEnd(5)}  ` : '';
      process.stdout.write(`${marker}${e.id}  ${e.scenario}  ${formatFaultSet(e.faults)}  ${e.failure.kind}: ${e.failure.message}  (${e.reproduced})\n`);
    }
    for (const id of conflicts) process.stdout.write(`warning: ${id} differs between corpora; kept the first\n`);
    const against = known ? `: ${fresh.length} new, ${entries.length - fresh.length} known in ${knownDir}` : '';
    process.stdout.write(
      `${entries.length} failure group(s) from ${dirs.length} corpus dir(s)${against}${written.length ? `, ${written.length} written` : ''}\n`,
    );
    return fresh.length > 0 ? EXIT.failed : EXIT.ok;
  },
};
