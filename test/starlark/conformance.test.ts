// Runs every Starlark conformance file in this directory through the chunked-file runner and
// fails with the list of failing chunks.

import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runConformanceFile } from '../../src/starlark/conformance/runner.js';
import { formatFileResult } from '../../src/starlark/conformance/report.js';

const here = dirname(fileURLToPath(import.meta.url));
const files = readdirSync(here).filter((f) => f.endsWith('.star')).sort();

describe('Starlark conformance corpus', () => {
  it('has corpus files', () => {
    expect(files.length).toBeGreaterThanOrEqual(15);
  });

  for (const name of files) {
    it(name, () => {
      const result = runConformanceFile(join(here, name));
      expect(result.chunks.length).toBeGreaterThan(0);
      if (result.failed > 0) throw new Error(`failing chunks:\n${formatFileResult(result)}`);
    });
  }
});
