// Supervisor benchmark: per-call cost of a write(2) to /dev/null natively, under the filter but
// not trapped, trapped and answered by a C reference loop, by faultbox's Supervisor, and by
// strace (plus getppid natively and untrapped, the measurement notes' reference call). Variants
// run interleaved for several rounds; the table shows medians. Run it on an otherwise idle
// machine: trapped calls ping-pong between two threads and feel every other process.
//   node bench/supervisor/run.mjs            (BENCH_ROUNDS=5, BENCH_TRAPPED=200000 by default)
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const out = join(here, 'out');
const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
const nTrapped = Number(process.env.BENCH_TRAPPED ?? 200_000);
const nFast = nTrapped * 10;
const nStrace = Math.max(1000, Math.round(nTrapped / 10));

mkdirSync(out, { recursive: true });
console.log('building: tsc, shim, bench programs ...');
try {
  execFileSync('npx', ['tsc', '-p', 'tsconfig.json'], { cwd: root, stdio: 'pipe' });
} catch {
  // tsc still emits JS when other parts of the tree have type errors; the files used here exist.
}
execFileSync('node', [join(root, 'scripts', 'build-shim.mjs')], { stdio: 'pipe' });
const target = join(out, 'bench-target');
const cLoop = join(out, 'c-supervisor');
execFileSync('gcc', ['-O2', '-Wall', '-o', target, join(here, 'bench-target.c')]);
execFileSync('gcc', ['-O2', '-Wall', '-o', cLoop, join(here, 'c-supervisor.c')]);
const shim = join(root, 'dist', 'shim', 'faultbox-shim');
const WRITE = '1';
const GETPPID = '110';

const variants = [
  { key: 'native', label: 'native (no filter)', argv: [target, 'write', nFast] },
  { key: 'untrapped', label: 'filter installed, write not trapped', argv: [cLoop, shim, 'continue', GETPPID, '--', target, 'write', nFast] },
  { key: 'native-getppid', label: 'native getppid (no filter)', argv: [target, 'getppid', nFast] },
  { key: 'untrapped-getppid', label: 'filter installed, getppid not trapped', argv: [cLoop, shim, 'continue', WRITE, '--', target, 'getppid', nFast] },
  { key: 'c', label: 'trapped, C loop, CONTINUE (sync wake-up)', argv: [cLoop, shim, 'continue', WRITE, '--', target, 'write', nTrapped] },
  { key: 'c-deny', label: 'trapped, C loop, deny EIO', argv: [cLoop, shim, 'deny', WRITE, '--', target, 'write', nTrapped] },
  { key: 'c-poll', label: 'trapped, C loop, poll() before each RECV', argv: [cLoop, shim, 'poll-continue', WRITE, '--', target, 'write', nTrapped] },
  { key: 'ours', label: 'trapped, faultbox Supervisor, CONTINUE', argv: ['node', join(here, 'ours.mjs'), target, 'continue', nTrapped] },
  { key: 'ours-covered', label: 'trapped, faultbox Supervisor, rule covers, no fire (+event, fd kind)', argv: ['node', join(here, 'ours.mjs'), target, 'covered', nTrapped] },
  { key: 'ours-deny', label: 'trapped, faultbox Supervisor, deny EIO (+event, fd path)', argv: ['node', join(here, 'ours.mjs'), target, 'deny', nTrapped] },
  { key: 'strace', label: 'strace -f, trace write', argv: ['strace', '-f', '-qq', '-o', '/dev/null', '-e', 'trace=write', target, 'write', nStrace] },
  { key: 'strace-inject', label: 'strace -f -e inject=write:error=EIO', argv: ['strace', '-f', '-qq', '-o', '/dev/null', '-e', 'trace=write', '-e', 'inject=write:error=EIO', target, 'write', nStrace] },
];

const samples = new Map(variants.map((v) => [v.key, []]));
for (let r = 1; r <= rounds; r++) {
  process.stdout.write(`round ${r}/${rounds}:`);
  for (const v of variants) {
    const text = execFileSync(v.argv[0], v.argv.slice(1).map(String), { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    const m = /ns_per_call=([\d.]+)/.exec(text);
    if (!m) throw new Error(`${v.key}: no measurement in output: ${text}`);
    samples.get(v.key).push(Number(m[1]));
    process.stdout.write(` ${v.key}`);
  }
  process.stdout.write('\n');
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const med = Object.fromEntries(variants.map((v) => [v.key, median(samples.get(v.key))]));
const rows = variants.map((v) => {
  const xs = samples.get(v.key);
  return [v.label, med[v.key].toFixed(0), Math.min(...xs).toFixed(0), Math.max(...xs).toFixed(0),
    `${(med[v.key] / (v.key.endsWith('getppid') ? med['native-getppid'] : med.native)).toFixed(2)}x`,
    v.key.startsWith('native') || v.key.startsWith('untrapped') ? '' : `${(med[v.key] / med.c).toFixed(2)}x`];
});
const head = ['path', 'median ns/call', 'min', 'max', 'vs native', 'vs C loop'];
const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (cells) => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`;
console.log(`\nwrite(2) of 1 byte to /dev/null unless noted; ${rounds} rounds; trapped runs ${nTrapped} calls, untrapped ${nFast}, strace ${nStrace}`);
console.log(line(head));
console.log(`|${widths.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`);
for (const r of rows) console.log(line(r));
console.log(`\ntargets: trapped through faultbox <= 1.3x the C loop: ${(med.ours / med.c).toFixed(2)}x (continue), ${(med['ours-covered'] / med.c).toFixed(2)}x (covered, no fire), ${(med['ours-deny'] / med['c-deny']).toFixed(2)}x (deny vs C deny);`
  + ` untrapped <= 1.15x native: ${(med.untrapped / med.native).toFixed(2)}x (write), ${(med['untrapped-getppid'] / med['native-getppid']).toFixed(2)}x (getppid)`);
