import { describe, expect, it } from 'vitest';
import { parseSource, type Value } from '../starlark/index.js';
import { SpecError } from '../errors.js';
import { deriveTrapped } from './trapped.js';
import { SpecSession } from './session.js';
import { ServiceValue } from './values/service.js';
import type { FaultRule, ServiceDecl } from './model.js';

const decl = (name: string, seccomp = true): ServiceDecl => ({
  name, source: { kind: 'image', ref: 'x:1' }, interfaces: [], env: {}, dependsOn: [], volumes: {}, ports: {}, reuse: false, seccomp, baseDir: '/x',
});
const session = new SpecSession('/x/faultbox.star');
const db = decl('db');
const cache = decl('cache');
const web = decl('web', false);
const globals = new Map<string, Value>([
  ['db', new ServiceValue(session, db, undefined, undefined)],
  ['cache', new ServiceValue(session, cache, undefined, undefined)],
  ['web', new ServiceValue(session, web, undefined, undefined)],
]);

function derive(src: string, rules: FaultRule[] = []): Record<string, string[]> {
  return deriveTrapped({ services: [db, cache, web], rules, files: [{ ast: parseSource('/x/faultbox.star', src), globals }] });
}

describe('deriveTrapped', () => {
  it('starts every service empty and adds exact rules', () => {
    const rule: FaultRule = { id: 'a/db/fsync', service: 'db', keyword: 'fsync', syscalls: ['fsync', 'fdatasync'], action: { kind: 'allow' }, trigger: {} };
    expect(derive('', [rule])).toEqual({ db: ['fsync', 'fdatasync'], cache: [], web: [] });
  });

  it('reads literal keywords of calls on global services, wherever the call sits', () => {
    const t = derive(`
def helper():
    return [fault(db, connect=deny("ECONNREFUSED"), run=f) for f in []]
def test_x():
    trace_start(cache, syscalls=("sendto",))
    fault_start(target=db, pwrite64=delay("1s"))
`);
    expect(t).toEqual({ db: ['pwrite64', 'connect'], cache: ['sendto', 'sendmsg', 'sendmmsg'], web: [] });
  });

  it('treats parameters, locals, loop variables and expressions as unresolvable', () => {
    const all = ['close'];
    expect(derive(`def f(svc):\n    fault(svc, close=deny("EIO"), run=g)\n`)).toEqual({ db: all, cache: all, web: [] });
    expect(derive(`def f():\n    db = 1\n    fault(db, close=deny("EIO"), run=g)\n`)).toEqual({ db: all, cache: all, web: [] });
    expect(derive(`def f():\n    for s in []:\n        fault(s, close=deny("EIO"), run=g)\n`)).toEqual({ db: all, cache: all, web: [] });
    expect(derive(`def f(x):\n    fault(x[0], close=deny("EIO"), run=g)\n`)).toEqual({ db: all, cache: all, web: [] });
    expect(derive(`def f(*a):\n    fault(close=deny("EIO"), run=g, *a)\n`)).toEqual({ db: all, cache: all, web: [] });
  });

  it('ignores a user function that shadows a builtin name', () => {
    const src = `def fault(a, **kw):\n    pass\ndef t():\n    fault(db, close=1)\n`;
    const g = new Map(globals);
    g.set('fault', 0);
    expect(deriveTrapped({ services: [db, cache, web], rules: [], files: [{ ast: parseSource('/x/faultbox.star', src), globals: g }] }).db).toEqual([]);
  });

  it('refuses what it cannot see, with the position', () => {
    const cases: [string, RegExp][] = [
      [`def t(kw):\n    fault(db, run=f, **kw)\n`, /^\/x\/faultbox\.star:2:\d+: cannot see which syscalls this fault\(\) touches/],
      [`def t(kw):\n    trace(db, syscalls=kw, run=f)\n`, /^\/x\/faultbox\.star:2:\d+: cannot see which syscalls this trace\(\) touches/],
      [`def t(x):\n    trace(db, syscalls=["write", x], run=f)\n`, /string literals/],
      [`def t():\n    fault(db, wrte=deny("EIO"), run=f)\n`, /unknown syscall keyword "wrte" \(did you mean write\?\)/],
      [`def t():\n    fault(web, write=deny("EIO"), run=f)\n`, /service "web" is declared with seccomp=False/],
    ];
    for (const [src, re] of cases) {
      let err: unknown;
      try {
        derive(src);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(SpecError);
      expect((err as Error).message).toMatch(re);
      expect((err as SpecError).where?.line).toBe(2);
    }
  });
});
