// Text report of a conformance run: one line per failure, then the per-file summary line.

import type { FileResult } from './runner.js';

export function formatFileResult(r: FileResult): string {
  const out: string[] = [];
  for (const c of r.chunks) {
    for (const f of c.failures) {
      const where = f.line === undefined ? `${r.file} (chunk ${c.index + 1}, line ${c.startLine})` : `${r.file}:${f.line}`;
      out.push(`  ${where}: ${f.message}`);
    }
  }
  out.push(`${r.file}: ${r.passed} passed, ${r.failed} failed (chunks; ${r.assertions} assertions, ${r.failedAssertions} failed)`);
  return out.join('\n');
}
