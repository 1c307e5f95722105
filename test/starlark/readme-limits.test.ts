// The README's table of Starlark limits must state the values the interpreter enforces.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MAX_CALL_DEPTH, MAX_NESTING, MAX_SEQUENCE_LENGTH, MAX_STRING_LENGTH, MAX_VALUE_DEPTH } from '../../src/starlark/limits.js';

describe('README: Starlark limits', () => {
  it('documents exactly the limits of src/starlark/limits.ts', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const block = readme.split('<!-- starlark-limits:start -->')[1]!.split('<!-- starlark-limits:end -->')[0]!;
    const values = block.trim().split('\n').slice(2).map((row) => Number(row.split('|')[2]!.trim()));
    expect(values).toEqual([MAX_NESTING, MAX_CALL_DEPTH, MAX_STRING_LENGTH, MAX_SEQUENCE_LENGTH, MAX_VALUE_DEPTH]);
    for (const v of values) expect(block.split(String(v)).length).toBeGreaterThan(2); // the error text names it too
  });
});
