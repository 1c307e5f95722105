// Text report of a conformance run: one line per failure and per skipped chunk, then the per-file
// summary line; and the one summary line over all files.

import type { FileResult } from './runner.js';

export function formatFileResult(r: FileResult): string {
  const out: string[] = [];
  for (const c of r.chunks) {
    if (c.skipped !== undefined) out.push(`  ${r.file}:${c.startLine}: skipped chunk ${c.index + 1}: ${c.skipped}`);
    for (const f of c.failures) {
      const where = f.line === undefined ? `${r.file} (chunk ${c.index + 1}, line ${c.startLine})` : `${r.file}:${f.line}`;
      out.push(`  ${where}: ${f.message}`);
    }
  }
  out.push(`${r.file}: ${summary(r)} (chunks; ${r.assertions} assertions, ${r.failedAssertions} failed)`);
  return out.join('\n');
}

export interface Totals {
  passed: number;
  failed: number;
  skipped: number;
}

/** `N passed, N failed, N skipped`, counting chunks. */
export function summary(t: Totals): string {
  return `${t.passed} passed, ${t.failed} failed, ${t.skipped} skipped`;
}

/** Share of the chunks that ran (skipped ones excluded) that passed, 0..1; 1 when none ran. */
export function passRate(t: Totals): number {
  const ran = t.passed + t.failed;
  return ran === 0 ? 1 : t.passed / ran;
}
