// Builds the static C shim (src/shim/faultbox-shim.c) into dist/shim/faultbox-shim with the
// system gcc. Static, so it also runs inside containers whatever libc the image has.
import { execFileSync } from 'node:child_process';
import { mkdirSync, renameSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const source = join(root, 'src', 'shim', 'faultbox-shim.c');
const output = join(root, 'dist', 'shim', 'faultbox-shim');

mkdirSync(dirname(output), { recursive: true });
try {
  // Build beside the target and rename over it: a run starting the shim meanwhile sees either
  // the old binary or the new one, never a half-written file.
  const staging = `${output}.${process.pid}.tmp`;
  execFileSync('gcc', ['-static', '-O2', '-Wall', '-Wextra', '-o', staging, source], { stdio: 'inherit' });
  renameSync(staging, output);
} catch (err) {
  const reason = err && err.code === 'ENOENT' ? 'gcc is not installed (apt-get install gcc libc6-dev)' : 'gcc failed (see above)';
  console.error(`build-shim: could not build ${output}: ${reason}`);
  process.exit(1);
}
console.log(`build-shim: built ${output}`);
