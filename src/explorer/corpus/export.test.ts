import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { faultFromJson } from './fault-json.js';
import { describeCall, exportRegressions, renderRegression, specLoadPath, type ExportOptions } from './export.js';
import { failureGroup } from '../triage/failure-group.test-support.js';
import { makeCensus } from '../census/census.js';


const opts = (dir: string): ExportOptions => ({
  specFile: join(dir, 'faultbox.star'),
  exportDir: join(dir, 'regressions'),
  names: { services: { postgres: 'pg', api: 'api' }, scenarios: { write_data: 'write_data' } },
  faultboxVersion: '0.1.0',
  timeoutMsFor: () => 30_000,
});

describe('regression export', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fb-export-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('loads the spec by relative path and declares the minimal faults and a fault_scenario', () => {
    const text = renderRegression(failureGroup(), opts(dir));
    expect(text).toContain('load("../faultbox.star", "pg", "write_data")');
    expect(text).toContain(
      [
        'regression_3f9a0c12ab44_f1 = fault_assumption("regression_3f9a0c12ab44_f1",',
        '    target = pg,',
        '    write = deny("ENOSPC", nth=3),',
        ')',
      ].join('\n'),
    );
    expect(text).toContain(
      ['fault_scenario("regression_3f9a0c12ab44",', '    scenario = write_data,', '    faults = regression_3f9a0c12ab44_f1,', '    timeout = "30s",', '    warmup = True,', ')'].join('\n'),
    );
    expect(text).not.toContain('expect =');
  });

  it('loads each name from the file that defines it when the spec loads its services from another file', () => {
    const base = opts(dir);
    const text = renderRegression(failureGroup(), {
      ...base,
      specFile: join(dir, 'explore.star'),
      names: { ...base.names, files: { services: { postgres: join(dir, 'services.star') }, scenarios: {} } },
    });
    expect(text).toContain('load("../explore.star", "write_data")');
    expect(text).toContain('load("../services.star", "pg")');
  });

  it('carries its provenance in a comment header', () => {
    const text = renderRegression(failureGroup(), opts(dir));
    const header = text.split('\n').filter((l) => l.startsWith('#'));
    expect(header).toEqual(
      expect.arrayContaining([
        '#   id:         3f9a0c12ab44',
        '#   seed:       42',
        '#   path:       17',
        '#   reproduced: 5/5',
        '#   census:     abcdef0123456789',
        '#   faultbox:   0.1.0',
        '#   failure:    fail (assertion): expected 200, got 500',
        '#   replay:     faultbox replay corpus/3f9a0c12ab44.json',
      ]),
    );
    expect(renderRegression(failureGroup({ state: 'partial', reproduced: { k: 2, n: 5 } }), opts(dir))).toContain('#   reproduced: 2/5 (partial: not proven 1-minimal)');
  });

  it('composes several faults, with delays, after= and path=', () => {
    const text = renderRegression(
      failureGroup({
        faults: [
          faultFromJson({ service: 'api', syscall: 'connect', action: 'delay', delay_ms: 200, after: 2 }),
          faultFromJson({ service: 'postgres', syscall: 'write', action: 'deny', errno: 'EIO', nth: 1, path: '/var/lib/pg/wal/*' }),
        ],
      }),
      opts(dir),
    );
    expect(text).toContain('load("../faultbox.star", "api", "pg", "write_data")');
    expect(text).toContain('    connect = delay("200ms", after=2),');
    expect(text).toContain('    write = deny("EIO", nth=1, path="/var/lib/pg/wal/*"),');
    expect(text).toContain(
      'regression_3f9a0c12ab44_faults = fault_assumption("regression_3f9a0c12ab44_faults", faults = [regression_3f9a0c12ab44_f1, regression_3f9a0c12ab44_f2])',
    );
    expect(text).toContain('    faults = regression_3f9a0c12ab44_faults,');
  });

  it('needs a global name for every service and scenario it loads', () => {
    const o = opts(dir);
    expect(() => renderRegression(failureGroup({ scenario: 'write-data' }), { ...o, names: { services: o.names.services, scenarios: {} } })).toThrow(
      /no global name known for scenario "write-data"/,
    );
    // A valid identifier falls back to itself.
    expect(renderRegression(failureGroup({ faults: [faultFromJson({ service: 'cache', syscall: 'read', action: 'deny', errno: 'EIO' })] }), o)).toContain('target = cache,');
  });

  it('writes one file per confirmed group and none for flaky or untriaged ones', async () => {
    const written = await exportRegressions([failureGroup(), failureGroup({ id: 'flaky0000001', state: 'flaky' }), failureGroup({ id: 'untriaged001', state: 'untriaged' })], opts(dir));
    expect([...written.keys()]).toEqual(['3f9a0c12ab44']);
    const file = written.get('3f9a0c12ab44')!;
    expect(file).toBe(join(dir, 'regressions', 'write_data_3f9a0c12ab44.star'));
    expect(await readFile(file, 'utf8')).toBe(renderRegression(failureGroup(), opts(dir)));
  });

  it('computes load() paths relative to the export directory', () => {
    expect(specLoadPath('/w/regressions', '/w/faultbox.star')).toBe('../faultbox.star');
    expect(specLoadPath('/w', '/w/faultbox.star')).toBe('./faultbox.star');
    expect(specLoadPath('/w/a/b', '/w/specs/x.star')).toBe('../../specs/x.star');
  });

  it('says which recorded call a fault hits', () => {
    const census = makeCensus({
      specHash: 'h',
      faultboxVersion: 'v',
      families: ['write'],
      scenarios: {
        s: {
          durationMs: 1,
          services: {
            db: {
              write: {
                count: 3,
                sites: [
                  { key: 'file:/wal/*', kind: 'file', glob: '/wal/*', count: 2, occurrences: [1, 3] },
                  { key: 'socket→10.0.0.1:9', kind: 'socket', count: 1, occurrences: [2] },
                ],
              },
            },
          },
        },
      },
    });
    const f = faultFromJson({ service: 'db', syscall: 'write', action: 'deny', errno: 'EIO' });
    expect(describeCall(census, 's', { ...f, trigger: { nth: 2 } })).toBe('2nd write of db, to socket→10.0.0.1:9');
    expect(describeCall(census, 's', { ...f, trigger: { nth: 3 } })).toBe('3rd write of db, to file:/wal/*');
    expect(describeCall(census, 's', { ...f, trigger: { after: 1 } })).toBe('write of db: from call 2 of 3');
    expect(describeCall(census, 's', f)).toBe('write of db: all 3 calls');
  });
});
