import { describe, expect, it } from 'vitest';
import type { SyscallEvent } from '../../spec/events.js';
import { syscallNumber } from '../kernel/syscall-table.js';
import { DECISION_ALLOW, DECISION_DELAY, DECISION_DENY } from './armed-rules.js';
import { EventColumns, batchBuffers, decodeBatch } from './event-columns.js';

describe('EventColumns', () => {
  it('round-trips events through a structured-clone batch, omitting absent fields', () => {
    const cols = new EventColumns(4);
    cols.push(1, 0.5, 'db', 100, syscallNumber('write'), DECISION_DENY, 5, 0, '/data/wal', undefined, 'r1', 'WAL');
    cols.push(2, 1.5, 'db', 101, syscallNumber('connect'), DECISION_DELAY, 0, 250, undefined, '127.0.0.1:5432', 'r2', undefined);
    cols.push(3, 2.5, 'api', 7, syscallNumber('openat'), DECISION_ALLOW, 0, 0, undefined, undefined, undefined, undefined);
    const taken = cols.take();
    const batch = structuredClone(taken, { transfer: batchBuffers(taken) });
    expect(cols.count).toBe(0);
    const out: SyscallEvent[] = [];
    decodeBatch(batch, [], out);
    expect(out).toEqual([
      { type: 'syscall', seq: 1, tsMs: 0.5, service: 'db', pid: 100, syscall: 'write', decision: 'deny', errno: 'EIO', path: '/data/wal', ruleId: 'r1', label: 'WAL' },
      { type: 'syscall', seq: 2, tsMs: 1.5, service: 'db', pid: 101, syscall: 'connect', decision: 'delay', delayMs: 250, peer: '127.0.0.1:5432', ruleId: 'r2' },
      { type: 'syscall', seq: 3, tsMs: 2.5, service: 'api', pid: 7, syscall: 'openat', decision: 'allow' },
    ]);
  });

  it('reports full at capacity and starts over after take', () => {
    const cols = new EventColumns(2);
    cols.push(1, 0, 's', 1, 1, DECISION_ALLOW, 0, 0, '/a', undefined, undefined, undefined);
    expect(cols.full).toBe(false);
    cols.push(2, 0, 's', 1, 1, DECISION_ALLOW, 0, 0, undefined, undefined, undefined, undefined);
    expect(cols.full).toBe(true);
    expect(cols.take().count).toBe(2);
    cols.push(3, 0, 's', 1, 1, DECISION_ALLOW, 0, 0, undefined, undefined, undefined, undefined);
    const next = cols.take();
    expect(next.count).toBe(1);
    expect(next.path[0]).toBe(-1); // no stale path from the previous batch
  });

  it('ships each string once and resolves later batches through the shared table', () => {
    const cols = new EventColumns(4);
    cols.push(1, 0, 'db', 1, syscallNumber('write'), DECISION_DENY, 5, 0, '/wal', undefined, 'r1', undefined);
    const first = cols.take();
    cols.push(2, 0, 'db', 1, syscallNumber('write'), DECISION_DENY, 5, 0, '/wal', undefined, 'r1', undefined);
    const second = cols.take();
    expect(first.newStrings).toEqual(['db', '/wal', 'r1']);
    expect(second.newStrings).toEqual([]);
    const strings: string[] = [];
    const out: SyscallEvent[] = [];
    decodeBatch(first, strings, out);
    decodeBatch(second, strings, out);
    expect(out.map((e) => [e.service, e.path, e.ruleId])).toEqual([['db', '/wal', 'r1'], ['db', '/wal', 'r1']]);
  });

  it('skips trapped numbers outside the syscall table', () => {
    const cols = new EventColumns(2);
    cols.push(1, 0, 's', 1, 110 /* getppid */, DECISION_ALLOW, 0, 0, undefined, undefined, undefined, undefined);
    const out: SyscallEvent[] = [];
    decodeBatch(cols.take(), [], out);
    expect(out).toEqual([]);
  });
});

describe('event columns: descriptor mode', () => {
  it('carry non-blocking through a batch, and only where it was seen', () => {
    const cols = new EventColumns(4);
    cols.push(1, 1, 'api', 10, 0, 0, 0, 0, 'socket:[5]', undefined, undefined, undefined, true);
    cols.push(2, 2, 'api', 10, 1, 0, 0, 0, 'socket:[6]', undefined, undefined, undefined);
    const out: SyscallEvent[] = [];
    decodeBatch(cols.take(), [], out);
    expect(out.map((e) => e.nonblocking)).toEqual([true, undefined]);
  });
});
