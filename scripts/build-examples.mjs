// Bundles each example's TypeScript api (with its pg/ioredis dependencies) into one file, so
// it runs as a local binary service and can be copied into a container image without a
// registry or an npm install inside the image.
import { build } from 'esbuild';
import { existsSync } from 'node:fs';
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
