import { describe, expect, it } from 'vitest';
import { RuleBoard, type RuleSink } from './rule-board.js';
import type { FaultRule } from '../../spec/model.js';

function rule(id: string, service: string, syscalls: FaultRule['syscalls'] = ['write']): FaultRule {
  return { id, service, keyword: 'write', syscalls, action: { kind: 'deny', errno: 'EIO' }, trigger: {} };
}

class RecordingSink implements RuleSink {
  readonly pushes: Array<[string, string[]]> = [];
  async setRules(service: string, rules: readonly FaultRule[]): Promise<void> {
    this.pushes.push([service, rules.map((r) => r.id)]);
  }
}

describe('RuleBoard', () => {
  it('stacks scopes and removes one without touching the other', async () => {
    const sink = new RecordingSink();
    const board = new RuleBoard(sink, { db: ['write'], api: ['write'] }, 7);
    const outer = await board.apply([rule('a', 'db')]);
    const inner = await board.apply([rule('b', 'db'), rule('c', 'api')]);
    expect(board.active().map((r) => r.id)).toEqual(['a', 'b', 'c']);
    await board.remove(inner);
    expect(sink.pushes.at(-2)).toEqual(['db', ['a']]);
    expect(sink.pushes.at(-1)).toEqual(['api', []]);
    await board.remove(outer);
    expect(sink.pushes.at(-1)).toEqual(['db', []]);
  });

  it('refuses a rule whose syscalls are outside the filter', async () => {
    const board = new RuleBoard(new RecordingSink(), { db: ['write'] }, 0);
    // The same explanation the spec gives when it refuses such a rule (spec/rules.ts notFilterableText).
    await expect(board.apply([rule('x', 'db', ['write', 'pwrite64'])])).rejects.toThrow(/FAULT_NOT_FILTERABLE: .* needs pwrite64, which the service's seccomp filter does not trap \(its filter traps: write\)/);
    await expect(board.apply([rule('y', 'cache')])).rejects.toThrow(/\(it runs without a filter\)/);
  });
});

describe('RuleBoard with filters narrower than the spec-wide bound', () => {
  it('notes the services a refused rule needs wider filters on', async () => {
    const board = new RuleBoard(new RecordingSink(), { db: [], api: ['connect'] }, 0, { db: ['write', 'pwrite64'], api: ['connect'] });
    await expect(board.apply([rule('x', 'db', ['write', 'pwrite64'])])).rejects.toThrow(/reruns with the spec-wide filters/);
    expect([...board.needsWiderFilters]).toEqual(['db']);
    expect(board.active()).toEqual([]);
  });

  it('refuses a rule outside the bound too, without asking for a rerun', async () => {
    const board = new RuleBoard(new RecordingSink(), { db: ['write'] }, 0, { db: ['write'] });
    await expect(board.apply([rule('x', 'db', ['fsync'])])).rejects.toThrow(/FAULT_NOT_FILTERABLE: .* needs fsync, .*\(its filter traps: write\)/);
    expect(board.needsWiderFilters.size).toBe(0);
  });

  it('arms a rule the running filter covers', async () => {
    const sink = new RecordingSink();
    const board = new RuleBoard(sink, { db: ['write'] }, 0, { db: ['write', 'fsync'] });
    await board.apply([rule('ok', 'db')]);
    expect(sink.pushes).toEqual([['db', ['ok']]]);
    expect(board.needsWiderFilters.size).toBe(0);
  });
});
