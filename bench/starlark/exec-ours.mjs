// Runs one Starlark file with our interpreter (from dist/), printing its output to stdout and,
// on stderr, the in-process execution time in ms (excluding Node start-up and module loading).
import { execFile, StarlarkError } from '../../dist/starlark/index.js';

const file = process.argv[2];
const t0 = performance.now();
try {
  execFile(file, { print: (line) => process.stdout.write(line + '\n') });
} catch (e) {
  process.stderr.write((e instanceof StarlarkError ? e.format() : String(e?.stack ?? e)) + '\n');
  process.exit(1);
}
process.stderr.write(`exec-ms=${(performance.now() - t0).toFixed(1)}\n`);
