// One line per command, said once: `faultbox --help` lists them without loading the command
// modules (index.ts), and each module's own help uses the same words.
export const COMMAND_SUMMARIES = {
  check: 'Evaluate a spec without running anything and list its services, tests and faults',
  test: 'Run the tests of a spec against real services, with syscall faults injected',
  record: 'Run every scenario fault-free, trace all services and write the syscall census',
  explore: "Search for fault combinations that break the spec's scenarios; shrink, save and export each failure",
  replay: 'Re-run one saved minimal failure; exit 1 if it still fails (the same way or not), 0 if it passes',
  corpus: 'Merge corpus directories from explore runs (shards); accept findings as expected behaviour',
} as const;

export type CommandName = keyof typeof COMMAND_SUMMARIES;
