import { describe, expect, it } from 'vitest';
import { startOrder } from './start-order.js';
import type { ServiceDecl } from '../../spec/model.js';

function svc(name: string, dependsOn: string[] = []): ServiceDecl {
  return { name, source: { kind: 'binary', path: '/bin/true' }, interfaces: [], env: {}, dependsOn, volumes: {}, ports: {}, reuse: false, seccomp: true, baseDir: '/' };
}

describe('startOrder', () => {
  it('starts dependencies first and keeps declaration order otherwise', () => {
    const order = startOrder([svc('api', ['db', 'cache']), svc('cache'), svc('db'), svc('other')]);
    expect(order.map((s) => s.name)).toEqual(['db', 'cache', 'api', 'other']);
  });
  it('reports a cycle with its path', () => {
    expect(() => startOrder([svc('a', ['b']), svc('b', ['a'])])).toThrow(/depends_on cycle: a → b → a/);
  });
  it('reports an unknown dependency', () => {
    expect(() => startOrder([svc('a', ['zz'])])).toThrow(/depends_on unknown service "zz"/);
  });
});
