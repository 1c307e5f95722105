// faultbox entry point: picks the command, maps errors to exit codes and messages. No JS stack
// reaches the user unless FAULTBOX_DEBUG=1.
import { parseArgs, flagHelp } from './args.js';
import type { Command } from './command.js';
import { COMMANDS } from './commands/index.js';
import { EXIT, InfraError, InternalError, SpecError, UsageError } from '../errors.js';
import { onShutdown, runCleanupAndExit } from './shutdown.js';
import { processCleanup } from '../runtime/launch/cleanup.js';
import { FAULTBOX_VERSION } from './version.js';

const EXIT_CODES_HELP = `Exit codes:
  0  success (no test failed; explore found no new failure)
  1  a test failed / explore found a new failure / replay reproduced the failure /
     corpus merge --known found a failure group not in the known corpus
  2  spec or usage error
  3  infrastructure error (a service could not start, the Docker engine is missing, ...)`;

function mainHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  const lines = COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return `faultbox — syscall-level fault injection and fault exploration for real services

Usage: faultbox <command> [flags]

Commands:
${lines.join('\n')}

Run "faultbox <command> --help" for a command's flags.

${EXIT_CODES_HELP}
`;
}

function commandHelp(c: Command): string {
  return `Usage: ${c.usage}\n\n${c.summary}\n\nFlags:\n${flagHelp(c.flags)}\n\n${EXIT_CODES_HELP}\n`;
}

export function describeError(err: unknown): { code: number; text: string } {
  if (err instanceof UsageError) return { code: EXIT.usage, text: `error: ${err.message}` };
  if (err instanceof SpecError) return { code: EXIT.usage, text: err.message };
  if (err instanceof InfraError) {
    return { code: EXIT.infra, text: `infrastructure error: ${err.message}${err.hint ? `\n  hint: ${err.hint}` : ''}` };
  }
  const e = err instanceof Error ? err : new Error(String(err));
  const debug = process.env.FAULTBOX_DEBUG === '1';
  const kind = err instanceof InternalError ? 'internal error' : 'internal error (unexpected)';
  return {
    code: EXIT.infra,
    text: `${kind}: ${e.message}${debug ? `\n${e.stack ?? ''}` : '\n  (set FAULTBOX_DEBUG=1 for details)'}`,
  };
}

async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(mainHelp());
    return name ? EXIT.ok : EXIT.usage;
  }
  if (name === '--version') {
    process.stdout.write(`faultbox ${FAULTBOX_VERSION}\n`);
    return EXIT.ok;
  }
  const entry = COMMANDS.find((c) => c.name === name);
  if (!entry) {
    process.stderr.write(`error: unknown command "${name}" (commands: ${COMMANDS.map((c) => c.name).join(', ')})\n`);
    return EXIT.usage;
  }
  const command = await entry.load();
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(commandHelp(command));
    return EXIT.ok;
  }
  return command.run(parseArgs(command.name, rest, command.flags));
}

// Ctrl-C, SIGTERM and crashes stop every service and container we started before exiting.
const cleanup = processCleanup();
cleanup.installProcessHooks();
// Covers what the hooks cannot: a SIGKILL, an OOM kill or a crash of Node itself.
cleanup.enableDeathWatch();
onShutdown(async () => {
  const report = await cleanup.dispose();
  for (const f of report.failures) process.stderr.write(`warning: cleanup of ${f.name} failed: ${f.error}\n`);
});

main(process.argv.slice(2)).then(
  (code) => runCleanupAndExit(code),
  (err: unknown) => {
    const { code, text } = describeError(err);
    process.stderr.write(`${text}\n`);
    return runCleanupAndExit(code);
  },
);
