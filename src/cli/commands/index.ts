// Every CLI command, in the order `faultbox --help` lists them. A command's module (and what it
// pulls in: Docker client, Ink, database drivers) loads only when that command runs.
import type { Command } from '../command.js';

export interface CommandEntry {
  readonly name: string;
  readonly summary: string;
  readonly load: () => Promise<Command>;
}

export const COMMANDS: readonly CommandEntry[] = [
  { name: 'check', summary: 'Evaluate a spec without running anything and list its services, tests and faults', load: async () => (await import('./check.js')).checkCommand },
  { name: 'test', summary: 'Run the tests of a spec against real services, with syscall faults injected', load: async () => (await import('./test.js')).testCommand },
  { name: 'record', summary: 'Run every scenario fault-free, trace all services and write the syscall census', load: async () => (await import('./record.js')).recordCommand },
  { name: 'explore', summary: "Search for fault combinations that break the spec's scenarios; shrink, save and export each failure", load: async () => (await import('./explore.js')).exploreCommand },
  { name: 'replay', summary: 'Re-run one saved minimal failure; exit 1 if it still fails (the same way or not), 0 if it passes', load: async () => (await import('./replay.js')).replayCommand },
  { name: 'corpus', summary: 'Merge corpus directories from explore runs (shards); accept findings as expected behaviour', load: async () => (await import('./corpus.js')).corpusCommand },
];
