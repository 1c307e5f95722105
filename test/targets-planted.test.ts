// The target suite's own bookkeeping, without running anything: every examples/targets/<name>
// has a spec whose scenario its planted.json names, a README and root causes the matcher can use;
// and the matcher itself tells a planted fault set from its look-alikes.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FaultJson } from '../src/explorer/corpus/fault-json.js';
import { REPO } from './fixtures/planted-tiny/harness.js';
import { isPlantedSet, loadTarget, PER_RUN_PATH, simplerNeighbours, targetNames } from './fixtures/targets/target-suite.js';

const names = targetNames();

describe('examples/targets', () => {
  it('is explored whole by the target test files (the suite and test:targets)', () => {
    const listed = ['explore-targets.test.ts', 'targets-full/explore-targets-full.test.ts'].map((f) => readFileSync(join(REPO, 'test', f), 'utf8')).join('\n');
    for (const n of names) expect(listed).toContain(`'${n}'`);
  });

  it('has targets in Python, Go, C and real software from npm and Debian', () => {
    const langs = names.map((n) => loadTarget(n).language).join(' | ');
    for (const l of ['Python', 'Go', 'C (a tiny', 'json-server', 'Redis']) expect(langs).toContain(l);
    expect(names.filter((n) => loadTarget(n).root_causes.some((c) => c.minimal)).length).toBeGreaterThanOrEqual(5);
  });

  it.each(names)('%s: spec, README and planted.json agree', (name) => {
    const t = loadTarget(name);
    const spec = readFileSync(t.spec, 'utf8');
    expect(spec).toContain(`scenario(${t.scenario})`);
    expect(existsSync(join(REPO, 'examples', 'targets', name, 'README.md'))).toBe(true);
    for (const c of t.root_causes) expect(Boolean(c.minimal?.length) !== Boolean(c.fault_rule)).toBe(true);
    if (t.root_causes.length === 0) expect(t.never).toBeTruthy();
  });
});

describe('planted fault set matching', () => {
  const kvd = loadTarget('c-ack-early').root_causes[0]!;
  const deny = (syscall: FaultJson['syscall'], errno: string, extra: Partial<FaultJson> = {}): FaultJson => ({ service: 'kvd', syscall, action: 'deny', errno: errno as FaultJson['errno'], ...extra });

  it('accepts the nth form and the file-aimed form of the same fault', () => {
    expect(isPlantedSet(kvd, [deny('write', 'EIO', { nth: 3 })])).toBe(true);
    expect(isPlantedSet(kvd, [deny('write', 'EIO', { nth: 1, path: '/tmp/faultbox-run-*/kvd-*/greeting.val' })])).toBe(true);
  });

  it('rejects a different occurrence, errno, target or an extra fault', () => {
    expect(isPlantedSet(kvd, [deny('write', 'EIO', { nth: 1 })])).toBe(false); // the reply's head, not the file
    expect(isPlantedSet(kvd, [deny('write', 'ENOSPC', { nth: 3 })])).toBe(false);
    expect(isPlantedSet(kvd, [deny('write', 'EIO', { nth: 1, path: '/tmp/faultbox-run-*/kvd.log' })])).toBe(false);
    expect(isPlantedSet(kvd, [deny('write', 'EIO', { nth: 3 }), deny('close', 'EIO', { nth: 1 })])).toBe(false);
  });

  it('takes json-server findings on its data files, not on a log file', () => {
    const js = loadTarget('json-server').root_causes[0]!;
    const f = (path?: string): FaultJson => ({ service: 'js', syscall: 'write', action: 'deny', errno: 'EIO', nth: 1, ...(path ? { path } : {}) });
    expect(isPlantedSet(js, [f('/tmp/faultbox-run-*/js-*/.~db.json')])).toBe(true);
    expect(isPlantedSet(js, [f('/tmp/faultbox-run-Lv9pnZ/js.log')])).toBe(false);
    expect(isPlantedSet(js, [{ service: 'js', syscall: 'accept', action: 'deny', errno: 'ECONNABORTED' }])).toBe(false);
    expect(PER_RUN_PATH.test('/tmp/faultbox-run-Lv9pnZ/js.log')).toBe(true);
    expect(PER_RUN_PATH.test('/tmp/faultbox-run-*/js-*/db.json')).toBe(false);
  });

  it('lists the simpler neighbours of a fault set', () => {
    expect(simplerNeighbours([deny('write', 'EIO', { nth: 3 })])).toEqual([[deny('write', 'EIO', { nth: 2 })]]);
    expect(simplerNeighbours([{ service: 'q', syscall: 'sendto', action: 'delay', delay_ms: 2000, nth: 1 }])).toEqual([[{ service: 'q', syscall: 'sendto', action: 'delay', delay_ms: 1000, nth: 1 }]]);
    const pair = [deny('connect', 'ECONNREFUSED', { nth: 1 }), deny('write', 'EIO', { nth: 1 })];
    expect(simplerNeighbours(pair)).toEqual([[pair[1]], [pair[0]]]);
  });
});
