import { describe, expect, it } from 'vitest';
import { matchesFilter, describeFilter } from './event-filter.js';
import type { TraceEvent } from './events.js';

const pwrite: TraceEvent = {
  type: 'syscall', seq: 7, tsMs: 12, service: 'postgres', pid: 41, syscall: 'pwrite64', decision: 'deny', errno: 'ENOSPC',
  path: '/var/lib/postgresql/data/base/1/1259', label: 'disk full',
};
const connect: TraceEvent = {
  type: 'syscall', seq: 8, tsMs: 13, service: 'api', pid: 9, syscall: 'connect', decision: 'allow', peer: '172.18.0.2:5432',
};
const started: TraceEvent = { type: 'lifecycle', seq: 1, tsMs: 0, service: 'postgres', phase: 'started' };

describe('matchesFilter', () => {
  it('matches a family keyword against each member syscall', () => {
    expect(matchesFilter(pwrite, { syscall: 'write' })).toBe(true);
    expect(matchesFilter(pwrite, { syscall: 'pwrite64' })).toBe(true);
    expect(matchesFilter(pwrite, { syscall: 'read' })).toBe(false);
    expect(matchesFilter(pwrite, { syscall: 'pwrite*' })).toBe(true);
  });
  it('matches decisions by kind, by rendered text and by errno name', () => {
    expect(matchesFilter(pwrite, { decision: 'deny' })).toBe(true);
    expect(matchesFilter(pwrite, { decision: 'deny(no space left on device)' })).toBe(true);
    expect(matchesFilter(pwrite, { decision: 'deny(ENOSPC)' })).toBe(true);
    expect(matchesFilter(pwrite, { decision: 'deny*' })).toBe(true);
    expect(matchesFilter(pwrite, { decision: 'allow' })).toBe(false);
  });
  it('globs paths, peers, labels and services; errno is case-insensitive', () => {
    expect(matchesFilter(pwrite, { path: '/var/lib/postgresql/*' })).toBe(true);
    expect(matchesFilter(pwrite, { path: '/tmp/*' })).toBe(false);
    expect(matchesFilter(connect, { peer: '*:5432' })).toBe(true);
    expect(matchesFilter(pwrite, { label: 'disk*' })).toBe(true);
    expect(matchesFilter(pwrite, { service: 'post*' })).toBe(true);
    expect(matchesFilter(pwrite, { errno: 'enospc' })).toBe(true);
    expect(matchesFilter(connect, { errno: 'ENOSPC' })).toBe(false);
  });
  it('an absent field never matches a filter on it', () => {
    expect(matchesFilter(connect, { path: '*' })).toBe(false);
    expect(matchesFilter(pwrite, { peer: '*' })).toBe(false);
  });
  it('considers only syscall events unless type= says otherwise', () => {
    expect(matchesFilter(started, { service: 'postgres' })).toBe(false);
    expect(matchesFilter(started, { service: 'postgres', type: 'lifecycle' })).toBe(true);
    expect(matchesFilter(started, { type: '*' })).toBe(true);
    expect(matchesFilter(started, { type: '*', syscall: 'write' })).toBe(false);
  });
  it('describes filters for failure messages', () => {
    expect(describeFilter({ service: 'db', syscall: 'write' })).toBe('service="db", syscall="write"');
    expect(describeFilter({})).toBe('(no filters)');
  });
});
