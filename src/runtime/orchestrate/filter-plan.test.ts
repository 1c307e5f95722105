import { describe, expect, it } from 'vitest';
import { declaredFilterPlan, filterFor, sameFilter } from './filter-plan.js';
import type { FaultRule, ServiceDecl } from '../../spec/model.js';
import { trapsUndoLogSyscalls } from '../../spec/lose-unsynced.js';

function svc(name: string, extra: Partial<ServiceDecl> = {}): ServiceDecl {
  return { name, source: { kind: 'image', ref: `${name}:1` }, interfaces: [], env: {}, dependsOn: [], volumes: {}, ports: {}, reuse: false, seccomp: true, baseDir: '/', ...extra };
}

function rule(service: string, syscalls: FaultRule['syscalls']): FaultRule {
  return { id: `${service}-${syscalls[0]}`, service, keyword: syscalls[0]!, syscalls, action: { kind: 'deny', errno: 'EIO' }, trigger: {} };
}

const model = {
  services: [svc('postgres'), svc('redis'), svc('api'), svc('cache', { reuse: true }), svc('raw', { seccomp: false })],
  trapped: { postgres: ['write', 'writev', 'pwrite64', 'fsync'], redis: [], api: ['connect'], cache: ['read'], raw: [] } as const,
};

describe('declaredFilterPlan', () => {
  it('gives no filter to any fresh service when the test declares no faults', () => {
    const plan = declaredFilterPlan(model, { faults: [], bodyTrapped: {} });
    expect(plan).toEqual({ postgres: [], redis: [], api: [], cache: ['read'], raw: [] });
  });

  it('filters only the services the declared faults name, with just their syscalls, in table order', () => {
    const plan = declaredFilterPlan(model, { faults: [rule('postgres', ['pwrite64', 'write', 'writev'])], bodyTrapped: {} });
    expect(plan.postgres).toEqual(['write', 'writev', 'pwrite64']);
    expect(plan.api).toEqual([]);
    expect(plan.redis).toEqual([]);
  });

  it('traps what the undo log needs for a declared crash that loses unsynced writes (a regression of a power loss)', () => {
    const power: FaultRule = { ...rule('postgres', ['write']), action: { kind: 'crash', loseUnsynced: true } };
    const plan = declaredFilterPlan(model, { faults: [power], bodyTrapped: {} });
    expect(trapsUndoLogSyscalls(plan.postgres!)).toBe(true);
    const plain: FaultRule = { ...power, action: { kind: 'crash', loseUnsynced: false } };
    expect(declaredFilterPlan(model, { faults: [plain], bodyTrapped: {} }).postgres).toEqual(['write']);
  });

  it('keeps the spec-wide set for reused services (they outlive the test)', () => {
    expect(declaredFilterPlan(model, { faults: [rule('api', ['connect'])], bodyTrapped: {} }).cache).toEqual(['read']);
  });

  it('adds what the body can arm to the declared faults', () => {
    const plan = declaredFilterPlan(model, { faults: [rule('postgres', ['write'])], bodyTrapped: { postgres: ['fsync'], api: ['connect'] } });
    expect(plan.postgres).toEqual(['write', 'fsync']);
    expect(plan.api).toEqual(['connect']);
    expect(plan.redis).toEqual([]);
  });

  it('falls back to the spec-wide set when the body\'s syntax could not tell', () => {
    const plan = declaredFilterPlan(model, { faults: [] });
    expect(plan).toEqual({ postgres: ['write', 'writev', 'pwrite64', 'fsync'], redis: [], api: ['connect'], cache: ['read'], raw: [] });
  });

  it('never filters a seccomp=False service', () => {
    expect(filterFor(model.services[4]!, { raw: ['write'] })).toEqual([]);
    expect(filterFor(model.services[0]!, { postgres: ['write'] })).toEqual(['write']);
  });
});

describe('sameFilter', () => {
  it('ignores order', () => {
    expect(sameFilter(['write', 'fsync'], ['fsync', 'write'])).toBe(true);
    expect(sameFilter(['write'], ['write', 'fsync'])).toBe(false);
  });
});
