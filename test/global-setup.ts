// Once per test run: build dist/ (TypeScript, the static shim, the example apis) so the
// end-to-end tests drive the same CLI a user runs. A failed build fails the run loudly.
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export default function setup(): void {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
}
