// What load-time validation must let through: the checks that refuse hostile specs
// (test/hostile-specs.test.ts) must not refuse specs that can work.
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSpec } from './index.js';
import { SpecError } from '../errors.js';

const dir = mkdtempSync(join(tmpdir(), 'faultbox-spec-validation-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
function load(source: string): ReturnType<typeof loadSpec> {
  const file = join(dir, `spec${n++}.star`);
  writeFileSync(file, source);
  return loadSpec(file, { print: () => undefined });
}

describe('port clashes', () => {
  it('two containers may listen on the same port inside their own namespaces', () => {
    const spec = load(`
a = service("a", interface("main", "redis", 6379), image = "redis:7")
b = service("b", interface("main", "redis", 6379), image = "redis:7")
`);
    expect(spec.model.services.map((s) => s.name)).toEqual(['a', 'b']);
  });

  it('a container fixed to a host port clashes with another fixed to the same one', () => {
    expect(() => load(`
a = service("a", interface("main", "redis", 6379), image = "redis:7", ports = {6379: 19150})
b = service("b", interface("main", "redis", 6380), image = "redis:7", ports = {6380: 19150})
`)).toThrow(/service "b" needs host port 19150, which service "a"/);
  });
});

describe('constant fault calls in function bodies', () => {
  it('a user function that shadows deny() is not taken for the primitive', () => {
    const spec = load(`
db = service("db", "/bin/true", interface("main", "tcp", 19151))
def deny(reason):
    return reason
def test_uses_own_deny():
    deny("not an errno")
`);
    expect(spec.model.tests.map((t) => t.name)).toEqual(['test_uses_own_deny']);
  });

  it('a parameter named delay is not the primitive either', () => {
    expect(() => load(`
def helper(delay):
    return delay("forever")
`)).not.toThrow();
  });

  it('arguments that are not literals are left to run time', () => {
    expect(() => load(`
db = service("db", "/bin/true", interface("main", "tcp", 19152))
def test_computed():
    code = "E" + "FOOBAR"
    fault(db, write = deny(code), run = lambda: None)
`)).not.toThrow();
  });

  it('a valid constant call passes, an invalid one in a nested lambda is refused at its position', () => {
    expect(() => load(`
db = service("db", "/bin/true", interface("main", "tcp", 19153))
def test_ok():
    fault(db, write = deny("EIO", path = "/data/**", nth = 2), run = lambda: None)
`)).not.toThrow();
    let err: unknown;
    try {
      load(`
db = service("db", "/bin/true", interface("main", "tcp", 19154))
def test_bad():
    fault(db, run = lambda: fault(db, write = delay("2d"), run = lambda: None))
`);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SpecError);
    expect((err as SpecError).message).toMatch(/spec\d+\.star:4:47: delay: duration "2d" is not a duration/);
  });
});
