// `npm run conformance -- FILE...`: runs chunked Starlark conformance files and prints, per file,
// the failures and skipped chunks followed by the file's counts, then one line over all files:
// `N passed, N failed, N skipped` (chunks). Exits 1 if any chunk failed or a file could not run.

import { formatFileResult, summary, type Totals } from './report.js';
import { runConformanceFile, type FileResult } from './runner.js';

function main(argv: string[]): number {
  const files = argv.filter((a) => !a.startsWith('-'));
  if (files.length === 0 || argv.includes('--help') || argv.includes('-h')) {
    process.stderr.write('usage: npm run conformance -- FILE.star...\n');
    return files.length === 0 ? 2 : 0;
  }
  const totals: Totals = { passed: 0, failed: 0, skipped: 0 };
  let unreadable = 0;
  for (const file of files) {
    let r: FileResult;
    try {
      r = runConformanceFile(file);
    } catch (e) {
      process.stdout.write(`${file}: cannot run: ${e instanceof Error ? e.message : String(e)}\n`);
      unreadable++;
      continue;
    }
    process.stdout.write(formatFileResult(r) + '\n');
    totals.passed += r.passed;
    totals.failed += r.failed;
    totals.skipped += r.skipped;
  }
  const cannot = unreadable > 0 ? ` (${unreadable} file${unreadable === 1 ? '' : 's'} could not run)` : '';
  process.stdout.write(`${summary(totals)}${cannot}\n`);
  return totals.failed > 0 || unreadable > 0 ? 1 : 0;
}

process.exitCode = main(process.argv.slice(2));
