import { describe, expect, it } from 'vitest';
import { faultFromJson } from '../corpus/fault-json.js';
import { CaseExecutor, classify } from './case-executor.js';
import type { ProgressEvent } from './progress.js';
import type { CaseVerdict, ScenarioRunner } from '../runner/runner.js';
import { faultSetToRules } from '../faults.js';

const f1 = faultFromJson({ service: 'db', syscall: 'write', action: 'deny', errno: 'EIO', nth: 1 });
const f2 = faultFromJson({ service: 'db', syscall: 'fsync', action: 'deny', errno: 'EIO' });

function runner(verdict: (n: number) => CaseVerdict | Error): ScenarioRunner & { calls: number; health: number } {
  const r = {
    calls: 0,
    health: 0,
    record: async () => {
      throw new Error('unused');
    },
    runCase: async () => {
      const v = verdict(++r.calls);
      if (v instanceof Error) throw v;
      return v;
    },
    ensureHealthy: async () => {
      r.health++;
      return { restarted: r.calls === 1 ? ['db'] : [] };
    },
    close: async () => {},
  };
  return r;
}

const base = { excerpt: [], durationMs: 1 };

describe('case executor', () => {
  it('classifies vacuous cases by fired counts, whatever the verdict', () => {
    const rules = faultSetToRules([f1, f2]);
    expect(classify({ kind: 'fail', reason: 'assertion', message: 'x', fired: {}, ...base }, rules)).toBe('vacuous');
    expect(classify({ kind: 'fail', reason: 'assertion', message: 'x', fired: { f2: 1 }, ...base }, rules)).toBe('failure');
    expect(classify({ kind: 'pass', fired: { f1: 0, f2: 0 }, ...base }, rules)).toBe('vacuous');
    expect(classify({ kind: 'pass', fired: { f1: 3 }, ...base }, rules)).toBe('pass');
    expect(classify({ kind: 'infra-error', message: 'docker gone', fired: {}, ...base }, rules)).toBe('infra-error');
    expect(classify({ kind: 'pass', fired: {}, ...base }, [])).toBe('pass');
  });

  it('remembers outcomes per canonical case and restores health after each run', async () => {
    const r = runner(() => ({ kind: 'pass', fired: { f1: 1, f2: 1 }, ...base }));
    const events: ProgressEvent[] = [];
    const ex = new CaseExecutor({ runner: r, seed: 1, deadlineFor: () => ({ ms: 1000 }), emit: (e) => events.push(e) });
    const sig = new AbortController().signal;
    const a = await ex.memoized({ scenario: 's', faults: [f1, f2] }, 'explore', sig);
    const b = await ex.memoized({ scenario: 's', faults: [f2, f1] }, 'shrink', sig);
    expect(a!.cached).toBe(false);
    expect(b!.cached).toBe(true);
    expect(r.calls).toBe(1);
    await ex.execute({ scenario: 's', faults: [f2, f1] }, 'confirm', sig);
    expect(r.calls).toBe(2);
    expect(ex.history({ scenario: 's', faults: [f1, f2] })).toHaveLength(2);
    expect(ex.runs()).toBe(2);
    expect(ex.runs('confirm')).toBe(1);
    expect(r.health).toBe(2);
    expect(events.map((e) => e.type)).toEqual(['case-start', 'case-end', 'restart', 'case-start', 'case-end']);
    expect(events[2]).toEqual({ type: 'restart', services: ['db'] });
    expect(ex.restarts()).toEqual({ db: 1 });
  });

  it('turns a runner exception into an infrastructure error verdict', async () => {
    const ex = new CaseExecutor({ runner: runner(() => new Error('seccomp refused')), seed: 1, deadlineFor: () => ({ ms: 1000 }) });
    const o = await ex.execute({ scenario: 's', faults: [f1] }, 'explore', new AbortController().signal);
    expect(o!.cls).toBe('infra-error');
    expect(o!.verdict.kind === 'infra-error' && o!.verdict.message).toBe('runner failed: seccomp refused');
  });

  it('discards a case aborted by the campaign', async () => {
    const ctl = new AbortController();
    const r: ScenarioRunner = {
      record: async () => {
        throw new Error('unused');
      },
      runCase: (_s, _r, _o, signal) => new Promise((_, reject) => signal.addEventListener('abort', () => reject(new Error('killed')))),
      ensureHealthy: async () => ({ restarted: [] }),
      close: async () => {},
    };
    const ex = new CaseExecutor({ runner: r, seed: 1, deadlineFor: () => ({ ms: 60_000 }) });
    const pending = ex.execute({ scenario: 's', faults: [f1] }, 'explore', ctl.signal);
    setImmediate(() => ctl.abort());
    expect(await pending).toBeUndefined();
    expect(ex.runs()).toBe(0);
    expect(ex.hasRun({ scenario: 's', faults: [f1] })).toBe(false);
  });
});

describe('faults that landed where their errno cannot come from', () => {
  it('are found by what the denied call acted on in this case, unless the user listed the errno', async () => {
    const { unfitRules, classify } = await import('./case-executor.js');
    const { faultSetToRules } = await import('../faults.js');
    const rules = faultSetToRules([
      faultFromJson({ service: 'api', syscall: 'connect', action: 'deny', errno: 'ECONNREFUSED', nth: 1 }),
      faultFromJson({ service: 'api', syscall: 'write', action: 'deny', errno: 'EAGAIN', nth: 1 }),
    ]);
    // The refused connect sent the service to its journal file: the write the census saw on a socket is now a file write.
    const verdict = { kind: 'fail' as const, reason: 'assertion' as const, message: 'lost', fired: { f1: 1, f2: 1 }, excerpt: [], durationMs: 3, deniedClasses: { f1: 'socket' as const, f2: 'file' as const } };
    expect(unfitRules(verdict, rules).map((r) => r.keyword)).toEqual(['write']);
    expect(classify(verdict, rules, () => false)).toBe('vacuous');
    expect(classify(verdict, rules, (family) => family === 'write')).toBe('failure');
    expect(classify({ ...verdict, deniedClasses: { ...verdict.deniedClasses, f2: 'socket' as const } }, rules, () => false)).toBe('failure');
  });
});
