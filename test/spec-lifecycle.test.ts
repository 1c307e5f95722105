// The spec side of crashes and lifecycle steps, through the real interpreter with a RecordingHost:
// crash() rules in fault(), fault_assumption, fault_scenario and fault_matrix; svc.restart() and
// friends as host calls answered like steps; the filters a lost-writes crash needs; bad input.
import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSpec } from '../src/spec/index.js';
import { RecordingHost } from '../src/spec/recording-host.js';
import { SpecError } from '../src/errors.js';
import { UNDO_LOG_SYSCALLS } from '../src/spec/lose-unsynced.js';
import { ruleText } from '../src/runtime/trace/rule-text.js';

const tmp = mkdtempSync(join(tmpdir(), 'faultbox-spec-lifecycle-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let n = 0;

function load(source: string) {
  const dir = join(tmp, `case-${++n}`);
  mkdirSync(dir);
  writeFileSync(join(dir, 'faultbox.star'), source);
  return loadSpec(join(dir, 'faultbox.star'), { print: () => {} });
}

function loadError(source: string): string {
  try {
    load(source);
  } catch (e) {
    if (e instanceof SpecError) return e.message;
    throw e;
  }
  throw new Error('expected a load error');
}

const TOPOLOGY = `
db = service("db", "./db", interface("main", "postgres", 19340))
api = service("api", "./api", interface("public", "http", 19341), depends_on = [db])
`;

describe('crash() fault', () => {
  const spec = load(`${TOPOLOGY}
power = fault_assumption("power", target = db, write = crash(nth = 3, path = "**/pg_wal/**", lose_unsynced = True, label = "power loss"))
kill = fault_assumption("kill", target = db, fsync = crash())
def write():
    return api.post(path = "/x")
scenario(write)
fault_scenario("write_power", scenario = write, faults = power, expect = lambda r: assert_true(True))
fault_matrix(scenarios = [write], faults = [power, kill], default_expect = lambda r: assert_true(True))
def test_inline():
    fault(db, rename = crash(lose_unsynced = False), run = lambda: api.post(path = "/y"))
`);

  it('is a typed rule in assumptions, fault_scenario and matrix cells', () => {
    const power = spec.model.assumptions.find((a) => a.name === 'power')!.rules[0]!;
    expect(power.action).toEqual({ kind: 'crash', loseUnsynced: true });
    expect(power.trigger).toEqual({ nth: 3 });
    expect(power.pathGlob).toBe('**/pg_wal/**');
    expect(ruleText(power)).toBe('write=crash(nth=3, path="**/pg_wal/**", lose_unsynced=True)');
    const cell = spec.model.tests.find((t) => t.kind === 'matrix_cell' && t.name.endsWith('kill'))!;
    expect(cell.faults[0]!.action).toEqual({ kind: 'crash', loseUnsynced: false });
    expect(spec.model.tests.find((t) => t.name === 'test_write_power')!.faults[0]!.action.kind).toBe('crash');
  });

  it('makes the target trap the undo log syscalls only when it may lose unsynced writes', () => {
    for (const s of UNDO_LOG_SYSCALLS) expect(spec.model.trapped.db).toContain(s);
    expect(spec.model.losesUnsynced).toEqual(['db']);
    expect(spec.model.trapped.api).toEqual([]);
  });

  it('arms an inline crash rule through the host', () => {
    const host = new RecordingHost();
    expect(spec.runTest('test_inline', host).kind).toBe('pass');
    const applied = host.calls.find((c) => c.op === 'apply');
    expect(applied?.op === 'apply' && applied.rules[0]!.action).toEqual({ kind: 'crash', loseUnsynced: false });
  });

  it('refuses a positional argument and a non-bool lose_unsynced', () => {
    expect(loadError(`${TOPOLOGY}\nx = fault_assumption("x", target = db, write = crash(True))`)).toMatch(/crash/);
    expect(loadError(`${TOPOLOGY}\nx = fault_assumption("x", target = db, write = crash(lose_unsynced = "yes"))`)).toMatch(/lose_unsynced/);
  });
});

describe('lifecycle steps', () => {
  const spec = load(`${TOPOLOGY}
def test_steps():
    r = db.restart()
    assert_true(r.ok)
    assert_eq(r.status, 0)
    db.kill()
    db.kill(signal = "TERM")
    db.start()
    db.stop()
    db.crash(lose_unsynced = True)
def test_bad_signal():
    db.kill(signal = "SIGSTOP")
def test_extra_argument():
    db.restart(1)
`);

  it('sends each step to the host in order, with its signal and lost-writes flag', () => {
    const host = new RecordingHost();
    expect(spec.runTest('test_steps', host).kind).toBe('pass');
    const reqs = host.calls.flatMap((c) => (c.op === 'lifecycle' ? [c.req] : []));
    expect(reqs).toEqual([
      { service: 'db', action: 'restart' },
      { service: 'db', action: 'kill', signal: 'SIGKILL' },
      { service: 'db', action: 'kill', signal: 'SIGTERM' },
      { service: 'db', action: 'start' },
      { service: 'db', action: 'stop' },
      { service: 'db', action: 'crash', loseUnsynced: true },
    ]);
  });

  it('a step-level crash(lose_unsynced=True) makes its service trap the undo log syscalls', () => {
    expect(spec.model.losesUnsynced).toEqual(['db']);
    expect(spec.model.tests.find((t) => t.name === 'test_steps')!.bodyTrapped?.db).toEqual(expect.arrayContaining([...UNDO_LOG_SYSCALLS]));
  });

  it('names the accepted signals and the extra argument', () => {
    const bad = spec.runTest('test_bad_signal', new RecordingHost());
    expect(bad.kind === 'fail' && bad.message).toMatch(/db\.kill: signal "SIGSTOP" is not one kill\(\) sends \(expected one of SIGKILL, SIGTERM/);
    const extra = spec.runTest('test_extra_argument', new RecordingHost());
    expect(extra.kind === 'fail' && extra.message).toMatch(/db\.restart: got 1 argument, want none/);
  });
});
