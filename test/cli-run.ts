// Runs the built faultbox CLI as a user would, capturing output and exit code.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = join(dirname(fileURLToPath(import.meta.url)), '..');
export const FAULTBOX = join(REPO, 'bin', 'faultbox.js');

export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function faultbox(args: readonly string[], opts: { cwd?: string; env?: Record<string, string>; timeoutMs?: number } = {}): CliRun {
  const r = spawnSync('node', [FAULTBOX, ...args], {
    cwd: opts.cwd ?? REPO,
    env: { ...process.env, ...opts.env },
    encoding: 'utf8',
    timeout: opts.timeoutMs ?? 600_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The output block of one test: its header line up to the next test's header. */
export function section(stdout: string, header: string): string {
  const start = stdout.indexOf(header);
  if (start < 0) throw new Error(`no "${header}" in the output:\n${stdout}`);
  const rest = stdout.slice(start + header.length);
  const end = rest.search(/\n--- |\n\d+ passed/);
  return end < 0 ? rest : rest.slice(0, end);
}
