// `npm run conformance -- FILE...`: runs chunked Starlark conformance files and prints, per file,
// the failures followed by `FILE: N passed, N failed`. Exits 1 if any chunk failed.

import { formatFileResult } from './report.js';
import { runConformanceFile, type FileResult } from './runner.js';

function main(argv: string[]): number {
  const files = argv.filter((a) => !a.startsWith('-'));
  if (files.length === 0 || argv.includes('--help') || argv.includes('-h')) {
    process.stderr.write('usage: npm run conformance -- FILE.star...\n');
    return files.length === 0 ? 2 : 0;
  }
  let failed = 0;
  let passed = 0;
  let assertions = 0;
  let failedAssertions = 0;
  for (const file of files) {
    let r: FileResult;
    try {
      r = runConformanceFile(file);
    } catch (e) {
      process.stdout.write(`${file}: cannot run: ${e instanceof Error ? e.message : String(e)}\n`);
      failed++;
      continue;
    }
    process.stdout.write(formatFileResult(r) + '\n');
    failed += r.failed;
    passed += r.passed;
    assertions += r.assertions;
    failedAssertions += r.failedAssertions;
  }
  if (files.length > 1) {
    process.stdout.write(`total: ${passed} passed, ${failed} failed (chunks; ${assertions} assertions, ${failedAssertions} failed)\n`);
  }
  return failed > 0 ? 1 : 0;
}

process.exitCode = main(process.argv.slice(2));
