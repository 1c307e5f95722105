// Every spec in test/fixtures/hostile/ is one that can only fail: `faultbox check` must refuse it
// as a spec error (exit 2) naming file:line:col, with the message its first line announces
// (`# expect: <text>`), and never as an internal error. New fixtures are picked up by the glob.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO, faultbox } from './cli-run.js';

const DIR = join(REPO, 'test', 'fixtures', 'hostile');
const fixtures = readdirSync(DIR).filter((f) => f.endsWith('.star')).sort();

function expectation(file: string): string {
  const first = readFileSync(join(DIR, file), 'utf8').split('\n', 1)[0] ?? '';
  const m = /^# expect: (.+)$/.exec(first);
  if (!m) throw new Error(`${file}: the first line must be "# expect: <text the error contains>", got ${JSON.stringify(first)}`);
  return m[1]!.trim();
}

describe('hostile specs under faultbox check', () => {
  it('the corpus covers the spec-side classes (durations, globs, ports, NUL bytes, test-body faults)', () => {
    for (const name of ['duration-beyond-limit', 'glob-unclosed-class', 'duplicate-port', 'nul-in-env', 'nul-in-args', 'unknown-errno-in-test', 'unknown-syscall-in-test']) {
      expect(fixtures).toContain(`${name}.star`);
    }
  });

  it.each(fixtures)('%s is refused with exit 2 and a position', (file) => {
    const want = expectation(file);
    const r = faultbox(['check', join('test', 'fixtures', 'hostile', file)], { timeoutMs: 120_000 });
    const out = `${r.stdout}${r.stderr}`;
    expect(out).not.toMatch(/internal error/i);
    expect(out).not.toMatch(/\n\s+at .+:\d+:\d+\)?\n/); // no JS stack
    expect(r.code, out).toBe(2);
    expect(out).toMatch(new RegExp(`${file.replace(/[.]/g, '\\.')}:\\d+:\\d+`));
    expect(out).toContain(want);
  });
});
