import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSpec } from './loader.js';
import type { TestDecl } from './model.js';

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'fb-reach-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function testsOf(files: Record<string, string>): Record<string, TestDecl> {
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  const spec = loadSpec(join(dir, 'faultbox.star'), { print: () => {} });
  return Object.fromEntries(spec.model.tests.map((t) => [t.name, t]));
}

const SERVICES = `
db = service("db", "/bin/true", interface("main", "tcp", 15432))
cache = service("cache", "/bin/true", interface("main", "tcp", 16379))
`;

describe('what a test body can arm, from its syntax', () => {
  it('follows fault() calls in the body, in helpers it calls or passes, and named assumptions', () => {
    const tests = testsOf({
      'helpers.star': `
def break_fsync(svc_fn):
    return svc_fn()
`,
      'faultbox.star': SERVICES + `
load("./helpers.star", "break_fsync")
disk_full = fault_assumption("disk_full", target = db, write = deny("ENOSPC"))

def write_twice():
    fault(db, fsync = deny("EIO"), run = lambda: None)

def test_plain():
    db.send(data = "x")

def test_direct():
    fault(cache, connect = deny("ECONNREFUSED"), run = lambda: None)

def test_through_helper():
    write_twice()

def test_helper_as_value():
    fault(cache, read = delay("1s"), run = write_twice)

def test_named_assumption():
    fault(disk_full, run = lambda: None)

def test_loaded_helper():
    break_fsync(lambda: fault(db, open = deny("EACCES"), run = lambda: None))
`,
    });
    expect(tests.test_plain!.bodyTrapped).toEqual({ db: [], cache: [] });
    expect(tests.test_direct!.bodyTrapped).toEqual({ db: [], cache: ['connect'] });
    expect(tests.test_through_helper!.bodyTrapped).toEqual({ db: ['fsync', 'fdatasync', 'sync_file_range'], cache: [] });
    expect(tests.test_helper_as_value!.bodyTrapped?.db).toEqual(['fsync', 'fdatasync', 'sync_file_range']);
    expect(tests.test_helper_as_value!.bodyTrapped?.cache).toContain('read');
    expect(tests.test_named_assumption!.bodyTrapped?.db).toContain('write');
    expect(tests.test_loaded_helper!.bodyTrapped?.db).toContain('openat');
  });

  it('gives every filtered service the syscalls of a fault whose target it cannot resolve', () => {
    const tests = testsOf({
      'faultbox.star': SERVICES + `
def fail_connect(svc):
    fault(svc, connect = deny("ECONNREFUSED"), run = lambda: None)

def test_param_target():
    fail_connect(db)
`,
    });
    expect(tests.test_param_target!.bodyTrapped).toEqual({ db: ['connect'], cache: ['connect'] });
  });

  it('reads a closure made by a factory with the factory\'s names as locals, and lambdas in place', () => {
    const tests = testsOf({
      'faultbox.star': SERVICES + `
def make(svc):
    def t():
        fault(svc, write = deny("EIO"), run = lambda: None)
    return t

test_made = make(db)

def quiet():
    return None
scenario(quiet)
fault_scenario("quiet_checked", scenario = quiet, expect = lambda r: fault(cache, fsync = deny("EIO"), run = lambda: r))
`,
    });
    // \`svc\` is make()'s parameter: any filtered service.
    expect(tests.test_made!.bodyTrapped?.db).toContain('write');
    expect(tests.test_made!.bodyTrapped?.cache).toContain('write');
    expect(tests.test_quiet_checked!.bodyTrapped).toEqual({ db: [], cache: ['fsync', 'fdatasync', 'sync_file_range'] });
  });
});
