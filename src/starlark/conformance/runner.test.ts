import { describe, expect, it } from 'vitest';
import { parseChunkedText } from './chunked-file.js';
import { chunkDialect, goHarnessGlobalsUsed } from './chunk-requirements.js';
import { passRate, summary } from './report.js';
import { runChunk } from './runner.js';

function run(text: string) {
  return parseChunkedText('/virtual/runner-self-test.star', text).map((c) => runChunk(c));
}

describe('runChunk', () => {
  it('passes a chunk whose assertions hold', () => {
    const [r] = run('load("assert.star", "assert")\nassert.eq(1 + 1, 2)\nassert.true([1])\nassert.contains([1, 2], 2)\n');
    expect(r.failures).toEqual([]);
  });

  it('records a failed assert.eq with its line and keeps running the chunk', () => {
    const [r] = run('load("assert.star", "assert")\nassert.eq(1, 2)\nassert.eq("a", "b")\n');
    expect(r.failures.map((f) => f.line)).toEqual([2, 3]);
    expect(r.failures[0].message).toContain('1 != 2');
    expect(r.failures[1].message).toContain('"a" != "b"');
  });

  it('matches an expected dynamic error on its line', () => {
    const [r] = run('x = 1\ny = x // 0 ### "division by zero"\n');
    expect(r.failures).toEqual([]);
  });

  it('matches an expected static error on its line', () => {
    const [r] = run('x = 1\ny = nope ### "undefined: nope"\n');
    expect(r.failures).toEqual([]);
  });

  it('fails when the expected error does not happen, or has another message, or is unexpected', () => {
    const [missing, mismatch, unexpected] = run(
      'x = 1 ### "boom"\n---\nx = 1 // 0 ### "not this message"\n---\nx = {}["k"]\n',
    );
    expect(missing.failures[0].message).toMatch(/expected an error matching "boom"/);
    expect(mismatch.failures[0].message).toMatch(/does not match "not this message"/);
    expect(unexpected.failures[0].line).toBe(5);
    expect(unexpected.failures[0].message).toMatch(/unexpected dynamic error/);
  });

  it('reports assert.fails when the function succeeds or fails differently', () => {
    const [r] = run('load("assert.star", "assert")\nassert.fails(lambda: 1, "x")\nassert.fails(lambda: 1 // 0, "key")\nassert.fails(lambda: 1 // 0, "division")\n');
    expect(r.failures.map((f) => f.line)).toEqual([2, 3]);
    expect(r.failures[0].message).toMatch(/succeeded unexpectedly/);
  });

  it('provides freeze, struct, and captures print output', () => {
    const [r] = run('load("assert.star", "assert")\nx = [1]\nfreeze(x)\nassert.fails(lambda: x.append(2), "frozen")\nprint("hi", struct(a = 1).a)\n');
    expect(r.failures).toEqual([]);
    expect(r.output).toEqual(['hi 1']);
  });
});

describe('runChunk: # option: lines and Go-harness chunks', () => {
  const recursive = 'load("assert.star", "assert")\ndef f(n):\n    return f(n - 1) + 1 if n > 0 else 0\nassert.eq(f(3), 3)\n';

  it('honours # option:recursion for its own chunk only', () => {
    const [withOption, without] = run(`# option:recursion\n${recursive}---\n${recursive}`);
    expect(withOption.failures).toEqual([]);
    expect(without.failures.map((f) => f.message)).toEqual(['unexpected dynamic error: function f called recursively']);
  });

  it('honours # option:globalreassign and # option:loadbindsglobally', () => {
    const [reassign, refused, globalMsg, localMsg] = run(
      '# option:globalreassign\nload("assert.star", "assert")\nassert = 1\n' +
        '---\nload("assert.star", "assert")\nassert = 1 ### "cannot reassign assert"\n' +
        '---\n# option:loadbindsglobally\n_ = assert ### "global variable assert referenced before assignment"\nload("assert.star", "assert")\n' +
        '---\n_ = assert ### "local variable assert referenced before assignment"\nload("assert.star", "assert")\n',
    );
    for (const r of [reassign, refused, globalMsg, localMsg]) expect(r.failures).toEqual([]);
  });

  it('fails a chunk naming an option it does not know', () => {
    const [r] = run('# option:nosuchthing\nx = 1\n');
    expect(r.failures.map((f) => f.message)).toEqual(['unknown # option:nosuchthing']);
  });

  it('skips chunks using hasfields or fibonacci, with the reason, and counts them apart', () => {
    const text = 'x = hasfields()\n---\nfor x in fibonacci:\n    break\n---\nx = 1\n---\nx = 1 // 0\n';
    const [a, b, c, d] = run(text);
    expect(a.skipped).toBe("uses hasfields, defined only by starlark-go's Go test harness");
    expect(b.skipped).toContain('fibonacci');
    expect(c.skipped).toBeUndefined();
    expect(d.skipped).toBeUndefined();
    const totals = { passed: 0, failed: 0, skipped: 0 };
    for (const r of [a, b, c, d]) {
      if (r.skipped !== undefined) totals.skipped++;
      else if (r.failures.length > 0) totals.failed++;
      else totals.passed++;
    }
    expect(summary(totals)).toBe('1 passed, 1 failed, 2 skipped');
    expect(passRate(totals)).toBe(0.5);
  });

  it('looks at identifiers only, not at attribute or keyword names', () => {
    expect(goHarnessGlobalsUsed('t.star', 'x = struct(hasfields = 1).hasfields\n')).toEqual([]);
    expect(goHarnessGlobalsUsed('t.star', 'x = [fibonacci, hasfields, fibonacci]\n')).toEqual(['fibonacci', 'hasfields']);
  });
});

describe('chunkDialect', () => {
  it('reads every option named in the chunk; set needs nothing', () => {
    expect(chunkDialect('# option:globalreassign option:loadbindsglobally\n# option:set\nx = 1')).toEqual({
      dialect: { globalReassign: true, loadBindsGlobally: true },
      unknown: [],
    });
    expect(chunkDialect('x = 1').dialect).toEqual({});
  });
});
