// Done right: write the temporary file, fsync it, rename it over the old one, fsync the directory;
// only then acknowledge. A power loss at any point leaves either the old or the new state.
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export function openStore(dir) {
  const path = join(dir, 'data.json');
  let state = {};
  try {
    state = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    if (err.code !== 'ENOENT') throw err;
  }
  return {
    get: (k) => state[k],
    put(k, v) {
      const next = { ...state, [k]: v };
      const fd = openSync(`${path}.tmp`, 'w');
      try {
        writeSync(fd, JSON.stringify(next));
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      renameSync(`${path}.tmp`, path);
      const dirFd = openSync(dir, 'r');
      try {
        fsyncSync(dirFd);
      } finally {
        closeSync(dirFd);
      }
      state = next;
    },
  };
}
