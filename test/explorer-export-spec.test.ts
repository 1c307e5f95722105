// An exported regression is a valid spec: it loads (with the original spec it load()s) and
// declares a fault_scenario whose rules are exactly the minimal faults.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { faultFromJson } from '../src/explorer/corpus/fault-json.js';
import { exportRegressions } from '../src/explorer/corpus/export.js';
import { faultSetToRules } from '../src/explorer/faults.js';
import { failureGroup } from '../src/explorer/triage/failure-group.test-support.js';
import { loadSpec } from '../src/spec/index.js';

const SPEC = resolve('test/fixtures/spec/container-demo/faultbox.star');

const group = failureGroup({
  id: '0123456789ab',
  faults: [
    faultFromJson({ service: 'api', syscall: 'connect', action: 'delay', delay_ms: 1000, after: 2, peer: '*:6379' }),
    faultFromJson({ service: 'postgres', syscall: 'write', action: 'deny', errno: 'ENOSPC', nth: 3, path: '/var/lib/postgresql/data/pg_wal/*' }),
  ],
  rawHits: 1,
  runs: { confirm: 3, shrink: 7, reproduce: 5 },
});

describe('exported regressions load as specs', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fb-regression-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('declares test_regression_<id> with exactly the minimal fault rules and the case timeout', async () => {
    const written = await exportRegressions([group], {
      specFile: SPEC,
      exportDir: join(dir, 'regressions'),
      names: { services: { postgres: 'postgres', api: 'api' }, scenarios: { write_data: 'write_data' } },
      faultboxVersion: '0.1.0',
      timeoutMsFor: () => 30_000,
    });
    const file = written.get(group.id)!;
    const spec = loadSpec(file, { print: () => {} });
    const test = spec.model.tests.find((t) => t.name === `test_regression_${group.id}`);
    expect(test).toBeDefined();
    expect(test!.kind).toBe('fault_scenario');
    expect(test!.scenario).toBe('write_data');
    expect(test!.timeoutMs).toBe(30_000);
    const strip = (r: { service: string; syscalls: readonly string[]; action: unknown; trigger: unknown; pathGlob?: string; peerGlob?: string }) => ({
      service: r.service,
      syscalls: r.syscalls,
      action: r.action,
      trigger: r.trigger,
      pathGlob: r.pathGlob,
      peerGlob: r.peerGlob,
    });
    const byService = (a: { service: string }, b: { service: string }) => (a.service < b.service ? -1 : 1);
    expect(test!.faults.map(strip).sort(byService)).toEqual(faultSetToRules(group.faults).map(strip).sort(byService));
    expect(test!.faults.find((r) => r.service === 'api')!.peerGlob).toBe('*:6379');
  });
});
