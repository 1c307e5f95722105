// The explore UI in a real terminal: faultbox runs inside a detached tmux session (120x40); the
// test reads the screen with capture-pane and types with send-keys, as a person would. On the
// planted third-write example, run exactly as its header says, the failure shows up with its
// minimal faults while the campaign goes on, Enter opens its details (faults, replay command),
// q stops the campaign and the process exits cleanly, leaving nothing of ours running or on disk.
// Ctrl-C stops it the same way (on the small planted-tiny ledger). With CI set in the terminal's
// environment, explore says so and prints the plain log (Ink cannot draw live there).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CorpusEntryJson } from '../src/explorer/corpus/corpus.js';
import { faultFromJson } from '../src/explorer/corpus/fault-json.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResultJson } from '../src/explorer/corpus/result-json.js';
import { formatFault } from '../src/report/summary-text.js';
import {
  FAULTBOX,
  leftoverTempFiles,
  makeSandbox,
  markedProcesses,
  PLANTED_TINY,
  REPO,
  waitFor,
  type Sandbox,
} from './fixtures/planted-tiny/harness.js';

const COLS = 120;
const ROWS = 40;
/** A private tmux server: the test never touches a person's own tmux sessions. */
const SOCKET = `fb-ui-e2e-${process.pid}`;

function tmux(...args: string[]): string {
  return execFileSync('tmux', ['-L', SOCKET, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

const THIRD_WRITE = join(REPO, 'examples', 'planted', 'third-write', 'faultbox.star');

/**
 * Starts `faultbox ARGS` in a new session; its exit code lands in <cwd>/exit.txt. The terminal is
 * a person's: CI variables of the machine running the tests are removed unless `env` sets them.
 */
function startInTerminal(session: string, sandbox: Sandbox, args: readonly string[], env: Record<string, string> = {}): void {
  const assignments = Object.entries({ ...sandbox.env, ...env }).map(([k, v]) => `${k}=${shellQuote(v)}`);
  const unset = ['CI', 'CONTINUOUS_INTEGRATION'].filter((k) => !(k in env)).map((k) => `-u ${k}`);
  const command = [
    `cd ${shellQuote(sandbox.cwd)}`,
    `env ${unset.join(' ')} ${assignments.join(' ')} ${shellQuote(process.execPath)} ${shellQuote(FAULTBOX)} ${args.map(shellQuote).join(' ')}`,
  ].join(' && ');
  // The shell stays for a while after faultbox exits so the final screen can still be read.
  tmux('new-session', '-d', '-s', session, '-x', String(COLS), '-y', String(ROWS), `${command}; echo EXIT=$? > exit.txt; sleep 300`);
}

/** The visible screen, wrapped lines joined. */
function screen(session: string): string {
  return tmux('capture-pane', '-p', '-J', '-t', session);
}

function exitCode(sandbox: Sandbox): number | undefined {
  const file = join(sandbox.cwd, 'exit.txt');
  if (!existsSync(file)) return undefined;
  const m = /^EXIT=(\d+)$/m.exec(readFileSync(file, 'utf8'));
  return m ? Number(m[1]) : undefined;
}

/** Polls the screen until `match` finds something; fails with the last screen otherwise. */
async function waitForScreen(session: string, match: (text: string) => boolean, timeoutMs: number, what: string, onEach?: (text: string) => void): Promise<string> {
  let last = '';
  const ok = await waitFor(() => {
    last = screen(session);
    onEach?.(last);
    return match(last);
  }, timeoutMs, 300);
  if (!ok) throw new Error(`timed out waiting for ${what}; screen:\n${last}`);
  return last;
}

/** A run record whose owner is long gone, as a killed faultbox leaves it. */
function plantDeadRunRecord(runId: string): void {
  let pid = 4_194_000;
  while (existsSync(`/proc/${pid}`)) pid++;
  mkdirSync('/tmp/faultbox-runs', { recursive: true });
  const record = { runId, pid, pidStartTime: 1, startedAt: new Date().toISOString(), groups: [], tempDirs: [] };
  writeFileSync(join('/tmp/faultbox-runs', `${runId}.json`), JSON.stringify(record));
}

function expectNothingLeft(sandbox: Sandbox): void {
  expect(markedProcesses(sandbox)).toEqual([]);
  expect(leftoverTempFiles(sandbox)).toEqual([]);
}

const LIVE_HEADER = /^faultbox explore · phase: /;
const LIST_LINE = /^› NEW\s+fail\s+acked_entry_reads_back: (.+) \((reproduced \d+\/\d+[^)]*)\)( \(\+\d+ more fault sets?\))?\s*$/m;

beforeAll(() => {
  // tmux is a real dependency of this test: fail loudly if it is missing.
  execFileSync('tmux', ['-V']);
});

afterAll(() => {
  try {
    tmux('kill-server');
  } catch {
    // no session left
  }
});

describe('explore UI in a terminal', () => {
  let sandbox: Sandbox;
  const session = 'explore';
  beforeAll(() => {
    sandbox = makeSandbox('ui-e2e');
  });
  afterAll(() => {
    try {
      tmux('kill-session', '-t', session);
    } catch {
      // already gone
    }
    sandbox?.dispose();
  });

  it('shows a failure with its minimal faults while the campaign runs; Enter details it; q exits cleanly', async () => {
    // A crashed run's record: the start sweeps it and says so before the live screen comes up.
    plantDeadRunRecord(`ui-e2e-dead-${process.pid}`);
    // The command of the example's header, as a person would type it (no budget: q ends it).
    startInTerminal(session, sandbox, ['explore', THIRD_WRITE, '--seed', '1']);

    const garbled: string[] = [];
    const live = await waitForScreen(
      session,
      (s) => LIST_LINE.test(s) && s.includes('↑/↓ select · Enter details · q stop'),
      170_000,
      'the planted failure in the live failure list',
      (s) => {
        // Ink redraws in place: the header stays on the first line unless something else
        // (a service, a stray log line) printed into the terminal under it. Notices printed
        // before the screen started (a sweep of a crashed run's leftovers) stay above it.
        const lines = s.split('\n');
        let at = 0;
        while (at < lines.length && /^faultbox: /.test(lines[at]!)) at++;
        const first = lines[at] ?? '';
        if (first.trim() !== '' && !LIVE_HEADER.test(first)) garbled.push(s);
      },
    );
    expect(garbled, `screen was torn:\n${garbled[0] ?? ''}`).toEqual([]);
    expect(live).toMatch(/^faultbox: removed leftovers of \d+ crashed run\(s\)/m);
    // Found, shrunk and listed while the campaign is still exploring.
    expect(live).toMatch(/^faultbox explore · phase: (single faults|combinations|shrinking)$/m);
    expect(exitCode(sandbox)).toBeUndefined();
    const [, listedFaults] = LIST_LINE.exec(live)!;
    expect(listedFaults).toBe('ledger write=deny(EIO, nth=3)');
    // The campaign goes on: more cases run after the failure is on screen.
    const casesNow = Number(/^cases (\d+) /m.exec(live)![1]);
    await waitForScreen(session, (s) => Number(/^cases (\d+) /m.exec(s)?.[1] ?? 0) > casesNow, 30_000, 'more cases after the failure showed');

    tmux('send-keys', '-t', session, 'Enter');
    const detail = await waitForScreen(session, (s) => /^replay faultbox replay corpus\/[0-9a-f]{12}\.json$/m.test(s), 10_000, 'the failure detail view');
    const id = /^NEW fail in acked_entry_reads_back \(reproduced \d+\/\d+[^)]*\) id ([0-9a-f]{12})$/m.exec(detail)?.[1];
    expect(id, detail).toBeDefined();
    expect(detail).toContain(`replay faultbox replay corpus/${id}.json`);
    const lines = detail.split('\n');
    const from = lines.indexOf('faults');
    const to = lines.indexOf('assertion');
    expect(from).toBeGreaterThan(0);
    const shownFaults = lines.slice(from + 1, to).map((l) => l.trim());
    expect(shownFaults.join(' + ')).toBe(listedFaults);
    expect(detail).toContain('an acknowledged entry must be readable');
    expect(detail).toContain('Esc/Backspace back · q stop');
    expect(exitCode(sandbox)).toBeUndefined();

    // Esc goes back to the live list, Enter opens the same failure again.
    tmux('send-keys', '-t', session, 'Escape');
    await waitForScreen(session, (s) => LIST_LINE.test(s) && !/^replay faultbox replay/m.test(s), 10_000, 'the list after Esc');
    tmux('send-keys', '-t', session, 'Enter');
    await waitForScreen(session, (s) => s.includes(`replay faultbox replay corpus/${id}.json`), 10_000, 'the same detail view again');

    tmux('send-keys', '-t', session, 'q');
    const exited = await waitFor(() => exitCode(sandbox) !== undefined, 60_000);
    const final = screen(session);
    expect(exited, `faultbox did not exit after q; screen:\n${final}`).toBe(true);
    // A new failure was found: exit 1, the documented code, not a crash or an infra error.
    expect(exitCode(sandbox)).toBe(1);
    expect(final).toMatch(/faultbox explore · phase: done · stopped by user/);
    expect(final).not.toMatch(/internal error|infrastructure error|Error:|\n\s+at /);

    // The failure on screen is the one saved to the corpus, with the same minimal faults.
    const entry = JSON.parse(readFileSync(join(sandbox.cwd, 'corpus', `${id}.json`), 'utf8')) as CorpusEntryJson;
    expect(entry.faults.map((f) => formatFault(faultFromJson(f)))).toEqual(shownFaults);
    expect(entry.reproduced).toBe('5/5');

    expectNothingLeft(sandbox);
  }, 300_000);
});

describe('explore UI: Ctrl-C', () => {
  let sandbox: Sandbox;
  const session = 'ctrl-c';
  beforeAll(() => {
    sandbox = makeSandbox('ui-e2e-ctrlc');
  });
  afterAll(() => {
    try {
      tmux('kill-session', '-t', session);
    } catch {
      // already gone
    }
    sandbox?.dispose();
  });

  it('stops the campaign cleanly: final screen says so, exit code follows what was found', async () => {
    startInTerminal(session, sandbox, ['explore', PLANTED_TINY, '--seed', '1', '--budget', '2m', '--max-delay', '5s']);
    await waitForScreen(session, (s) => /^case #\d+ /m.test(s) && /phase: (single faults|combinations)/.test(s), 60_000, 'a running case');

    tmux('send-keys', '-t', session, 'C-c');
    const exited = await waitFor(() => exitCode(sandbox) !== undefined, 60_000);
    const final = screen(session);
    expect(exited, `faultbox did not exit after Ctrl-C; screen:\n${final}`).toBe(true);
    expect(final).toMatch(/faultbox explore · phase: done · stopped by user/);
    // Whatever failed before the stop is reported (untriaged), and decides the exit code.
    const fresh = /^failures \(\d+: (\d+) new/m.exec(final);
    expect(exitCode(sandbox)).toBe(fresh && Number(fresh[1]) > 0 ? 1 : 0);
    expect(final).not.toMatch(/internal error|infrastructure error|\n\s+at /);
    expectNothingLeft(sandbox);
  }, 120_000);
});

describe('explore in a terminal: errors before the campaign', () => {
  let sandbox: Sandbox;
  const session = 'spec-error';
  beforeAll(() => {
    sandbox = makeSandbox('ui-e2e-error');
  });
  afterAll(() => {
    try {
      tmux('kill-session', '-t', session);
    } catch {
      // already gone
    }
    sandbox?.dispose();
  });

  it('a spec error prints plainly with its position (no live screen left behind) and exits 2', async () => {
    const spec = join(sandbox.cwd, 'broken.star');
    writeFileSync(spec, 'x = (\n');
    startInTerminal(session, sandbox, ['explore', spec]);
    expect(await waitFor(() => exitCode(sandbox) !== undefined, 30_000)).toBe(true);
    const final = screen(session);
    expect(exitCode(sandbox)).toBe(2);
    expect(final).toMatch(/broken\.star:2:1: syntax error/);
    expect(final).not.toContain('faultbox explore · phase:');
    expect(final).not.toContain('q stop');
  });
});

describe('explore in a terminal with CI set', () => {
  let sandbox: Sandbox;
  const session = 'ci-env';
  beforeAll(() => {
    sandbox = makeSandbox('ui-e2e-ci');
  });
  afterAll(() => {
    try {
      tmux('kill-session', '-t', session);
    } catch {
      // already gone
    }
    sandbox?.dispose();
  });

  it('says why there is no live screen and prints the plain log', async () => {
    startInTerminal(session, sandbox, ['explore', PLANTED_TINY, '--seed', '1', '--runs', '3'], { CI: 'true' });
    expect(await waitFor(() => exitCode(sandbox) !== undefined, 120_000)).toBe(true);
    const final = screen(session);
    expect(final).toContain('CI is set in the environment, so this is the plain log');
    expect(final).toMatch(/^\[\d\d:\d\d\] phase: record$/m);
    expect(final).toMatch(/^campaign finished: /m);
    expect(final).not.toContain('faultbox explore · phase:');
    const fresh = /^\s*failures: \d+ \((\d+) new/m.exec(final);
    expect(exitCode(sandbox)).toBe(fresh && Number(fresh[1]) > 0 ? 1 : 0);
    expectNothingLeft(sandbox);
  }, 150_000);
});
