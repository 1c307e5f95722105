// The reuse variant of the container demo: the same spec text with `reuse = True` on postgres and
// redis, written to a temp dir (its build context made absolute), so the two always test the same
// things. Used by the containers bench and the demo's end-to-end test.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** Writes the variant next to nothing of the repo's; returns its path (the caller removes its dir). */
export function writeReuseVariant(specFile) {
  const demoDir = dirname(specFile);
  let text = readFileSync(specFile, 'utf8');
  const edits = [
    [/^(\s*image = "postgres:16-alpine",\n)/m, '$1    reuse = True,\n'],
    [/^(\s*image = "redis:7-alpine",\n)/m, '$1    reuse = True,\n'],
    [/^(\s*build = )"\.\/api",$/m, `$1${JSON.stringify(join(demoDir, 'api'))},`],
  ];
  for (const [pattern, replacement] of edits) {
    if (!pattern.test(text)) throw new Error(`reuse variant: ${pattern} not found in ${specFile}; update bench/containers/reuse-variant.mjs`);
    text = text.replace(pattern, replacement);
  }
  const dir = mkdtempSync(join(tmpdir(), 'faultbox-reuse-demo-'));
  const file = join(dir, 'faultbox.star');
  writeFileSync(file, `# Generated from ${specFile}: postgres and redis with reuse = True.\n${text}`);
  return file;
}
