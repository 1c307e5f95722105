import { describe, expect, it } from 'vitest';
import { runByDependencies, startOrder } from './start-order.js';
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

describe('runByDependencies', () => {
  /** A task log: "start:x" / "end:x", with tasks that finish when released. */
  function harness() {
    const log: string[] = [];
    const release = new Map<string, () => void>();
    const task = async (s: ServiceDecl): Promise<void> => {
      log.push(`start:${s.name}`);
      await new Promise<void>((r) => release.set(s.name, r));
      log.push(`end:${s.name}`);
    };
    const tick = () => new Promise((r) => setImmediate(r));
    return { log, release, task, tick };
  }

  it('starts independent services together and a dependent only after all its dependencies', async () => {
    const h = harness();
    const done = runByDependencies([svc('api', ['db', 'cache']), svc('db'), svc('cache')], h.task);
    await h.tick();
    expect(h.log).toEqual(['start:db', 'start:cache']);
    h.release.get('db')!();
    await h.tick();
    expect(h.log).not.toContain('start:api');
    h.release.get('cache')!();
    await h.tick();
    expect(h.log.at(-1)).toBe('start:api');
    h.release.get('api')!();
    await done;
  });

  it('stops dependents first when reversed', async () => {
    const h = harness();
    const done = runByDependencies([svc('api', ['db']), svc('db'), svc('other')], h.task, { reverse: true });
    await h.tick();
    expect(h.log).toEqual(['start:api', 'start:other']);
    h.release.get('api')!();
    await h.tick();
    expect(h.log).toContain('start:db');
    h.release.get('db')!();
    h.release.get('other')!();
    await done;
  });

  it('waits for every task, skips what depended on a failure, and throws the first failure', async () => {
    const ran: string[] = [];
    const failing = runByDependencies([svc('api', ['db']), svc('db'), svc('cache')], async (s) => {
      ran.push(s.name);
      if (s.name === 'db') throw new Error('db failed');
      await new Promise((r) => setTimeout(r, 20));
    });
    await expect(failing).rejects.toThrow('db failed');
    expect(ran.sort()).toEqual(['cache', 'db']);
  });
});
