// Every CLI command, in the order `faultbox --help` lists them. A command's module (and what it
// pulls in: Docker client, Ink, database drivers) loads only when that command runs.
import type { Command } from '../command.js';
import { COMMAND_SUMMARIES } from './summaries.js';

export interface CommandEntry {
  readonly name: string;
  readonly summary: string;
  readonly load: () => Promise<Command>;
}

export const COMMANDS: readonly CommandEntry[] = [
  { name: 'check', summary: COMMAND_SUMMARIES.check, load: async () => (await import('./check.js')).checkCommand },
  { name: 'test', summary: COMMAND_SUMMARIES.test, load: async () => (await import('./test.js')).testCommand },
  { name: 'record', summary: COMMAND_SUMMARIES.record, load: async () => (await import('./record.js')).recordCommand },
  { name: 'explore', summary: COMMAND_SUMMARIES.explore, load: async () => (await import('./explore.js')).exploreCommand },
  { name: 'replay', summary: COMMAND_SUMMARIES.replay, load: async () => (await import('./replay.js')).replayCommand },
  { name: 'corpus', summary: COMMAND_SUMMARIES.corpus, load: async () => (await import('./corpus.js')).corpusCommand },
];
