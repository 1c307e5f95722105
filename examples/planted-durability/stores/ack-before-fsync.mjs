// Planted bug: an append-only log acknowledged as soon as the record is written; fsync happens in
// the background a second later (group commit). The record sits in the page cache meanwhile, so
// a process crash keeps it, but a power loss before the fsync loses an acknowledged write.
import { closeSync, fsyncSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export function openStore(dir) {
  const path = join(dir, 'data.log');
  const map = new Map();
  try {
    for (const line of readFileSync(path, 'utf8').split('\n')) {
      if (!line) continue;
      const { k, v } = JSON.parse(line);
      map.set(k, v);
    }
  } catch (err) {
    if (err.code !== 'ENOENT') throw err;
  }
  const fd = openSync(path, 'a');
  let pending;
  return {
    get: (k) => map.get(k),
    put(k, v) {
      writeSync(fd, JSON.stringify({ k, v }) + '\n');
      map.set(k, v);
      pending ??= setTimeout(() => {
        pending = undefined;
        fsyncSync(fd);
      }, 1000);
    },
    close: () => closeSync(fd),
  };
}
