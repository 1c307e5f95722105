// bench:lost-writes — what the undo log (crash(lose_unsynced=True)) costs, measured in one run:
//  1. a pwrite() of a 4 KiB block under the same seccomp filter with the undo log off and on,
//     for a block touched for the first time since the last fsync (the log reads its pre-image)
//     and for one already saved (no read); ratios on/off;
//  2. PostgreSQL crash-restart cycles with lost writes (commit, SIGKILL + roll back, restart,
//     read back) per minute.
// Needs the build (npm run build) and Debian's PostgreSQL; prints what it measured.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..', '..');
const cli = join(repo, 'bin', 'faultbox.js');

function faultboxTest(spec) {
  const r = spawnSync('node', [cli, 'test', join(here, spec)], { cwd: repo, encoding: 'utf8', timeout: 600_000 });
  if (r.status !== 0) {
    console.error(r.stdout, r.stderr);
    throw new Error(`faultbox test ${spec} exited ${r.status}`);
  }
  return r.stdout;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

// --- 1. a write with the undo log off vs on --------------------------------------------------
const out = faultboxTest('undo-log.star');
const rows = { off: { first: [], again: [] }, on: { first: [], again: [] } };
for (const m of out.matchAll(/^(off|on) (\d+) (\d+)$/gm)) {
  rows[m[1]].first.push(Number(m[2]) / 1000);
  rows[m[1]].again.push(Number(m[3]) / 1000);
}
console.log('pwrite of a 4 KiB block under the seccomp filter (µs per call, median of 15 rounds of 2000):');
for (const kind of ['first', 'again']) {
  const off = median(rows.off[kind]);
  const on = median(rows.on[kind]);
  const what = kind === 'first' ? 'first touch since fsync (pre-image read)' : 'block already saved            ';
  console.log(`  ${what}  log off ${off.toFixed(1)}  log on ${on.toFixed(1)}  ratio on/off ${(on / off).toFixed(2)}x  (+${(on - off).toFixed(1)} µs)`);
}

// --- 2. PostgreSQL crash-restart cycles ------------------------------------------------------
const pgOut = faultboxTest('postgres-crash.star');
const cycles = [...pgOut.matchAll(/^cycle (\d+)$/gm)].map((m) => Number(m[1]));
if (cycles.length === 0) throw new Error(`no cycles measured:\n${pgOut}`);
const med = median(cycles);
console.log(`PostgreSQL crash(lose_unsynced=True) → healthy again: median ${med} ms over ${cycles.length} cycles (min ${Math.min(...cycles)}, max ${Math.max(...cycles)}) = ${(60000 / med).toFixed(0)} crash-restart cycles per minute`);
