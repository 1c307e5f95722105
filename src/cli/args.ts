// A small typed argument parser: each command declares its flags; unknown flags and missing
// values are UsageErrors that name the accepted ones.
import { UsageError } from '../errors.js';

export type FlagKind = 'string' | 'boolean' | 'repeat';

export interface FlagSpec {
  readonly kind: FlagKind;
  readonly help: string;
  readonly value?: string;
}

export interface ParsedArgs {
  readonly positionals: readonly string[];
  readonly strings: ReadonlyMap<string, string>;
  readonly booleans: ReadonlySet<string>;
  readonly repeats: ReadonlyMap<string, readonly string[]>;
}

export function parseArgs(command: string, argv: readonly string[], flags: Readonly<Record<string, FlagSpec>>): ParsedArgs {
  const positionals: string[] = [];
  const strings = new Map<string, string>();
  const booleans = new Set<string>();
  const repeats = new Map<string, string[]>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('--') || arg === '-') {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    const spec = flags[name];
    if (!spec) {
      const accepted = Object.keys(flags).map((f) => `--${f}`).join(', ');
      throw new UsageError(`faultbox ${command}: unknown flag --${name} (accepted: ${accepted || 'none'})`);
    }
    if (spec.kind === 'boolean') {
      if (eq >= 0) throw new UsageError(`faultbox ${command}: --${name} takes no value`);
      booleans.add(name);
      continue;
    }
    let value: string | undefined;
    if (eq >= 0) value = arg.slice(eq + 1);
    else {
      value = argv[i + 1];
      i++;
    }
    if (value === undefined) throw new UsageError(`faultbox ${command}: --${name} needs a value (${spec.value ?? 'VALUE'})`);
    if (spec.kind === 'repeat') repeats.set(name, [...(repeats.get(name) ?? []), value]);
    else strings.set(name, value);
  }
  return { positionals, strings, booleans, repeats };
}

export function flagHelp(flags: Readonly<Record<string, FlagSpec>>): string {
  return Object.entries(flags)
    .map(([name, f]) => {
      const left = f.kind === 'boolean' ? `--${name}` : `--${name} ${f.value ?? 'VALUE'}`;
      return `  ${left.padEnd(28)} ${f.help}`;
    })
    .join('\n');
}

/** Parses a non-negative integer flag, naming the flag and the bad value on error. */
export function intFlag(args: ParsedArgs, name: string, command: string): number | undefined {
  const raw = args.strings.get(name);
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw)) throw new UsageError(`faultbox ${command}: --${name} expects a non-negative integer, got "${raw}"`);
  return Number(raw);
}
