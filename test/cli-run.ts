// Runs the built faultbox CLI as a user would, capturing output and exit code.
import { spawn, spawnSync } from 'node:child_process';
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

/**
 * The same, without blocking the test worker: a run of a minute or more under spawnSync starves
 * vitest's worker RPC (it reports "Timeout calling onTaskUpdate" and fails the run).
 */
export function faultboxAsync(args: readonly string[], opts: { cwd?: string; env?: Record<string, string>; timeoutMs?: number } = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn('node', [FAULTBOX, ...args], { cwd: opts.cwd ?? REPO, env: { ...process.env, ...opts.env } });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 600_000);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** The output block of one test: its header line up to the next test's header. */
export function section(stdout: string, header: string): string {
  const start = stdout.indexOf(header);
  if (start < 0) throw new Error(`no "${header}" in the output:\n${stdout}`);
  const rest = stdout.slice(start + header.length);
  const end = rest.search(/\n--- |\n\d+ passed/);
  return end < 0 ? rest : rest.slice(0, end);
}
