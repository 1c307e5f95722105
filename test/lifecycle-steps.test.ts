// Lifecycle steps on real processes (test/fixtures/lifecycle): restart keeps the scratch dir,
// stop/kill then start, a dependent left alone, and a crash fault whose restart later steps wait
// for. Everything shows in the trace; nothing of ours is left.
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { faultbox, section } from './cli-run.js';
import { leftoverTempDirs, processesMatching } from './leftovers.js';

const SPEC = 'test/fixtures/lifecycle/faultbox.star';

interface TraceEvent { type: string; service: string; phase?: string; method?: string; iface?: string; ok?: boolean; decision?: string; syscall?: string }
interface TraceTest { name: string; verdict: { kind: string }; events: TraceEvent[] }

describe('lifecycle steps (binary mode)', () => {
  let run: ReturnType<typeof faultbox>;
  let tests: TraceTest[];
  let tempBefore: Set<string>;
  const trace = join(tmpdir(), `faultbox-lifecycle-trace-${process.pid}.json`);

  beforeAll(() => {
    tempBefore = new Set(leftoverTempDirs());
    run = faultbox(['test', SPEC, '--output', trace]);
    const parsed = JSON.parse(readFileSync(trace, 'utf8')) as { tests: TraceTest[] };
    rmSync(trace, { force: true });
    tests = parsed.tests;
  }, 180_000);

  const events = (name: string): TraceEvent[] => tests.find((t) => t.name === name)!.events;

  it('passes every lifecycle test', () => {
    expect(run.stdout).toContain('5 passed, 0 failed');
    expect(run.code).toBe(0);
  });

  it('shows each step in the trace as a lifecycle step with its outcome', () => {
    const steps = events('test_stop_then_start').filter((e) => e.type === 'step' && e.iface === 'lifecycle');
    expect(steps.map((e) => [e.method, e.ok])).toEqual([['stop', true], ['stop', false], ['start', true]]);
    const phases = events('test_restart_keeps_data').filter((e) => e.type === 'lifecycle' && e.service === 'kv').map((e) => e.phase);
    expect(phases).toEqual(['started', 'ready', 'stopped', 'started', 'ready', 'restarted', 'stopped']);
  });

  it('does not restart dependents', () => {
    const front = events('test_restart_keeps_data').filter((e) => e.type === 'lifecycle' && e.service === 'front').map((e) => e.phase);
    expect(front).toEqual(['started', 'ready', 'stopped']);
  });

  it('records the crash decision and restarts the crashed service', () => {
    const evs = events('test_crash_fault_restarts_and_later_steps_wait');
    expect(evs.some((e) => e.type === 'syscall' && e.syscall === 'rename' && e.decision === 'crash')).toBe(true);
    expect(evs.filter((e) => e.type === 'lifecycle' && e.service === 'kv').map((e) => e.phase)).toContain('restarted');
    expect(section(run.stdout, '--- PASS: test_crash_fault_restarts_and_later_steps_wait')).toMatch(/#\d+ {2}kv {2}rename {2}crash {2}\[boom\] {2}\S+data\.json\.tmp/);
  });

  it('leaves nothing behind', () => {
    expect(processesMatching('planted-durability/kv.mjs')).toEqual([]);
    expect(leftoverTempDirs().filter((d) => !tempBefore.has(d))).toEqual([]);
  });
});
