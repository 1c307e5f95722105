import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SyscallEvent, TraceEvent } from '../../spec/events.js';
import { buildScenarioCensus, censusFile, censusTotals, ensureCensus, isFresh, loadCensus, makeCensus, saveCensus } from './census.js';
import { SpecError } from '../../errors.js';
import type { RecordResult, ScenarioRunner } from '../runner/runner.js';
import { SimulatedRunner } from '../runner/simulated-runner.js';

let seq = 0;
function sc(service: string, syscall: SyscallEvent['syscall'], path?: string, peer?: string): SyscallEvent {
  seq++;
  return { type: 'syscall', seq, tsMs: seq, service, pid: 1, syscall, decision: 'trace', ...(path ? { path } : {}), ...(peer ? { peer } : {}) };
}

function recording(events: TraceEvent[], fromSeq: number, toSeq: number): RecordResult {
  return { verdict: { kind: 'pass', fired: {}, excerpt: [], durationMs: 12 }, events, bodyWindow: { fromSeq, toSeq } };
}

const FAMS = ['write', 'read', 'connect', 'fsync', 'open'];

describe('building a census', () => {
  beforeEach(() => {
    seq = 0;
  });

  it('counts calls per service and family inside the scenario body only', () => {
    const events = [
      sc('db', 'write', '/data/boot.log'), // startup, before the body
      sc('db', 'write', '/data/wal/0001.log'),
      sc('db', 'pwrite64', '/data/base/16384/2619'),
      sc('db', 'writev', '/data/wal/0001.log'),
      sc('api', 'connect', undefined, '127.0.0.1:5432'),
      sc('db', 'fsync', '/data/wal/0001.log'),
      sc('db', 'getrandom' as SyscallEvent['syscall']), // not a trappable syscall: ignored
      sc('db', 'write', '/data/shutdown.log'), // after the body
    ];
    const c = buildScenarioCensus(recording(events, 2, 7), FAMS);
    expect(Object.keys(c.services)).toEqual(['api', 'db']);
    expect(c.services.db!.write!.count).toBe(3);
    expect(c.services.db!.fsync!.count).toBe(1);
    expect(c.services.api!.connect!.count).toBe(1);
    expect(c.services.api!.connect!.sites).toEqual([{ key: 'peer:*:5432', kind: 'peer', peerGlob: '*:5432', count: 1, occurrences: [1] }]);
    expect(c.services.db!.write!.sites).toEqual([
      { key: 'file:/data/wal/*.log', kind: 'file', glob: '/data/wal/*.log', count: 2, occurrences: [1, 3] },
      { key: 'file:/data/base/16384/*', kind: 'file', glob: '/data/base/16384/*', count: 1, occurrences: [2] },
    ]);
    expect(c.durationMs).toBe(12);
  });

  it('records sites under a run-specific directory with a glob that matches it in any run', () => {
    const dir = '/tmp/faultbox-run-AbC123/kv-1';
    const events = [sc('kv', 'write', `${dir}/data/greeting.val`), sc('kv', 'writev', 'socket:[7]')];
    const rec = { ...recording(events, 1, 2), volatileDirs: [{ dir, glob: '/tmp/faultbox-run-*/kv-*' }] };
    const c = buildScenarioCensus(rec, ['write']);
    expect(c.services.kv!.write!.sites[0]).toEqual({
      key: 'file:/tmp/faultbox-run-*/kv-*/data/greeting.val',
      kind: 'file',
      glob: '/tmp/faultbox-run-*/kv-*/data/greeting.val',
      count: 1,
      occurrences: [1],
    });
    // The same recording from another run gives the same census.
    const other = '/tmp/faultbox-run-zz9Q01/kv-4';
    const again = buildScenarioCensus(
      { ...recording([sc('kv', 'write', `${other}/data/greeting.val`), sc('kv', 'writev', 'socket:[9]')], 3, 4), volatileDirs: [{ dir: other, glob: '/tmp/faultbox-run-*/kv-*' }] },
      ['write'],
    );
    expect(again.services).toEqual(c.services);
  });

  it('leaves the runtime\'s own descriptors out, as path-less rules do at run time', () => {
    const events = [
      sc('api', 'write', 'anon_inode:[eventfd]'),
      sc('api', 'write', 'socket:[12]'),
      sc('api', 'read', 'anon_inode:[eventfd]'),
      sc('api', 'write', 'anon_inode:[eventfd]'),
      sc('api', 'write', '/data/x.log'),
      // pwrite64 on such an fd fails by itself (ESPIPE); it is not skipped
      sc('api', 'pwrite64', 'anon_inode:[eventfd]'),
    ];
    const c = buildScenarioCensus(recording(events, 1, 6), ['write', 'read']);
    // write nth=2 is the file write: the eventfd writes around it are not occurrences.
    expect(c.services.api!.write!.count).toBe(3);
    expect(c.services.api!.write!.sites.map((s) => s.key)).toEqual(['socket', 'file:/data/x.log', 'anon:eventfd']);
    expect(c.services.api!.read).toBeUndefined();
  });

  it('gives each peer of a connecting service its site, counted by the peer glob', () => {
    const events = [
      sc('api', 'connect', '127.0.0.11:53', '127.0.0.11:53'), // DNS lookup
      sc('api', 'connect', '172.30.0.4:6379', '172.30.0.4:6379'),
      sc('api', 'connect', '127.0.0.11:53', '127.0.0.11:53'),
      sc('api', 'connect', '172.30.0.3:5432', '172.30.0.3:5432'),
      sc('api', 'connect', '172.30.0.9:6379', '172.30.0.9:6379'), // Redis again, another address
    ];
    const c = buildScenarioCensus(recording(events, 1, 5), ['connect']);
    expect(c.services.api!.connect!.sites.map((s) => [s.key, s.peerGlob, s.occurrences])).toEqual([
      ['peer:*:53', '*:53', [1, 3]],
      ['peer:*:6379', '*:6379', [2, 5]],
      ['peer:*:5432', '*:5432', [4]],
    ]);
  });

  it('leaves out families that were not asked for', () => {
    const c = buildScenarioCensus(recording([sc('db', 'write', '/x'), sc('db', 'read', '/x')], 1, 2), ['read']);
    expect(Object.keys(c.services.db!)).toEqual(['read']);
  });

  it('counts every call a file glob matches, as the runtime would', () => {
    const events = [sc('db', 'write', '/d/seg1.dat'), sc('db', 'write', '/d/segA.dat'), sc('db', 'write', '/d/seg22.dat')];
    const c = buildScenarioCensus(recording(events, 1, 3), ['write']);
    const site = c.services.db!.write!.sites.find((s) => s.glob === '/d/seg*.dat')!;
    // `/d/segA.dat` is its own site, but the glob `/d/seg*.dat` matches it too.
    expect(site.occurrences).toEqual([1, 2, 3]);
  });

  it('hashes content, not key order or timing', () => {
    const a = buildScenarioCensus(recording([sc('db', 'write', '/x'), sc('api', 'read', 'pipe:[1]')], 1, 2), FAMS);
    const b = { ...a, durationMs: 999 };
    const h1 = makeCensus({ specHash: 's', faultboxVersion: 'v', families: FAMS, scenarios: { one: a } });
    const h2 = makeCensus({ specHash: 's', faultboxVersion: 'v', families: [...FAMS].reverse(), scenarios: { one: b } });
    expect(h2.hash).toBe(h1.hash);
    const other = makeCensus({ specHash: 's', faultboxVersion: 'v', families: FAMS, scenarios: { two: a } });
    expect(other.hash).not.toBe(h1.hash);
    expect(censusTotals(h1)).toEqual({ api: { read: 1 }, db: { write: 1 } });
  });
});

describe('census files', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fb-census-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const census = () =>
    makeCensus({
      specHash: 'abc',
      faultboxVersion: '0.1.0',
      families: ['write'],
      scenarios: { s: buildScenarioCensus(recording([sc('db', 'write', '/x')], 1, 99), ['write']) },
    });

  it('round-trips through .faultbox/census-<spechash>.json', async () => {
    const c = census();
    const file = await saveCensus(dir, c);
    expect(file).toBe(censusFile(dir, 'abc'));
    expect(file.endsWith('census-abc.json')).toBe(true);
    expect(await loadCensus(file)).toEqual(c);
    expect(await loadCensus(join(dir, 'missing.json'))).toBeUndefined();
  });

  it('rejects a hand-edited census with a message naming the file', async () => {
    const file = await saveCensus(dir, census());
    const data = JSON.parse(await readFile(file, 'utf8'));
    data.scenarios.s.services.db.write.count = 7;
    await writeFile(file, JSON.stringify(data));
    await expect(loadCensus(file)).rejects.toThrow(`${file}: census hash does not match`);
    await writeFile(file, '{nope');
    await expect(loadCensus(file)).rejects.toThrow(/not valid JSON/);
  });

  it('treats a census of an older format as stale (recorded again), not as an error', async () => {
    const file = await saveCensus(dir, census());
    const data = JSON.parse(await readFile(file, 'utf8'));
    data.format = 1;
    await writeFile(file, JSON.stringify(data));
    expect(await loadCensus(file)).toBeUndefined();
    data.format = 99;
    await writeFile(file, JSON.stringify(data));
    await expect(loadCensus(file)).rejects.toThrow(/not a census of format 5/);
  });

  it('is fresh only for the same spec hash and version, covering the scenarios and families wanted', () => {
    const c = census();
    const want = { specHash: 'abc', faultboxVersion: '0.1.0', scenarios: ['s'], families: ['write'] };
    expect(isFresh(c, want)).toBe(true);
    expect(isFresh(c, { ...want, specHash: 'abd' })).toBe(false);
    expect(isFresh(c, { ...want, faultboxVersion: '0.2.0' })).toBe(false);
    expect(isFresh(c, { ...want, scenarios: ['s', 't'] })).toBe(false);
    expect(isFresh(c, { ...want, families: ['write', 'read'] })).toBe(false);
  });

  it('records only when no fresh census exists', async () => {
    const runner = new SimulatedRunner({ scenarios: { s: [{ service: 'db', syscall: 'write', path: '/x' }] } });
    const want = { specHash: 'h1', faultboxVersion: '0.1.0', scenarios: ['s'], families: ['write'] };
    const signal = new AbortController().signal;
    const first = await ensureCensus({ runner, stateDir: dir, want, signal });
    expect(first.recorded).toBe(true);
    const second = await ensureCensus({ runner, stateDir: dir, want, signal });
    expect(second.recorded).toBe(false);
    expect(second.census).toEqual(first.census);
    expect(runner.records).toEqual(['s']);
    const third = await ensureCensus({ runner, stateDir: dir, want: { ...want, specHash: 'h2' }, signal });
    expect(third.recorded).toBe(true);
    expect(runner.records).toEqual(['s', 's']);
  });

  it('refuses to explore a scenario that fails without faults', async () => {
    const runner: ScenarioRunner = {
      record: async () => ({
        verdict: { kind: 'fail', reason: 'assertion', message: 'expected 200, got 503', fired: {}, excerpt: [], durationMs: 1 },
        events: [],
        bodyWindow: { fromSeq: 0, toSeq: 0 },
      }),
      runCase: async () => {
        throw new Error('unused');
      },
      ensureHealthy: async () => ({ restarted: [] }),
      close: async () => {},
    };
    const err = await ensureCensus({
      runner,
      stateDir: dir,
      want: { specHash: 'h', faultboxVersion: 'v', scenarios: ['checkout'], families: ['write'] },
      signal: new AbortController().signal,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SpecError);
    expect((err as Error).message).toMatch(/scenario checkout fails without any fault \(fail: expected 200, got 503\)/);
  });
});
