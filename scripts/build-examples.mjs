// Bundles each example's TypeScript api (with its pg/ioredis dependencies) into one file, so
// it runs as a local binary service and can be copied into a container image without a
// registry or an npm install inside the image; then compiles the C and Go services of
// examples/targets and the Go test fixture (gcc, and Go from scripts/setup-go.sh) into each dist/.
import { execFileSync } from 'node:child_process';
import { build } from 'esbuild';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const entries = [
  'examples/binary-demo/api/server.ts',
  'examples/container-demo/api/server.ts',
];

for (const entry of entries) {
  const src = join(root, entry);
  if (!existsSync(src)) continue;
  const outfile = join(dirname(src), 'dist', 'server.cjs');
  await build({
    entryPoints: [src],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    outfile,
    // pg tries an optional native binding; the pure-JS client is what we want.
    external: ['pg-native'],
    logLevel: 'warning',
  });
  console.log(`built ${entry} → ${outfile.slice(root.length + 1)}`);
}

/** Compiled services of the target suite: [target dir, output name, compiler, its arguments]. */
const compiled = [
  ['examples/targets/c-ack-early', 'kvd', 'gcc', ['-O2', '-Wall', '-Wextra', '-Werror', '-o', 'dist/kvd', 'kvd.c']],
  ['examples/targets/go-nth-write', 'ledger', 'go', ['build', '-o', 'dist/ledger', 'ledger.go']],
  ['examples/targets/go-double-fault', 'records', 'go', ['build', '-o', 'dist/records', 'records.go']],
  ['test/fixtures/go-wakeup', 'wakeup', 'go', ['build', '-o', 'dist/wakeup', 'main.go']],
];

/** Debian's golang-go puts `go` on PATH through /usr/bin; its real home is /usr/lib/go. */
function toolPath(tool) {
  if (tool !== 'go') return tool;
  for (const dir of (process.env.PATH ?? '').split(':')) if (dir && existsSync(join(dir, 'go'))) return join(dir, 'go');
  if (existsSync('/usr/lib/go/bin/go')) return '/usr/lib/go/bin/go';
  throw new Error('go is not installed: the Go targets of examples/targets need it; run `sudo bash scripts/setup-go.sh` (installs Debian\'s golang-go)');
}

for (const [dir, name, tool, args] of compiled) {
  const cwd = join(root, dir);
  if (!existsSync(cwd)) continue;
  mkdirSync(join(cwd, 'dist'), { recursive: true });
  execFileSync(toolPath(tool), args, { cwd, stdio: ['ignore', 'inherit', 'inherit'], env: { GOCACHE: join(root, 'node_modules', '.cache', 'go-build'), ...process.env, GO111MODULE: 'off' } });
  console.log(`built ${dir}/dist/${name}`);
}
