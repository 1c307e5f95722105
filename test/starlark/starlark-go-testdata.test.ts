// Runs starlark-go's own core test-data files (from Debian's golang-starlark-dev, installed by
// scripts/setup-starlark-testdata.sh, never committed here) through our conformance runner, and
// fails if fewer than 95 % of the chunks that do not need starlark-go's Go test harness pass.

import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { GO_HARNESS_GLOBALS } from '../../src/starlark/conformance/chunk-requirements.js';
import { formatFileResult, passRate, summary, type Totals } from '../../src/starlark/conformance/report.js';
import { runConformanceFile, type FileResult } from '../../src/starlark/conformance/runner.js';

const CORE_FILES = [
  'assign', 'bool', 'builtins', 'control', 'dict', 'function', 'int', 'list', 'misc', 'string', 'tuple', 'set', 'float',
];
const REQUIRED_PASS_RATE = 0.95;
/** Chunks that use hasfields/fibonacci in this version of the files; more would hide regressions. */
const MAX_SKIPPED = 5;

const here = dirname(fileURLToPath(import.meta.url));
let results: FileResult[] = [];

beforeAll(() => {
  // Fails loudly (non-zero exit, with the script's reason) if the data cannot be had.
  const dir = execFileSync('bash', [join(here, '../../scripts/setup-starlark-testdata.sh')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  }).trim();
  results = CORE_FILES.map((f) => runConformanceFile(join(dir, `${f}.star`)));
}, 300_000);

describe("starlark-go's core test data", () => {
  it(`passes at least ${REQUIRED_PASS_RATE * 100} % of the chunks that do not need the Go harness`, () => {
    const totals: Totals = { passed: 0, failed: 0, skipped: 0 };
    for (const r of results) {
      totals.passed += r.passed;
      totals.failed += r.failed;
      totals.skipped += r.skipped;
    }
    const report = results.filter((r) => r.failed > 0 || r.skipped > 0).map(formatFileResult).join('\n');
    process.stdout.write(`starlark-go test data: ${summary(totals)} (pass rate ${(passRate(totals) * 100).toFixed(1)} %)\n`);
    expect(totals.passed + totals.failed, 'chunks run').toBeGreaterThan(60);
    expect(passRate(totals), `${summary(totals)}\n${report}`).toBeGreaterThanOrEqual(REQUIRED_PASS_RATE);
  });

  it('skips only chunks that use the Go harness globals, counted apart from passes', () => {
    const skipped = results.flatMap((r) => r.chunks.filter((c) => c.skipped !== undefined));
    expect(skipped.length).toBeLessThanOrEqual(MAX_SKIPPED);
    for (const c of skipped) {
      expect([...GO_HARNESS_GLOBALS].some((g) => c.skipped!.includes(g)), c.skipped).toBe(true);
      expect(c.failures).toEqual([]);
    }
    for (const r of results) expect(r.passed + r.failed + r.skipped).toBe(r.chunks.length);
  });
});
