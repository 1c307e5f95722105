// The shape every CLI command has: a name, one line of help, its flags, and a run that returns
// the exit code.
import type { FlagSpec, ParsedArgs } from './args.js';

export interface Command {
  readonly name: string;
  readonly summary: string;
  readonly usage: string;
  readonly flags: Readonly<Record<string, FlagSpec>>;
  run(args: ParsedArgs): Promise<number>;
}
