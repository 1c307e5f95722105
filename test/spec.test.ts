// The spec layer end to end through the real Starlark interpreter, with a RecordingHost in place
// of the runtime: loading specs into the model, running bodies, and the errors users see.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadSpec, matchTests, type LoadedSpec } from '../src/spec/index.js';
import { RecordingHost, OK_RESPONSE } from '../src/spec/recording-host.js';
import type { StepRequest, StepResponse } from '../src/spec/host.js';
import type { TraceEvent } from '../src/spec/events.js';
import { SpecError, UsageError } from '../src/errors.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const DEMO = resolve(HERE, 'fixtures/spec/container-demo/faultbox.star');
const SEED = resolve(HERE, 'fixtures/spec/container-demo-seed/faultbox.star');

const tmp = mkdtempSync(join(tmpdir(), 'faultbox-spec-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let counter = 0;

/** Writes a spec (and any side files) into a fresh directory; returns the spec's path. */
function specFile(source: string, files: Record<string, string> = {}): string {
  const dir = join(tmp, `case-${++counter}`);
  mkdirSync(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  const path = join(dir, 'faultbox.star');
  writeFileSync(path, source);
  return path;
}

function loadError(source: string, files: Record<string, string> = {}): SpecError {
  const path = specFile(source, files);
  try {
    loadSpec(path, { print: () => {} });
  } catch (e) {
    if (e instanceof SpecError) return e;
    throw e;
  }
  throw new Error('expected the spec to fail to load');
}

const respond = (status: number, body = ''): ((req: StepRequest) => StepResponse) => () => ({
  ...OK_RESPONSE, status, body, ok: status > 0,
});

const TOPOLOGY = `
db = service("db", interface("main", "postgres", 5432), image="faultbox-local/postgres:16")
cache = service("cache", interface("main", "redis", 6379), image="faultbox-local/redis:7")
web = service("web", "./bin/web", interface("http", "http", 8080), seccomp=False)
`;

describe('container demo (tutorial chapter 9)', () => {
  const spec = loadSpec(DEMO, { print: () => {} });
  const m = spec.model;

  it('declares the services in order, with sources, interfaces, env and dependencies', () => {
    expect(m.file).toBe(DEMO);
    expect(m.services.map((s) => s.name)).toEqual(['postgres', 'redis', 'api']);
    const [pg, redis, api] = m.services;
    expect(pg.source).toEqual({ kind: 'image', ref: 'faultbox-local/postgres:16' });
    expect(pg.interfaces).toEqual([{ name: 'main', protocol: 'tcp', port: 5432 }]);
    expect(pg.env).toEqual({ POSTGRES_PASSWORD: 'test', POSTGRES_DB: 'testdb' });
    expect(pg.healthcheck).toEqual({ kind: 'tcp', addr: 'localhost:5432', timeoutMs: 60_000 });
    expect(redis.healthcheck).toEqual({ kind: 'tcp', addr: 'localhost:6379', timeoutMs: 30_000 });
    expect(api.env.DATABASE_URL).toBe('postgres://postgres:test@postgres:5432/testdb?sslmode=disable');
    expect(api.env.REDIS_ADDR).toBe('redis:6379');
    expect(api.dependsOn).toEqual(['postgres', 'redis']);
    expect(api.args).toEqual(['node', '/app/server.js']);
    expect(api.volumes).toEqual({ './api': '/app' });
    expect(api.baseDir).toBe(dirname(DEMO));
    expect(api.healthcheck).toEqual({ kind: 'http', url: 'http://localhost:8080/health', timeoutMs: 60_000 });
    expect(pg.seccomp).toBe(true);
    expect(pg.reuse).toBe(false);
  });

  it('discovers the tests, sorted', () => {
    expect(m.tests.map((t) => t.name)).toEqual([
      'test_happy_path', 'test_postgres_disk_full', 'test_postgres_write_enospc', 'test_postgres_write_failure',
      'test_write_and_read', 'test_write_data',
    ]);
    expect(m.tests.find((t) => t.name === 'test_write_data')?.kind).toBe('scenario');
    expect(m.scenarios).toEqual([{ name: 'write_data' }]);
  });

  it('records postgres_disk_full with its expanded, labelled rule and timeout', () => {
    const t = m.tests.find((x) => x.name === 'test_postgres_disk_full')!;
    expect(t.kind).toBe('fault_scenario');
    expect(t.scenario).toBe('write_data');
    expect(t.timeoutMs).toBe(30_000);
    expect(t.faults).toEqual([{
      id: 'pg_disk_full/postgres/write',
      service: 'postgres',
      keyword: 'write',
      syscalls: ['write', 'writev', 'pwrite64', 'pwritev', 'pwritev2'],
      action: { kind: 'deny', errno: 'ENOSPC' },
      trigger: {},
      label: 'disk full',
    }]);
    expect(m.assumptions).toEqual([{ name: 'pg_disk_full', rules: t.faults }]);
  });

  it('traps only what the spec can fault: postgres writes; redis and api run unfiltered', () => {
    expect(m.trapped).toEqual({ postgres: ['write', 'writev', 'pwrite64', 'pwritev', 'pwritev2'], redis: [], api: [] });
  });

  it('is plain data that survives structured cloning', () => {
    expect(structuredClone(m)).toEqual(m);
  });

  it('runs the fault_scenario: apply the rules, probe, expect, remove', () => {
    const host = new RecordingHost(respond(503));
    expect(spec.runTest('postgres_disk_full', host)).toMatchObject({ kind: 'pass' });
    expect(host.ops()).toEqual(['apply#1', 'step api.post', 'remove#1']);
    const applied = host.calls[0];
    expect(applied.op === 'apply' && applied.rules).toEqual(m.tests.find((t) => t.name === 'test_postgres_disk_full')!.faults);
    const step = host.calls[1];
    expect(step.op === 'step' && step.req).toEqual({
      service: 'api', iface: 'public', protocol: 'http', method: 'post', args: { path: '/data?key=full&value=test', headers: {} },
    });
    expect(host.active.size).toBe(0);
  });

  it('reports a rejected expectation with its message and position, and still removes the rules', () => {
    const host = new RecordingHost(respond(200));
    const out = spec.runTest('test_postgres_disk_full', host);
    expect(out.kind).toBe('fail');
    if (out.kind !== 'fail') return;
    expect(out.reason).toBe('expectation');
    expect(out.message).toBe('assert_true: expected 5xx on ENOSPC');
    expect(out.detail).toContain("container-demo/faultbox.star:72:35: assert_true: expected 5xx on ENOSPC");
    expect(out.detail).toContain('expect = lambda r: assert_true(r.status >= 500, "expected 5xx on ENOSPC"),');
    expect(host.ops()).toEqual(['apply#1', 'step api.post', 'remove#1']);
  });

  it('reports a failed assertion with both values, the source line and the stack', () => {
    const out = spec.runTest('test_happy_path', new RecordingHost(respond(500)));
    expect(out.kind).toBe('fail');
    if (out.kind !== 'fail') return;
    expect(out.reason).toBe('assertion');
    expect(out.message).toBe('assert_eq: 500 != 200');
    expect(out.detail).toContain("container-demo/faultbox.star:33:14: assert_eq: 500 != 200");
    expect(out.detail).toContain('assert_eq(resp.status, 200)');
    expect(out.detail).toMatch(/\^/);
    expect(out.detail).toContain('test_happy_path');
  });

  it('arms fault() rules around the body with ids stable across runs', () => {
    const ids: string[][] = [];
    for (let i = 0; i < 2; i++) {
      const host = new RecordingHost(respond(503));
      expect(spec.runTest('test_postgres_write_enospc', host)).toMatchObject({ kind: 'pass' });
      expect(host.ops()).toEqual(['apply#1', 'step api.post', 'remove#1']);
      const c = host.calls[0];
      if (c.op !== 'apply') throw new Error('expected apply');
      expect(c.rules[0]).toMatchObject({ service: 'postgres', keyword: 'write', action: { kind: 'deny', errno: 'ENOSPC' } });
      ids.push(c.rules.map((r) => r.id));
    }
    expect(ids[0]).toEqual(['test_postgres_write_enospc/postgres/write#1']);
    expect(ids[1]).toEqual(ids[0]);
  });

  it('runs the scenario for the explorer', () => {
    const host = new RecordingHost(respond(200));
    expect(spec.runScenario('write_data', host)).toMatchObject({ kind: 'pass' });
    expect(host.ops()).toEqual(['step api.post']);
  });

  it('selects tests by name, glob and prefix', () => {
    expect(matchTests(m, 'postgres_disk_full').map((t) => t.name)).toEqual(['test_postgres_disk_full']);
    expect(matchTests(m, 'postgres_write_*').map((t) => t.name)).toEqual(['test_postgres_write_enospc', 'test_postgres_write_failure']);
    expect(() => matchTests(m, 'nope')).toThrow(UsageError);
  });
});

describe('the seed document\'s code, unchanged', () => {
  it('evaluates, with a build context kept relative to the spec directory', () => {
    const m = loadSpec(SEED, { print: () => {} }).model;
    expect(m.services.map((s) => [s.name, s.source])).toEqual([
      ['postgres', { kind: 'image', ref: 'postgres:16-alpine' }],
      ['api', { kind: 'build', context: './api' }],
    ]);
    expect(m.services[1].baseDir).toBe(dirname(SEED));
    expect(m.services[1].env.DATABASE_URL).toBe('postgres://postgres:test@postgres:5432/testdb?sslmode=disable');
    expect(m.tests.map((t) => t.name)).toEqual(['test_postgres_disk_full', 'test_write_data']);
    expect(m.trapped).toEqual({ postgres: ['write', 'writev', 'pwrite64', 'pwritev', 'pwritev2'], api: [] });
  });
});

describe('load-time errors name the place and what was expected', () => {
  it('an unknown keyword argument names the accepted ones and file:line:col', () => {
    const e = loadError(`${TOPOLOGY}\nboom = deny("EIO", lable="x")\n`);
    expect(e.message).toMatch(/faultbox\.star:6:\d+: /);
    expect(e.message).toContain('deny: unexpected keyword argument "lable"');
    expect(e.message).toContain('accepted: errno, label, probability, nth, after, count, path');
    expect(e.message).toContain('boom = deny("EIO", lable="x")');
  });

  it('service() keywords from other tools get a hint', () => {
    const e = loadError(`service("x", image="a:b", cmd=["run"])\n`);
    expect(e.message).toContain('service: unknown keyword argument "cmd": write args=[...]');
    expect(e.message).toMatch(/faultbox\.star:1:\d+/);
    const e2 = loadError(`service("x", image="a:b", restart="always")\n`);
    expect(e2.message).toContain('unexpected keyword argument "restart"');
    expect(e2.message).toContain('accepted: name, binary, image, build, args, env, depends_on, healthcheck, volumes, ports, reuse, seccomp, reset');
  });

  it('a misspelt errno gets a suggestion', () => {
    const e = loadError(`${TOPOLOGY}\nx = deny("ENOSCP")\n`);
    expect(e.message).toMatch(/faultbox\.star:6:\d+: deny: unknown errno "ENOSCP" — did you mean ENOSPC\?/);
  });

  it('errno names are case-insensitive and EPIPE is accepted', () => {
    const path = specFile(`${TOPOLOGY}\nfault_assumption("p", target=db, sendto=deny("epipe"))\n`);
    expect(loadSpec(path).model.assumptions[0].rules[0].action).toEqual({ kind: 'deny', errno: 'EPIPE' });
  });

  it('a service needs exactly one source', () => {
    expect(loadError(`service("x", interface("m", "tcp", 1))\n`).message).toContain('needs exactly one source');
    expect(loadError(`service("x", "./bin/x", image="a:b")\n`).message).toContain('got binary and image');
  });

  it('an unsupported protocol is named', () => {
    expect(loadError(`interface("m", "kafka", 9092)\n`).message).toContain('unsupported protocol "kafka"; supported: http, tcp, postgres, redis');
  });

  it('depends_on must name declared services', () => {
    const e = loadError(`a = service("a", image="x:1", depends_on=["ghost"])\n`);
    expect(e.message).toMatch(/faultbox\.star:1:\d+: service "a": depends_on names "ghost"/);
  });

  it('depends_on cycles and unknown explore services are refused', () => {
    const e = loadError(`a = service("a", image="x:1", depends_on=["b"])\nb = service("b", image="x:1", depends_on=[a])\n`);
    expect(e.message).toMatch(/faultbox\.star:1:\d+: depends_on forms a cycle: a -> b -> a/);
    const e2 = loadError(`a = service("a", image="x:1")\nexplore(services=["ghost"])\n`);
    expect(e2.message).toMatch(/faultbox\.star:2:\d+: explore: services names "ghost"/);
  });

  it('a step at load time says it needs a running test', () => {
    const e = loadError(`${TOPOLOGY}\nr = db.main.query(sql="select 1")\n`);
    expect(e.message).toContain('can only be used while a test runs');
    expect(e.message).toMatch(/faultbox\.star:6:\d+/);
  });

  it('a step the protocol lacks, or a shorthand on a many-interface service, says what to write', () => {
    expect(loadError(`${TOPOLOGY}\nx = db.main.get\n`).message).toContain('interface "db.main" is postgres, which has no get() step (it has: query)');
    const e = loadError(`api = service("api", interface("a", "http", 1), interface("b", "http", 2), image="x:1")\nx = api.get\n`);
    expect(e.message).toContain('service "api" has 2 interfaces (a, b): name one, e.g. api.a.get(...)');
  });

  it('durations and probabilities say what they expect', () => {
    expect(loadError(`x = delay("500")\n`).message).toContain('delay: duration "500" is not a duration like "100us", "500ms", "1.5s" or "2m"');
    expect(loadError(`x = delay(500)\n`).message).toContain('delay: duration must be a duration like');
    expect(loadError(`x = deny("EIO", probability="50")\n`).message).toContain('above 1');
    expect(loadError(`x = deny("EIO", probability=1.5)\n`).message).toContain('outside 0..1');
  });

  it('nth/after/count are ints in the one range the runtime uses (spec/trigger.ts), and nth stands alone', () => {
    expect(loadError(`x = deny("EIO", nth=0)\n`).message).toContain('deny: nth must be an integer >= 1, got 0');
    expect(loadError(`x = deny("EIO", count="2")\n`).message).toContain('deny: count must be an int, got string "2"');
    expect(loadError(`x = deny("EIO", after=-1)\n`).message).toContain('deny: after must be an integer >= 0, got -1');
    expect(loadError(`x = deny("EIO", nth=2, after=1)\n`).message).toContain('cannot be combined with after= or count=');
    // Where the spec and the runtime differed: after=0 (let no call pass) is what the runtime arms.
    expect(() => loadSpec(specFile('x = deny("EIO", after=0)\n'), { print: () => {} })).not.toThrow();
  });

  it('path= is refused on socket-address syscalls', () => {
    const e = loadError(`${TOPOLOGY}\nfault_assumption("p", target=db, connect=deny("ECONNREFUSED", path="/x"))\n`);
    expect(e.message).toContain('path= only applies to syscalls on files or file descriptors');
  });

  it('peer= aims connect/sendto rules at a destination and is refused where calls name no peer', () => {
    const e = loadError(`${TOPOLOGY}\nfault_assumption("p", target=db, write=deny("EIO", peer="*:6379"))\n`);
    expect(e.message).toContain('peer= only applies to calls that name their peer (connect, sendto, sendmsg); write does not');
    expect(loadError(`x = deny("ECONNREFUSED", peer="")\n`).message).toContain('peer must be a glob such as "*:6379"');
  });

  it('an unknown rule keyword lists the accepted ones', () => {
    const e = loadError(`${TOPOLOGY}\nfault_assumption("p", target=db, wrte=deny("EIO"))\n`);
    expect(e.message).toContain('unknown syscall keyword "wrte" (did you mean write?); accepted: write, read, open,');
  });

  it('two tests with one name are refused', () => {
    const e = loadError(`${TOPOLOGY}\ndef s():\n    pass\nfault_scenario("x", scenario=s)\ndef test_x():\n    pass\n`);
    expect(e.message).toContain('function test_x has the same name as the test registered at');
  });
});

describe('rules: triggers, paths, actions', () => {
  it('peer= is kept on connect and sendto rules', () => {
    const path = specFile(`${TOPOLOGY}
fault_assumption("a", target=db, connect = deny("ECONNREFUSED", peer="*:6379", nth=2), sendmsg = delay("10ms", peer="unix:/run/*.sock"))
`);
    const rules = loadSpec(path).model.assumptions[0].rules;
    expect(rules.map((r) => [r.keyword, r.peerGlob, r.trigger])).toEqual([
      ['connect', '*:6379', { nth: 2 }],
      ['sendmsg', 'unix:/run/*.sock', {}],
    ]);
  });

  it('deny and delay take nth, after, count, path and probability', () => {
    const path = specFile(`${TOPOLOGY}
fault_assumption("a", target=db,
    write = deny("EIO", nth=3, path="/var/lib/postgresql/**", label="third write"),
    fsync = delay("1.5s", after=2, count=5, probability="1%"),
    read = allow(),
    connect = delay("100us", probability=25),
)
`);
    const rules = loadSpec(path).model.assumptions[0].rules;
    expect(rules.map((r) => [r.keyword, r.action, r.trigger, r.pathGlob, r.label])).toEqual([
      ['write', { kind: 'deny', errno: 'EIO' }, { nth: 3 }, '/var/lib/postgresql/**', 'third write'],
      ['fsync', { kind: 'delay', ms: 1500 }, { after: 2, count: 5, probability: 0.01 }, undefined, undefined],
      ['read', { kind: 'allow' }, {}, undefined, undefined],
      ['connect', { kind: 'delay', ms: 0.1 }, { probability: 0.25 }, undefined, undefined],
    ]);
    expect(rules[1].syscalls).toEqual(['fsync', 'fdatasync', 'sync_file_range']);
    expect(rules[3].syscalls).toEqual(['connect']);
  });

  it('fault(svc, open=...) covers the open family; single syscalls stay single', () => {
    const path = specFile(`${TOPOLOGY}\nfault_assumption("a", target=db, open=deny("ENOENT"), pwrite64=deny("EIO"))\n`);
    const rules = loadSpec(path).model.assumptions[0].rules;
    expect(rules[0].syscalls).toEqual(['open', 'openat', 'openat2', 'creat']);
    expect(rules[1].syscalls).toEqual(['pwrite64']);
  });

  it('fault_assumption composes children through faults=', () => {
    const path = specFile(`${TOPOLOGY}
a = fault_assumption("a", target=db, write=deny("EIO"))
b = fault_assumption("b", target=cache, connect=deny("ECONNREFUSED"))
both = fault_assumption("both", faults=[a, b], description="everything breaks")
`);
    const m = loadSpec(path).model;
    const both = m.assumptions.find((x) => x.name === 'both')!;
    expect(both.description).toBe('everything breaks');
    expect(both.rules.map((r) => r.id)).toEqual(['a/db/write', 'b/cache/connect']);
    expect(m.trapped.cache).toEqual(['connect']);
  });

  it('a rule reached twice through composition is armed once', () => {
    const path = specFile(`${TOPOLOGY}
a = fault_assumption("a", target=db, write=deny("EIO"))
both = fault_assumption("both", faults=[a, a])
def probe():
    return None
fault_scenario("twice", scenario=probe, faults=[both, a])
`);
    const m = loadSpec(path).model;
    expect(m.assumptions.find((x) => x.name === 'both')!.rules.map((r) => r.id)).toEqual(['a/db/write']);
    expect(m.tests[0].faults.map((r) => r.id)).toEqual(['a/db/write']);
  });
});

describe('trapped syscalls come from evaluation and a syntax walk, not text', () => {
  it('literal fault/trace calls on a global service add to that service only', () => {
    const path = specFile(`${TOPOLOGY}
def test_a():
    fault(db, connect=deny("ECONNREFUSED"), run=lambda: None)
def test_b():
    trace(cache, syscalls=["openat", "fsync"], run=lambda: None)
def test_c():
    fault_start(db, close=deny("EIO"))
    fault_stop(db)
# fault(cache, write=deny("EIO"), run=f)   <- a comment is not a call
note = "fault(cache, read=deny('EIO'), run=f)"
`);
    const t = loadSpec(path).model.trapped;
    expect(t.db).toEqual(['close', 'connect']);
    expect(t.cache).toEqual(['open', 'openat', 'openat2', 'creat', 'fsync', 'fdatasync', 'sync_file_range']);
    expect(t.web).toEqual([]);
  });

  it('a target the walk cannot resolve adds the keywords to every filtered service', () => {
    const path = specFile(`${TOPOLOGY}
def break_fsync(svc, fn):
    return fault(svc, fsync=deny("EIO"), run=fn)
def test_a():
    for s in [db, cache]:
        fault(s, write=deny("EIO"), run=lambda: None)
`);
    const t = loadSpec(path).model.trapped;
    expect(t.db).toEqual(['write', 'writev', 'pwrite64', 'pwritev', 'pwritev2', 'fsync', 'fdatasync', 'sync_file_range']);
    expect(t.cache).toEqual(t.db);
    expect(t.web).toEqual([]);
  });

  it('calls in loaded files count, with targets loaded from another file', () => {
    const path = specFile(`load("topology.star", "db", "cache")
load("faults.star", "slow_db")
def test_a():
    slow_db(lambda: None)
`, {
      'topology.star': TOPOLOGY,
      'faults.star': `load("topology.star", "db")\ndef slow_db(fn):\n    return fault(db, read=delay("200ms"), run=fn)\n`,
    });
    const m = loadSpec(path).model;
    expect(m.trapped.db).toEqual(['read', 'readv', 'pread64', 'preadv', 'preadv2']);
    expect(m.trapped.cache).toEqual([]);
  });

  it('**kwargs hides the syscalls and is refused with the call position', () => {
    const e = loadError(`${TOPOLOGY}
rules = {"write": deny("EIO")}
def test_a():
    fault(db, run=lambda: None, **rules)
`);
    expect(e.message).toMatch(/faultbox\.star:8:\d+: cannot see which syscalls this fault\(\) touches: use fault_assumption or literal keywords/);
    expect(e.where?.line).toBe(8);
  });

  it('trace() with a computed syscall list is refused', () => {
    const e = loadError(`${TOPOLOGY}\nnames = ["write"]\ndef test_a():\n    trace(db, syscalls=names, run=lambda: None)\n`);
    expect(e.message).toMatch(/faultbox\.star:8:\d+: cannot see which syscalls this trace\(\) touches/);
  });

  it('rules on a seccomp=False service are a load error', () => {
    const e = loadError(`${TOPOLOGY}\ndef test_a():\n    fault(web, connect=deny("ECONNREFUSED"), run=lambda: None)\n`);
    expect(e.message).toMatch(/faultbox\.star:7:\d+: fault\(\): service "web" is declared with seccomp=False/);
    const e2 = loadError(`${TOPOLOGY}\nfault_assumption("w", target=web, connect=deny("ECONNREFUSED"))\n`);
    expect(e2.message).toContain('service "web" is declared with seccomp=False');
  });

  it('a rule the filter does not trap fails loudly at run time (FAULT_NOT_FILTERABLE)', () => {
    // An alias hides the call from the walk; the run-time check catches it instead of a silent no-op.
    const path = specFile(`${TOPOLOGY}\nf = fault\ndef test_alias():\n    f(cache, write=deny("EIO"), run=lambda: None)\n`);
    const spec = loadSpec(path);
    expect(spec.model.trapped.cache).toEqual([]);
    const host = new RecordingHost();
    const out = spec.runTest('test_alias', host);
    expect(out.kind).toBe('fail');
    if (out.kind !== 'fail') return;
    expect(out.reason).toBe('step-error');
    expect(out.message).toContain('FAULT_NOT_FILTERABLE');
    expect(out.message).toContain('write on "cache" needs write, writev, pwrite64, pwritev, pwritev2');
    expect(host.ops()).toEqual([]);
  });
});

describe('running bodies', () => {
  it('nested fault scopes stack and unwind in order', () => {
    const path = specFile(`${TOPOLOGY}
def test_nested():
    def inner():
        return db.main.query(sql="select 1")
    def outer():
        return fault(db, read=deny("EIO"), run=inner)
    r = fault(db, write=deny("ENOSPC"), run=outer)
    assert_true(r.ok)
`);
    const host = new RecordingHost();
    expect(loadSpec(path).runTest('nested', host)).toMatchObject({ kind: 'pass' });
    expect(host.ops()).toEqual(['apply#1', 'apply#2', 'step db.query', 'remove#2', 'remove#1']);
  });

  it('scopes are removed when the body raises, and fault_start scopes left open end with the test', () => {
    const path = specFile(`${TOPOLOGY}
def test_raises():
    fault(db, write=deny("EIO"), run=lambda: assert_true(False, "boom"))
def test_left_open():
    fault_start(db, write=deny("EIO"))
    trace_start(cache, syscalls=["connect"])
def test_stopped():
    fault_start(db, write=deny("EIO"))
    fault_start(db, fsync=deny("EIO"))
    fault_stop(db)
    trace_start(db, syscalls=["write"])
    trace_stop(db)
`);
    const spec = loadSpec(path);
    let host = new RecordingHost();
    const out = spec.runTest('raises', host);
    expect(out.kind === 'fail' && out.message).toBe('assert_true: boom');
    expect(host.ops()).toEqual(['apply#1', 'remove#1']);

    host = new RecordingHost();
    expect(spec.runTest('left_open', host)).toMatchObject({ kind: 'pass' });
    expect(host.ops()).toEqual(['apply#1', 'apply#2', 'remove#2', 'remove#1']);
    const traced = host.calls[1];
    expect(traced.op === 'apply' && traced.rules[0]).toMatchObject({ service: 'cache', action: { kind: 'trace' }, syscalls: ['connect'] });

    host = new RecordingHost();
    expect(spec.runTest('stopped', host)).toMatchObject({ kind: 'pass' });
    expect(host.ops()).toEqual(['apply#1', 'apply#2', 'remove#2', 'remove#1', 'apply#3', 'remove#3']);
  });

  it('fault() with an assumption applies its rules and returns the body result', () => {
    const path = specFile(`${TOPOLOGY}
slow = fault_assumption("slow", target=db, read=delay("200ms"))
def test_a():
    r = fault(slow, run=lambda: 42)
    assert_eq(r, 42)
`);
    const host = new RecordingHost();
    expect(loadSpec(path).runTest('a', host)).toMatchObject({ kind: 'pass' });
    const c = host.calls[0];
    expect(c.op === 'apply' && c.rules.map((r) => r.id)).toEqual(['slow/db/read']);
  });

  it('steps per protocol build the right requests; responses expose status, body, data, ok, error', () => {
    const path = specFile(`${TOPOLOGY}
api = service("api", interface("public", "http", 8080), image="faultbox-local/node:20")
def test_steps():
    r = api.post(path="/items", body={"name": "x"}, headers={"X-Id": "1"}, timeout="2s")
    assert_eq(r.status, 201)
    assert_eq(r.data["id"], 7)
    assert_eq(r.ok, True)
    cache.main.command("SET", "k", "v")
    db.main.query(sql="select $1", params=[1])
    bad = api.get(path="/down")
    assert_eq(bad.ok, False)
    assert_eq(bad.status, 0)
    assert_eq(bad.error, "connection refused")
`);
    const host = new RecordingHost((req) => {
      if (req.args.path === '/down') return { ...OK_RESPONSE, status: 0, ok: false, error: 'connection refused' };
      if (req.method === 'post') return { ...OK_RESPONSE, status: 201, body: '{"id":7}', data: { id: 7 } };
      return OK_RESPONSE;
    });
    expect(loadSpec(path).runTest('steps', host)).toMatchObject({ kind: 'pass' });
    const reqs = host.calls.filter((c) => c.op === 'step').map((c) => (c.op === 'step' ? c.req : undefined));
    expect(reqs[0]).toEqual({
      service: 'api', iface: 'public', protocol: 'http', method: 'post',
      args: { path: '/items', body: '{"name":"x"}', headers: { 'X-Id': '1', 'Content-Type': 'application/json' }, timeoutMs: 2000 },
    });
    expect(reqs[1]?.args).toEqual({ command: ['SET', 'k', 'v'] });
    expect(reqs[2]?.args).toEqual({ sql: 'select $1', params: [1] });
  });

  it('.addr is the live host-mapped address during a test and the declared one at load', () => {
    const path = specFile(`${TOPOLOGY}
at_load = db.main.addr
def test_addr():
    assert_eq(at_load, "localhost:5432")
    assert_eq(db.main.addr, "127.0.0.1:49153")
    assert_eq(db.main.internal_addr, "db:5432")
    assert_eq(web.http.internal_addr, "localhost:8080")
    assert_eq(db.main.port, 5432)
`);
    const host = new RecordingHost(undefined, [], { 'db.main': { host: '127.0.0.1', port: 49153 } });
    expect(loadSpec(path).runTest('addr', host)).toMatchObject({ kind: 'pass' });
  });

  it('print() goes to opts.print at load and to the host during a test', () => {
    const lines: string[] = [];
    const path = specFile(`print("loading")\ndef test_p():\n    print("running")\n`);
    const spec = loadSpec(path, { print: (l) => lines.push(l) });
    expect(lines).toEqual(['loading']);
    const host = new RecordingHost();
    spec.runTest('p', host);
    expect(host.calls).toEqual([{ op: 'print', line: 'running' }]);
  });

  it('fail() counts as an assertion; other errors in a body are errors', () => {
    const path = specFile(`def test_fail():\n    fail("custom check")\ndef test_type():\n    x = 1 + "a"\n`);
    const spec = loadSpec(path);
    expect(spec.runTest('fail', new RecordingHost())).toMatchObject({ kind: 'fail', reason: 'assertion', message: 'fail: custom check' });
    expect(spec.runTest('type', new RecordingHost())).toMatchObject({ kind: 'fail', reason: 'step-error' });
  });

  it('fault_scenario keeps its timeout; registration from a running test is refused', () => {
    const path = specFile(`${TOPOLOGY}
def probe():
    return None
fault_scenario("quick", scenario=probe, timeout="5s")
def test_late():
    fault_scenario("late", scenario=probe)
`);
    const spec = loadSpec(path);
    expect(spec.model.tests.find((t) => t.name === 'test_quick')).toMatchObject({ timeoutMs: 5000, faults: [], scenario: 'probe' });
    expect(spec.runTest('late', new RecordingHost())).toMatchObject({
      kind: 'fail', reason: 'step-error', message: 'fault_scenario: must be called at the top level of the spec, while it loads, not from a running test',
    });
  });

  it('reset= hooks are recorded and run on request', () => {
    const path = specFile(`def wipe():\n    print("wiped")\ndb = service("db", interface("main", "postgres", 5432), image="pg:16", reuse=True, reset=wipe)\n`);
    const spec = loadSpec(path);
    expect(spec.model.services[0]).toMatchObject({ reuse: true, hasReset: true });
    const host = new RecordingHost();
    expect(spec.runReset('db', host)).toMatchObject({ kind: 'pass' });
    expect(host.calls).toEqual([{ op: 'print', line: 'wiped' }]);
  });

  it('a host failure is not a test result: it propagates as the infrastructure error', () => {
    const path = specFile(`${TOPOLOGY}\ndef test_addr():\n    x = db.main.addr\n`);
    expect(() => loadSpec(path).runTest('addr', new RecordingHost())).toThrow(/no live address for db\.main/);
  });
});

describe('trace queries over recorded events', () => {
  const recorded: TraceEvent[] = [
    { type: 'lifecycle', seq: 1, tsMs: 0, service: 'db', phase: 'started' },
    { type: 'syscall', seq: 2, tsMs: 1, service: 'db', pid: 10, syscall: 'openat', decision: 'trace', path: '/var/lib/pg/base/1' },
    { type: 'syscall', seq: 3, tsMs: 2, service: 'db', pid: 10, syscall: 'pwrite64', decision: 'deny', errno: 'ENOSPC', path: '/var/lib/pg/base/1', label: 'disk full' },
    { type: 'syscall', seq: 4, tsMs: 3, service: 'cache', pid: 11, syscall: 'connect', decision: 'delay', delayMs: 500, peer: '10.0.0.2:5432' },
  ];
  let spec: LoadedSpec;
  beforeAll(() => {
    spec = loadSpec(specFile(`${TOPOLOGY}
def test_queries():
    assert_eventually(service="db", syscall="write", decision="deny*")
    assert_eventually(decision="deny(no space left on device)", label="disk full")
    assert_eventually(errno="enospc")
    assert_never(syscall="connect", decision="deny*")
    assert_before(first={"syscall": "openat"}, then={"syscall": "write"})
    evs = events(service=db, where=lambda e: e.label == "disk full")
    assert_eq(len(evs), 1)
    e = evs[0]
    assert_eq([e.seq, e.service, e.type, e.syscall, e.decision, e.errno, e.path, e.peer], [3, "db", "syscall", "pwrite64", "deny(no space left on device)", "ENOSPC", "/var/lib/pg/base/1", None])
    assert_eq(events(syscall="connect")[0].decision, "delay(500ms)")
    assert_eq(len(events()), 3)
    assert_eq(len(events(type="*")), 4)
    assert_eq(events(type="lifecycle")[0].phase, "started")
def test_never_fails():
    assert_never(service="db", decision="deny*")
def test_eventually_fails():
    assert_eventually(service="cache", syscall="write")
def test_before_fails():
    assert_before(first={"syscall": "connect"}, then={"syscall": "openat"})
def test_bad_filter():
    events(sycall="write")
`));
  });
  const run = (name: string) => spec.runTest(name, new RecordingHost(undefined, recorded));

  it('filters by service, family, decision, errno, label, path and where=', () => {
    expect(run('queries')).toMatchObject({ kind: 'pass' });
  });
  it('assert_never names the first matching event', () => {
    const out = run('never_fails');
    expect(out.kind === 'fail' && out.reason).toBe('assertion');
    expect(out.kind === 'fail' && out.message).toBe(
      'assert_never: 1 event(s) matched service="db", decision="deny*"; first: <event #3 db pwrite64 deny(no space left on device) [disk full] /var/lib/pg/base/1>',
    );
  });
  it('assert_eventually and assert_before say what was missing', () => {
    expect(run('eventually_fails')).toMatchObject({ kind: 'fail', message: 'assert_eventually: no event matched service="cache", syscall="write" (4 events recorded so far)' });
    expect(run('before_fails')).toMatchObject({ kind: 'fail', reason: 'assertion', message: expect.stringContaining('assert_before: <event #2 db openat trace /var/lib/pg/base/1> (then) came before <event #4') });
  });
  it('an unknown filter key lists the accepted ones', () => {
    expect(run('bad_filter')).toMatchObject({
      kind: 'fail', reason: 'step-error',
      message: 'events: unknown filter "sycall"; accepted: service, syscall, decision, path, peer, label, type, errno, where',
    });
  });
});

describe('fault_matrix and explore', () => {
  let spec: LoadedSpec;
  beforeAll(() => {
    spec = loadSpec(specFile(`${TOPOLOGY}
def write_data():
    return db.main.query(sql="insert")
def read_data():
    return db.main.query(sql="select")
full = fault_assumption("disk_full", target=db, write=deny("ENOSPC"))
slow = fault_assumption("slow", target=db, read=delay("2s"))
def expect_error(r):
    assert_true(not r.ok, "expected an error")
def expect_ok(r):
    assert_true(r.ok, "expected success")
fault_matrix(
    scenarios = [write_data, read_data],
    faults = [full, slow],
    default_expect = expect_error,
    overrides = {(write_data, slow): expect_ok},
    exclude = [(read_data, full)],
)
explore(services=[db, "cache"], families=["write", "fsync"], errnos={"write": ["eio", "ENOSPC"]}, max_delay="2s", max_faults=3, timeout="20s")
`));
  });

  it('registers one test per cell, minus exclusions, and a grid record', () => {
    const cells = spec.model.tests.filter((t) => t.kind === 'matrix_cell');
    expect(cells.map((c) => c.name)).toEqual([
      'test_matrix_read_data_slow', 'test_matrix_write_data_disk_full', 'test_matrix_write_data_slow',
    ]);
    expect(cells[1].faults.map((r) => r.id)).toEqual(['disk_full/db/write']);
    expect(cells[1].timeoutMs).toBe(30_000);
    expect(spec.model.matrices).toEqual([{ scenarios: ['write_data', 'read_data'], faults: ['disk_full', 'slow'], excluded: [['read_data', 'disk_full']] }]);
    expect(matchTests(spec.model, 'matrix_write_data').map((t) => t.name)).toEqual(['test_matrix_write_data_disk_full', 'test_matrix_write_data_slow']);
  });

  it('uses the override before the default expectation', () => {
    const ok = new RecordingHost();
    const failing = new RecordingHost(() => ({ ...OK_RESPONSE, status: 0, ok: false, error: 'ENOSPC' }));
    expect(spec.runTest('test_matrix_write_data_disk_full', failing)).toMatchObject({ kind: 'pass' });
    expect(spec.runTest('test_matrix_write_data_disk_full', ok)).toMatchObject({ kind: 'fail', reason: 'expectation', message: 'assert_true: expected an error' });
    expect(spec.runTest('test_matrix_write_data_slow', new RecordingHost())).toMatchObject({ kind: 'pass' });
    expect(spec.runTest('test_matrix_write_data_slow', failing)).toMatchObject({ kind: 'fail', message: 'assert_true: expected success' });
  });

  it('records the explore configuration, and its timeout on scenarios', () => {
    expect(spec.model.explore).toEqual({
      services: ['db', 'cache'], families: ['write', 'fsync'], errnos: { write: ['EIO', 'ENOSPC'] }, maxDelayMs: 2000, maxFaults: 3, timeoutMs: 20_000,
    });
  });
});

describe('fault_scenario(warmup=True)', () => {
  it('runs the scenario once without faults, then under them (how explorer regressions replay warm cases)', () => {
    const file = specFile(`${TOPOLOGY}
def probe():
    return web.get(path = "/x")
scenario(probe)
disk = fault_assumption("disk", target = db, write = deny("EIO"))
fault_scenario("warm", scenario = probe, faults = disk, warmup = True)
fault_scenario("cold", scenario = probe, faults = disk)
`);
    const spec = loadSpec(file);
    const warm = new RecordingHost(respond(200));
    expect(spec.runTest('warm', warm)).toMatchObject({ kind: 'pass' });
    expect(warm.ops()).toEqual(['step web.get', 'apply#1', 'step web.get', 'remove#1']);
    const cold = new RecordingHost(respond(200));
    spec.runTest('cold', cold);
    expect(cold.ops()).toEqual(['apply#1', 'step web.get', 'remove#1']);
  });

  it('refuses a warmup that is not a bool', () => {
    const err = loadError(`${TOPOLOGY}
def probe():
    return web.get(path = "/x")
scenario(probe)
fault_scenario("w", scenario = probe, warmup = "yes")
`);
    expect(err.message).toContain('fault_scenario: warmup must be True or False, got string');
  });
});
