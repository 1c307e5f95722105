import { describe, expect, it } from 'vitest';
import { parseChunkedText } from './chunked-file.js';
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
