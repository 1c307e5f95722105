import { describe, expect, it } from 'vitest';
import { encodeFault, faultFromJson } from '../corpus/fault-json.js';
import type { SyscallEvent } from '../../spec/events.js';
import { FAMILIES } from '../../spec/syscall-families.js';
import type { Census } from '../census/census.js';
import { censusOfEvents } from '../census/census.test-support.js';
import { enumerateSingles } from './generate.js';
import { buildFaultSpace, faultAt, resolveSpaceSettings, shrinkDomainFor, triggersFor } from './space.js';

function census(): Census {
  let seq = 0;
  const ev = (service: string, syscall: SyscallEvent['syscall'], path?: string, peer?: string): SyscallEvent => ({
    type: 'syscall',
    seq: ++seq,
    tsMs: seq,
    service,
    pid: 1,
    syscall,
    decision: 'trace',
    ...(path ? { path } : {}),
    ...(peer ? { peer } : {}),
  });
  const events = [
    ev('api', 'connect', undefined, '10.0.0.2:5432'),
    ev('db', 'write', '/wal/0001.log'),
    ev('db', 'write', '/base/7'),
    ev('db', 'write', '/wal/0001.log'),
    ev('db', 'fsync', '/wal/0001.log'),
    ev('db', 'read', 'socket:[9]'),
  ];
  return censusOfEvents(events);
}

describe('space settings', () => {
  it('default to every family with its own errno order, delays up to 5 s, 3 faults', () => {
    const s = resolveSpaceSettings(undefined);
    expect(s.families).toEqual(FAMILIES.map((f) => f.name));
    expect(s.errnos.write).toEqual(FAMILIES.find((f) => f.name === 'write')!.errnos);
    expect(s.delayLadderMs).toEqual([100, 500, 1000, 2000, 5000]);
    expect(s.maxFaults).toBe(3);
  });

  it('take the spec explore() config, with CLI options winning field by field', () => {
    const spec = { families: ['openat', 'write'], errnos: { write: ['ENOSPC', 'EIO'] as const }, maxDelayMs: 1500, maxFaults: 2 };
    const s = resolveSpaceSettings(spec as never);
    expect(s.families).toEqual(['open', 'write']); // openat is the open family
    expect(s.errnos.write).toEqual(['ENOSPC', 'EIO']);
    expect(s.delayLadderMs).toEqual([100, 500, 1000, 1500]);
    expect(s.maxFaults).toBe(2);
    const cli = resolveSpaceSettings(spec as never, { families: ['write'], errnos: ['EIO'], maxDelayMs: 0, maxFaults: 1, services: ['db'] });
    expect(cli.families).toEqual(['write']);
    expect(cli.errnos.write).toEqual(['EIO']);
    expect(cli.delayLadderMs).toEqual([]);
    expect(cli.maxFaults).toBe(1);
    expect(cli.services).toEqual(['db']);
    expect(resolveSpaceSettings(undefined, { delays: false }).delayLadderMs).toEqual([]);
  });

  it('name the offending value in errors', () => {
    expect(() => resolveSpaceSettings(undefined, { families: ['wrte'] })).toThrow(/--families: unknown syscall family "wrte"; expected one of write, read/);
    expect(() => resolveSpaceSettings({ errnos: { write: ['ENOPE' as never] } })).toThrow(/explore\(errnos=\) for write: unknown errno "ENOPE"/);
    expect(() => resolveSpaceSettings(undefined, { maxFaults: 0 })).toThrow(/max faults must be an integer >= 1, got 0/);
    expect(() => buildFaultSpace(census(), ['s'], resolveSpaceSettings(undefined, { services: ['cache'] }))).toThrow(
      /service "cache" made no recorded syscalls in any scenario \(known: api, db\)/,
    );
    expect(() => buildFaultSpace(census(), ['nope'], resolveSpaceSettings(undefined))).toThrow(/scenario "nope" is not in the census/);
  });
});

describe('the fault space', () => {
  it('orders triggers nth=1, always, nth=2, after=1, ...', () => {
    // always differs from nth=1 even for one recorded call: it also faults the retries.
    expect(triggersFor(1)).toEqual([{ kind: 'nth', n: 1 }, { kind: 'always' }]);
    expect(triggersFor(3)).toEqual([
      { kind: 'nth', n: 1 },
      { kind: 'always' },
      { kind: 'nth', n: 2 },
      { kind: 'after', n: 1 },
      { kind: 'nth', n: 3 },
      { kind: 'after', n: 2 },
    ]);
  });

  it('has a family target per observed (service, family) and a path target per partial file site', () => {
    const space = buildFaultSpace(census(), ['s'], resolveSpaceSettings(undefined, { maxDelayMs: 1000 }));
    const targets = space.scenarios[0]!.targets.map((t) => [t.service, t.family, t.pathGlob ?? '*', t.count, t.actions.some((a) => a.kind === 'deny' && (a.errno === 'EINTR' || a.errno === 'EAGAIN')) ? 'transient' : 'lasting']);
    // Transient errnos (EINTR, EAGAIN) of a target form a target of their own, with nth triggers
    // only; regular files never return them, so the db's file writes get none.
    expect(targets).toEqual([
      ['api', 'connect', '*', 1, 'lasting'],
      ['api', 'connect', '*', 1, 'transient'],
      ['db', 'write', '*', 3, 'lasting'],
      ['db', 'write', '/wal/*.log', 2, 'lasting'],
      ['db', 'write', '/base/*', 1, 'lasting'],
      ['db', 'read', '*', 1, 'lasting'],
      ['db', 'read', '*', 1, 'transient'],
      ['db', 'fsync', '*', 1, 'lasting'], // its one site covers every call: no separate path target
    ]);
    for (const t of space.scenarios[0]!.targets) {
      const transient = t.actions.filter((a) => a.kind === 'deny' && (a.errno === 'EINTR' || a.errno === 'EAGAIN'));
      if (transient.length > 0) {
        expect(transient).toEqual(t.actions);
        expect(t.triggers.every((tr) => tr.kind === 'nth')).toBe(true);
      }
    }
  });

  it('only generates faults that name an observed target, a real errno of the family and an nth within the count', () => {
    const c = census();
    const space = buildFaultSpace(c, ['s'], resolveSpaceSettings(undefined, { maxDelayMs: 2000 }));
    const singles = [...enumerateSingles(space.scenarios[0]!)].map(encodeFault);
    expect(singles.length).toBe(space.scenarios[0]!.singles);
    for (const f of singles) {
      const fc = c.scenarios.s!.services[f.service]![f.syscall]!;
      expect(fc).toBeDefined();
      const count = f.path ? fc.sites.find((x) => x.glob === f.path)!.count : fc.count;
      if (f.nth !== undefined) expect(f.nth).toBeLessThanOrEqual(count);
      if (f.after !== undefined) expect(f.after).toBeLessThan(count);
      if (f.action === 'deny') expect(FAMILIES.find((x) => x.name === f.syscall)!.errnos).toContain(f.errno);
      else expect(f.delay_ms).toBeLessThanOrEqual(2000);
    }
  });

  it('aims connect faults at one peer when the service connects to several', () => {
    const ev = (seq: number, peer: string): SyscallEvent => ({ type: 'syscall', seq, tsMs: seq, service: 'api', pid: 1, syscall: 'connect', decision: 'trace', path: peer, peer });
    const events = [ev(1, '127.0.0.11:53'), ev(2, '172.30.0.4:6379'), ev(3, '127.0.0.11:53'), ev(4, '172.30.0.3:5432')];
    const c = censusOfEvents(events, ['connect']);
    const space = buildFaultSpace(c, ['s'], resolveSpaceSettings(undefined, { families: ['connect'], errnos: ['ECONNREFUSED'], delays: false }));
    const targets = space.scenarios[0]!.targets.map((t) => [t.peerGlob ?? '*', t.count]);
    expect(targets).toEqual([['*', 4], ['*:53', 2], ['*:6379', 1], ['*:5432', 1]]);
    const redis = space.scenarios[0]!.targets.find((t) => t.peerGlob === '*:6379')!;
    expect(faultAt(redis, 0, 0)).toEqual(faultFromJson({ service: 'api', syscall: 'connect', action: 'deny', errno: 'ECONNREFUSED', nth: 1, peer: '*:6379' }));
    // The shrinker can still re-address it at family level: the 2nd connect of the service.
    const domain = shrinkDomainFor(c, space, 's');
    expect(domain.familyOccurrence(faultAt(redis, 0, 0), 1)).toBe(2);
    expect(domain.countFor(faultAt(redis, 0, 0))).toBe(1);
  });

  it('generates only errnos the hit call can return: file errnos on file writes, socket errnos by nth on socket writes', () => {
    const ev = (seq: number, path: string): SyscallEvent => ({ type: 'syscall', seq, tsMs: seq, service: 'kv', pid: 1, syscall: 'write', decision: 'trace', path });
    // write 1 and 3 go to a file, write 2 to a client socket.
    const events = [ev(1, '/data/db.json'), ev(2, 'socket:[77]'), ev(3, '/data/db.json')];
    const c = censusOfEvents(events, ['write']);
    const space = buildFaultSpace(c, ['s'], resolveSpaceSettings(undefined, { families: ['write'], delays: false }));
    const singles = [...enumerateSingles(space.scenarios[0]!)].map(encodeFault);
    const denies = (pred: (f: (typeof singles)[number]) => boolean) => [...new Set(singles.filter(pred).map((f) => f.errno))].sort();
    // No errno fits both a file and a socket: every family-wide deny names one call of its class.
    expect(singles.filter((f) => f.path === undefined && f.nth === undefined)).toEqual([]);
    expect(denies((f) => f.path === undefined && f.nth === 2)).toEqual(['EAGAIN', 'EINTR', 'EPIPE']);
    expect(denies((f) => f.path === undefined && (f.nth === 1 || f.nth === 3))).toEqual(['EDQUOT', 'EFBIG', 'EIO', 'ENOSPC', 'EROFS']);
    expect(denies((f) => f.path !== undefined)).toEqual(['EDQUOT', 'EFBIG', 'EIO', 'ENOSPC', 'EROFS']);
    // The shrinker never moves a socket errno onto a file write (or a file errno onto the socket).
    const d = shrinkDomainFor(c, space, 's');
    expect(d.fits!(faultFromJson({ service: 'kv', syscall: 'write', action: 'deny', errno: 'EPIPE', nth: 2 }))).toBe(true);
    expect(d.fits!(faultFromJson({ service: 'kv', syscall: 'write', action: 'deny', errno: 'EPIPE', nth: 1 }))).toBe(false);
    expect(d.fits!(faultFromJson({ service: 'kv', syscall: 'write', action: 'deny', errno: 'EIO', after: 1 }))).toBe(false);
    expect(d.fits!(faultFromJson({ service: 'kv', syscall: 'write', action: 'deny', errno: 'EIO', after: 2 }))).toBe(true);
    // Errnos the user listed are tried on every call, as asked.
    const asked = buildFaultSpace(c, ['s'], resolveSpaceSettings({ errnos: { write: ['EIO'] } }, { families: ['write'], delays: false }));
    expect([...enumerateSingles(asked.scenarios[0]!)].map(encodeFault).filter((f) => f.path === undefined).map((f) => f.nth ?? (f.after !== undefined ? `after=${f.after}` : 'always'))).toEqual([
      1, 'always', 2, 'after=1', 3, 'after=2',
    ]);
    expect(shrinkDomainFor(c, asked, 's').fits!(faultFromJson({ service: 'kv', syscall: 'write', action: 'deny', errno: 'EIO', nth: 2 }))).toBe(true);
  });

  it('adds crash points only when asked: before each persistence call of each file site, plain then with lost writes', () => {
    const without = buildFaultSpace(census(), ['s'], resolveSpaceSettings(undefined, {}));
    expect(without.scenarios[0]!.targets.some((t) => t.actions.some((a) => a.kind === 'crash'))).toBe(false);
    const space = buildFaultSpace(census(), ['s'], resolveSpaceSettings({ crashes: true }, {}));
    const crashTargets = space.scenarios[0]!.targets.filter((t) => t.actions.some((a) => a.kind === 'crash'));
    // Sockets, reads and connects are no persistence points; every file site of write and fsync is.
    expect(crashTargets.map((t) => [t.service, t.family, t.pathGlob, t.triggers.map((x) => x.kind === 'nth' && x.n)])).toEqual([
      ['db', 'write', '/wal/*.log', [1, 2]],
      ['db', 'write', '/base/*', [1]],
      ['db', 'fsync', '/wal/*.log', [1]],
    ]);
    for (const t of crashTargets) expect(t.actions).toEqual([{ kind: 'crash', loseUnsynced: false }, { kind: 'crash', loseUnsynced: true }]);
    expect(faultAt(crashTargets[0]!, 1, 1)).toEqual(faultFromJson({ service: 'db', syscall: 'write', action: 'crash', lose_unsynced: true, nth: 2, path: '/wal/*.log' }));
    expect(faultAt(crashTargets[0]!, 0, 0)).toEqual(faultFromJson({ service: 'db', syscall: 'write', action: 'crash', nth: 1, path: '/wal/*.log' }));
    // --crashes on the command line turns them on over a spec that says nothing.
    expect(resolveSpaceSettings(undefined, { crashes: true }).crashes).toBe(true);
    expect(resolveSpaceSettings({ crashes: true }, { crashes: false }).crashes).toBeUndefined();
  });

  it('narrows by services and families', () => {
    const space = buildFaultSpace(census(), ['s'], resolveSpaceSettings({ services: ['db'] }, { families: ['fsync', 'connect'] }));
    expect(space.scenarios[0]!.targets.map((t) => `${t.service}.${t.family}`)).toEqual(['db.fsync']);
  });

  it('maps (target, trigger, action) indices to concrete faults', () => {
    const space = buildFaultSpace(census(), ['s'], resolveSpaceSettings(undefined));
    const wal = space.scenarios[0]!.targets[3]!;
    expect(faultAt(wal, 0, 0)).toEqual(faultFromJson({ service: 'db', syscall: 'write', action: 'deny', errno: 'EIO', nth: 1, path: '/wal/*.log' }));
    expect(faultAt(wal, 1, wal.actions.length - 1)).toEqual(faultFromJson({ service: 'db', syscall: 'write', action: 'delay', delay_ms: 5000, path: '/wal/*.log' }));
    expect(faultAt(wal, 3, 1)).toEqual(faultFromJson({ service: 'db', syscall: 'write', action: 'deny', errno: 'ENOSPC', after: 1, path: '/wal/*.log' }));
  });

  it('gives the shrinker recorded counts and family-level occurrences of path targets', () => {
    const c = census();
    const space = buildFaultSpace(c, ['s'], resolveSpaceSettings(undefined));
    const d = shrinkDomainFor(c, space, 's');
    const wal = faultFromJson({ service: 'db', syscall: 'write', action: 'deny', errno: 'EIO', path: '/wal/*.log' });
    expect(d.countFor(wal)).toBe(2);
    expect(d.countFor({ ...wal, pathGlob: undefined })).toBe(3);
    expect(d.familyOccurrence(wal, 2)).toBe(3);
    expect(d.familyOccurrence({ ...wal, pathGlob: '/other/*' }, 1)).toBeUndefined();
    expect(d.errnos('write')[0]).toBe('EIO');
  });
});

describe('transient errnos on non-blocking descriptors', () => {
  function censusOf(reads: readonly { path: string; nonblocking?: boolean }[]): Census {
    const events: SyscallEvent[] = reads.map((r, i) => ({
      type: 'syscall',
      seq: i + 1,
      tsMs: i + 1,
      service: 'api',
      pid: 1,
      syscall: 'read',
      decision: 'trace',
      path: r.path,
      ...(r.nonblocking ? { nonblocking: true } : {}),
    }));
    return censusOfEvents(events);
  }
  /** The single faults of the space, as "errno@nth" (or "errno@always" / "errno@after=k"). */
  function readSingles(c: Census): string[] {
    const space = buildFaultSpace(c, ['s'], resolveSpaceSettings(undefined, { delays: false }));
    return [...enumerateSingles(space.scenarios[0]!)].map(encodeFault).map((f) => `${f.errno}@${f.nth ?? (f.after !== undefined ? `after=${f.after}` : 'always')}`);
  }

  it('are never generated for calls on a non-blocking socket: a readiness edge would never follow', () => {
    const c = censusOf([{ path: 'socket:[4]', nonblocking: true }, { path: 'socket:[4]', nonblocking: true }]);
    expect(c.scenarios.s!.services.api!.read!.nonblocking).toEqual([1, 2]);
    const singles = readSingles(c);
    expect(singles).toContain('ECONNRESET@1');
    expect(singles.filter((s) => s.startsWith('EAGAIN') || s.startsWith('EINTR'))).toEqual([]);
  });

  it('stay for blocking sockets, aimed by nth at the blocking calls only when the two are mixed', () => {
    expect(readSingles(censusOf([{ path: 'socket:[4]' }, { path: 'socket:[4]' }]))).toEqual(expect.arrayContaining(['EAGAIN@1', 'EINTR@2']));
    const mixed = readSingles(censusOf([{ path: 'socket:[4]', nonblocking: true }, { path: 'socket:[5]' }]));
    expect(mixed.filter((s) => s.startsWith('EAGAIN') || s.startsWith('EINTR')).sort()).toEqual(['EAGAIN@2', 'EINTR@2']);
    expect(mixed).toContain('ECONNRESET@1');
  });

  it('make the shrinker refuse them on a non-blocking call', () => {
    const c = censusOf([{ path: 'socket:[4]', nonblocking: true }, { path: 'socket:[5]' }]);
    const space = buildFaultSpace(c, ['s'], resolveSpaceSettings(undefined));
    const domain = shrinkDomainFor(c, space, 's');
    expect(domain.fits!(faultFromJson({ service: 'api', syscall: 'read', action: 'deny', errno: 'EAGAIN', nth: 1 }))).toBe(false);
    expect(domain.fits!(faultFromJson({ service: 'api', syscall: 'read', action: 'deny', errno: 'EAGAIN', nth: 2 }))).toBe(true);
    expect(domain.fits!(faultFromJson({ service: 'api', syscall: 'read', action: 'deny', errno: 'ECONNRESET', nth: 1 }))).toBe(true);
  });
});
