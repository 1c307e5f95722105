// `faultbox explore` against the planted-bug examples (examples/planted/*), end to end: real
// services under real seccomp, the real CLI in a sandbox (own working directory and TMPDIR).
// Each campaign must report exactly one failure, shrunk to the planted minimal fault set and
// reproducing every time; its regression must fail `faultbox test`, its corpus entry must fail
// `faultbox replay`, a second campaign in the same directory must call it known and pass, and
// every simpler neighbour of the minimal set (a fault dropped, an earlier occurrence, a shorter
// delay) must pass on replay: an independent check of 1-minimality (dropping the only fault of a
// one-fault set leaves the happy path, which `faultbox test` checks). Nothing may be left running.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FaultJson } from '../src/explorer/corpus/fault-json.js';
import type { ResultJson } from '../src/explorer/corpus/result-json.js';
import { leftoverTempFiles, makeSandbox, markedProcesses, REPO, runFaultbox, type CliRun, type Sandbox } from './fixtures/planted-tiny/harness.js';

interface Planted {
  readonly name: string;
  readonly scenario: string;
  /** The planted minimal fault set, in the explorer's canonical form. */
  readonly minimal: readonly FaultJson[];
  readonly kind: 'fail' | 'crash' | 'timeout';
  readonly message: RegExp;
  /** Simpler fault sets next to the minimal one, and the always-on variant; each must pass. */
  readonly neighbours: readonly (readonly FaultJson[])[];
  /**
   * Extra narrowing on the command line. Delays cannot break the write/connect bugs (their
   * scenarios have no deadline), and every delayed case costs its delay: dropping them keeps
   * those campaigns at a few seconds while they still exhaust their space, pairs included.
   */
  readonly flags: readonly string[];
}

const deny = (service: string, syscall: FaultJson['syscall'], errno: string, trigger: { nth?: number; after?: number } = {}): FaultJson => ({
  service,
  syscall,
  action: 'deny',
  errno: errno as FaultJson['errno'],
  ...trigger,
});
const delay = (service: string, syscall: FaultJson['syscall'], ms: number, trigger: { nth?: number } = {}): FaultJson => ({ service, syscall, action: 'delay', delay_ms: ms, ...trigger });

const PLANTED: readonly Planted[] = [
  {
    name: 'ack-loss',
    scenario: 'acked_write_reads_back',
    // The 1st write of kv in the scenario is the value file's (the census says so).
    minimal: [deny('kv', 'write', 'EIO', { nth: 1 })],
    kind: 'fail',
    message: /an acknowledged PUT must read back its value/,
    // Always-on also fails the acknowledgement itself, so nothing was promised.
    neighbours: [[deny('kv', 'write', 'EIO')]],
    flags: ['--no-delays'],
  },
  {
    name: 'retry-once',
    scenario: 'price_request_answered',
    // Every connect refused: the first refusal and the retry's. nth=1 (one refusal) is survived.
    minimal: [deny('shop', 'connect', 'ECONNREFUSED')],
    kind: 'crash',
    message: /service shop exited with code 1/,
    neighbours: [[deny('shop', 'connect', 'ECONNREFUSED', { nth: 1 })]],
    flags: ['--no-delays'],
  },
  {
    name: 'double-fault',
    scenario: 'acked_record_reads_back',
    // The store unreachable on the POST, and then the api's first write (the journal append).
    minimal: [deny('api', 'connect', 'ECONNREFUSED', { nth: 1 }), deny('api', 'write', 'EIO', { nth: 1 })],
    kind: 'fail',
    message: /an acknowledged record must be readable: 404 != 200/,
    neighbours: [[deny('api', 'connect', 'ECONNREFUSED', { nth: 1 })], [deny('api', 'write', 'EIO', { nth: 1 })]],
    flags: ['--no-delays'],
  },
  {
    name: 'third-write',
    scenario: 'acked_entry_reads_back',
    // The 3rd write of the request: the commit marker (header and body are the 1st and 2nd).
    minimal: [deny('ledger', 'write', 'EIO', { nth: 3 })],
    kind: 'fail',
    message: /an acknowledged entry must be readable: 404 != 200/,
    // An always-on fault fails the header write first, which is handled: it cannot find this.
    neighbours: [[deny('ledger', 'write', 'EIO', { nth: 2 })], [deny('ledger', 'write', 'EIO', { nth: 1 })], [deny('ledger', 'write', 'EIO')]],
    flags: ['--no-delays'],
  },
  {
    name: 'missing-timeout',
    scenario: 'quote_answered',
    // The backend's one write (its reply) held for 2 s; the deadline is 1.8 s.
    minimal: [delay('quotes', 'write', 2000, { nth: 1 })],
    kind: 'timeout',
    message: /scenario exceeded its 1800ms timeout/,
    neighbours: [[delay('quotes', 'write', 1000, { nth: 1 })]],
    flags: [],
  },
];

function explain(run: CliRun): string {
  return `exit ${run.code}\nstdout:\n${run.stdout}\nstderr:\n${run.stderr}`;
}

function readJson(sandbox: Sandbox, file: string): ResultJson {
  return JSON.parse(readFileSync(join(sandbox.cwd, file), 'utf8')) as ResultJson;
}

/** Nothing of ours runs or lies in the sandbox's TMPDIR once a command has returned. */
function expectNothingLeft(sandbox: Sandbox, after: string): void {
  expect(markedProcesses(sandbox), `processes left after ${after}`).toEqual([]);
  expect(leftoverTempFiles(sandbox), `temp dirs left after ${after}`).toEqual([]);
}

describe.each(PLANTED)('faultbox explore on examples/planted/$name', (p) => {
  const spec = join(REPO, 'examples', 'planted', p.name, 'faultbox.star');
  const explore = (json: string) => ['explore', spec, '--seed', '1', '--budget', '2m', '--json', json, '--ci', ...p.flags];
  let sandbox: Sandbox;
  let first: CliRun;
  let result: ResultJson;

  beforeAll(async () => {
    sandbox = makeSandbox(`planted-${p.name}`);
    first = await runFaultbox(sandbox, explore('out.json'));
    result = readJson(sandbox, 'out.json');
  }, 180_000);
  afterAll(() => sandbox?.dispose());

  it('keeps a passing happy path', async () => {
    const run = await runFaultbox(sandbox, ['test', spec]);
    expect(run.code, explain(run)).toBe(0);
    expect(run.stdout).toContain(`PASS: test_${p.scenario}`);
    expectNothingLeft(sandbox, 'faultbox test');
  });

  it('finds exactly the planted bug, shrunk to its minimal fault set, reproducing every time', () => {
    expect(first.code, explain(first)).toBe(1);
    expectNothingLeft(sandbox, 'the first explore');
    expect(result.stopped_by).toBe('exhausted');
    expect(result.failures, JSON.stringify(result.failures, null, 2)).toHaveLength(1);
    const f = result.failures[0]!;
    expect(f.scenario).toBe(p.scenario);
    expect(f.faults).toEqual(p.minimal);
    expect(f.kind).toBe(p.kind);
    expect(f.message).toMatch(p.message);
    expect(f.state).toBe('minimal');
    expect(f.known).toBe(false);
    const [k, n] = f.reproduced.split('/').map(Number);
    expect(k).toBe(n);
    expect(k).toBeGreaterThanOrEqual(3);
  });

  it('exports a regression that fails `faultbox test` while the bug is there', async () => {
    const f = result.failures[0]!;
    expect(f.regression).toBe(`regressions/${p.scenario}_${f.id}.star`);
    const run = await runFaultbox(sandbox, ['test', f.regression!]);
    expect(run.code, explain(run)).toBe(1);
    expect(run.stdout).toContain(`FAIL: test_regression_${f.id}`);
    expectNothingLeft(sandbox, 'faultbox test of the regression');
  });

  it('saves a corpus entry that `faultbox replay` reproduces', async () => {
    const f = result.failures[0]!;
    expect(readdirSync(join(sandbox.cwd, 'corpus'))).toEqual([`${f.id}.json`]);
    const run = await runFaultbox(sandbox, ['replay', `corpus/${f.id}.json`]);
    expect(run.code, explain(run)).toBe(1);
    expect(run.stdout).toContain(`REPRODUCED: ${p.kind}`);
    expectNothingLeft(sandbox, 'faultbox replay');
  });

  it('calls it known on a second campaign in the same directory, and passes', async () => {
    const run = await runFaultbox(sandbox, explore('again.json'));
    expect(run.code, explain(run)).toBe(0);
    const again = readJson(sandbox, 'again.json');
    const id = result.failures[0]!.id;
    expect(again.failures.map((f) => [f.id, f.known])).toEqual([[id, true]]);
    expect(readdirSync(join(sandbox.cwd, 'corpus'))).toEqual([`${id}.json`]);
    expectNothingLeft(sandbox, 'the second explore');
  });

  it('is 1-minimal: every simpler neighbour of the fault set passes on replay', async () => {
    expect(p.neighbours.length).toBeGreaterThan(0);
    const f = result.failures[0]!;
    const entry = JSON.parse(readFileSync(join(sandbox.cwd, 'corpus', `${f.id}.json`), 'utf8')) as { faults: FaultJson[] };
    // Beside corpus/, so the entry's relative spec path still holds, but not in it (the corpus
    // is what later campaigns replay as known).
    const dir = join(sandbox.cwd, 'neighbours');
    mkdirSync(dir, { recursive: true });
    for (const [i, faults] of p.neighbours.entries()) {
      const file = join(dir, `n${i}.json`);
      writeFileSync(file, JSON.stringify({ ...entry, faults }, null, 2));
      const run = await runFaultbox(sandbox, ['replay', `neighbours/n${i}.json`]);
      expect(run.code, `${JSON.stringify(faults)}: ${explain(run)}`).toBe(0);
      expect(run.stdout).toMatch(/NOT REPRODUCED: (the scenario passed|none of the faults fired)/);
    }
    expectNothingLeft(sandbox, 'the neighbour replays');
  }, 120_000);
});
