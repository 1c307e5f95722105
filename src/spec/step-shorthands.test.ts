import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SpecError } from '../errors.js';
import { loadSpec } from './loader.js';

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'fb-shorthand-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function load(text: string): () => unknown {
  const file = join(dir, 'faultbox.star');
  writeFileSync(file, text);
  return () => loadSpec(file, { print: () => {} });
}

const TWO = `api = service("api", "/bin/true", interface("public", "http", 19222), interface("admin", "http", 19223))\n`;

describe('step shorthands on a service without exactly one interface', () => {
  it('refuses svc.post(...) in a test body before anything runs, at the method name', () => {
    const run = load(TWO + `def test_post():\n    api.post(path = "/x")\n`);
    expect(run).toThrow(SpecError);
    expect(run).toThrow(`faultbox.star:3:9: service "api" has 2 interfaces (public, admin): name one, e.g. api.public.post(...)`);
  });

  it('refuses it in a helper, a lambda, and for a method the sole interface lacks', () => {
    expect(load(TWO + `def helper():\n    return api.get()\n`)).toThrow(/faultbox.star:3:16: service "api" has 2 interfaces/);
    expect(load(TWO + `check = lambda: api.delete(path = "/")\n`)).toThrow(/faultbox.star:2:21:/);
    const db = `db = service("db", "/bin/true", interface("main", "tcp", 19224))\ndef test_q():\n    db.query(sql = "SELECT 1")\n`;
    expect(load(db)).toThrow(/faultbox.star:3:8: service "db": its interface "main" is tcp, which has no query\(\) step/);
  });

  it('accepts named interfaces, sole-interface shorthands and a local that shadows the service', () => {
    const ok = TWO + `web = service("web", "/bin/true", interface("main", "http", 19225))
def test_named():
    api.public.post(path = "/x")
    web.get(path = "/")
def test_shadow(api = web):
    api.get(path = "/")
`;
    expect(load(ok)).not.toThrow();
  });
});
