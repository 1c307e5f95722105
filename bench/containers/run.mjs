// Container demo timing: the per-test time of examples/container-demo with fresh containers for
// every test, and with `reuse = True` on postgres and redis (the same spec text, see
// reuse-variant.mjs), measured in the same run, interleaved over BENCH_ROUNDS rounds. Per-test
// times are the `duration_ms` faultbox reports (services started + body; stopping is after it);
// the suite line is the wall time of the whole `faultbox test` process, stops included.
//   npm run bench:containers        (BENCH_ROUNDS=3 by default; root, Docker, local images)
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeReuseVariant } from './reuse-variant.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const out = join(here, 'out');
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const spec = join(root, 'examples', 'container-demo', 'faultbox.star');
const imageMap = 'postgres:16-alpine=faultbox-local/postgres:16,redis:7-alpine=faultbox-local/redis:7,node:20-slim=faultbox-local/node:20';

function step(what, file, args) {
  try {
    execFileSync(file, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], timeout: 900_000 });
  } catch (err) {
    console.error(`bench: ${what} failed (${[file, ...args].join(' ')}):\n${err.stdout ?? ''}${err.stderr ?? err.message}`);
    process.exit(1);
  }
}

if (process.getuid?.() !== 0) {
  console.error('bench: run as root (Docker, and the seccomp handoff into containers)');
  process.exit(1);
}
mkdirSync(out, { recursive: true });
console.log('building: npm run build, Docker engine, local images ...');
step('the build', 'npm', ['run', 'build']);
if (spawnSync('docker', ['info'], { stdio: 'ignore' }).status !== 0) step('starting Docker', 'bash', ['scripts/setup-docker.sh']);
step('the local images', 'bash', ['scripts/build-images.sh']);

const variantFile = writeReuseVariant(spec);
const variants = [
  { key: 'fresh', label: 'fresh containers per test', file: spec },
  { key: 'reuse', label: 'reuse=True (postgres, redis)', file: variantFile },
];

/** test name → [ms per round] and the suite wall times, per variant. */
const perTest = new Map(variants.map((v) => [v.key, new Map()]));
const wall = new Map(variants.map((v) => [v.key, []]));

try {
  for (let r = 1; r <= rounds; r++) {
    process.stdout.write(`round ${r}/${rounds}:`);
    // Alternate the order so neither variant always runs on a warmer machine.
    const order = r % 2 === 1 ? variants : [...variants].reverse();
    for (const v of order) {
      const trace = join(out, `${v.key}-${r}.json`);
      const started = performance.now();
      const run = spawnSync('node', [join(root, 'bin', 'faultbox.js'), 'test', v.file, '--output', trace], {
        cwd: root,
        env: { ...process.env, FAULTBOX_IMAGE_MAP: imageMap },
        encoding: 'utf8',
        timeout: 900_000,
      });
      const ms = performance.now() - started;
      if (run.status !== 0) {
        console.error(`\nbench: ${v.key} run ${r} exited ${run.status}:\n${run.stdout}\n${run.stderr}`);
        process.exit(1);
      }
      wall.get(v.key).push(ms);
      for (const t of JSON.parse(readFileSync(trace, 'utf8')).tests) {
        const list = perTest.get(v.key).get(t.name) ?? [];
        list.push(t.duration_ms);
        perTest.get(v.key).set(t.name, list);
      }
      process.stdout.write(` ${v.key} ${(ms / 1000).toFixed(1)}s`);
    }
    process.stdout.write('\n');
  }
} finally {
  rmSync(dirname(variantFile), { recursive: true, force: true });
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const secs = (ms) => `${(ms / 1000).toFixed(2)}s`;
const rows = [];
const tests = [...perTest.get('fresh').keys()].sort();
for (const name of tests) {
  const fresh = median(perTest.get('fresh').get(name));
  const reuse = median(perTest.get('reuse').get(name) ?? [NaN]);
  rows.push([name.replace(/^test_/, ''), secs(fresh), secs(reuse), `${(fresh / reuse).toFixed(1)}x`]);
}
const meanOf = (key) => tests.reduce((sum, n) => sum + median(perTest.get(key).get(n)), 0) / tests.length;
rows.push(['mean per test', secs(meanOf('fresh')), secs(meanOf('reuse')), `${(meanOf('fresh') / meanOf('reuse')).toFixed(1)}x`]);
rows.push([`suite wall time (${tests.length} tests)`, secs(median(wall.get('fresh'))), secs(median(wall.get('reuse'))), `${(median(wall.get('fresh')) / median(wall.get('reuse'))).toFixed(1)}x`]);

const header = ['test (median of ' + rounds + ')', variants[0].label, variants[1].label, 'fresh/reuse'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (cells) => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`;
console.log('');
console.log(line(header));
console.log(`|${widths.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`);
for (const r of rows) console.log(line(r));
console.log(`\nper-test time = services started and ready + the body (faultbox's duration_ms); traces in ${out}`);
