// Starlark interpreter benchmark: runs each program under our interpreter (dist/) and under
// python3 in the same run, several repetitions each, and prints the medians and their ratio.
// Usage: node bench/starlark/run.mjs [--reps N] [program.star ...]
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, '../../dist/starlark/index.js');

const args = process.argv.slice(2);
let reps = 5;
const files = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--reps') reps = Number(args[++i]);
  else files.push(args[i]);
}
if (!Number.isInteger(reps) || reps < 1) fail(`--reps wants a positive integer, got ${reps}`);
if (files.length === 0) for (const f of readdirSync(here).sort()) if (f.endsWith('.star')) files.push(join(here, f));
if (!existsSync(dist)) fail(`${dist} not found: run \`npx tsc -p tsconfig.json\` (or npm run build) first`);
if (spawnSync('python3', ['--version']).status !== 0) fail('python3 is not available; it is needed for the comparison');

function fail(msg) {
  process.stderr.write(`bench:starlark: ${msg}\n`);
  process.exit(1);
}

/** Run a command once; returns wall-clock ms, stdout, and the in-process time if reported. */
function timeOnce(cmd, argv) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, argv, { encoding: 'utf8', maxBuffer: 64 << 20 });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) fail(`${cmd} ${argv.join(' ')} exited with ${r.status}:\n${r.stderr}`);
  const inproc = /exec-ms=([\d.]+)/.exec(r.stderr ?? '');
  return { ms, out: r.stdout.trim(), inproc: inproc ? Number(inproc[1]) : undefined };
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

const rows = [];
for (const file of files) {
  const ours = [];
  const oursIn = [];
  const py = [];
  let oursOut = '';
  let pyOut = '';
  // Interleave the two interpreters so drifting machine load affects both alike.
  for (let i = 0; i < reps; i++) {
    const a = timeOnce(process.execPath, [join(here, 'exec-ours.mjs'), file]);
    ours.push(a.ms);
    if (a.inproc !== undefined) oursIn.push(a.inproc);
    oursOut = a.out;
    const b = timeOnce('python3', [file]);
    py.push(b.ms);
    pyOut = b.out;
  }
  const o = median(ours);
  const p = median(py);
  rows.push({
    program: basename(file),
    ours: o.toFixed(0),
    oursExec: oursIn.length ? median(oursIn).toFixed(0) : '-',
    python: p.toFixed(0),
    ratio: (o / p).toFixed(2),
    output: oursOut === pyOut ? 'same' : 'DIFFERENT',
  });
  if (oursOut !== pyOut) process.stderr.write(`${basename(file)}: outputs differ\n  ours:   ${oursOut}\n  python: ${pyOut}\n`);
}

const cols = [
  ['program', 'program'], ['ours', 'ours ms'], ['oursExec', 'ours exec ms'], ['python', 'python ms'],
  ['ratio', 'ratio'], ['output', 'output'],
];
const width = cols.map(([k, h]) => Math.max(h.length, ...rows.map((r) => String(r[k]).length)));
const line = (cells) => cells.map((c, i) => (i === 0 ? String(c).padEnd(width[i]) : String(c).padStart(width[i]))).join('  ');
console.log(`median of ${reps} runs each; wall-clock per process (start-up included); ratio = ours / python`);
console.log(line(cols.map(([, h]) => h)));
for (const r of rows) console.log(line(cols.map(([k]) => r[k])));
if (rows.some((r) => r.output !== 'same')) process.exitCode = 1;
