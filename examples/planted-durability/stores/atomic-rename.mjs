// Done right: write the temporary file, fsync it, rename it over the old one, fsync the directory;
// only then acknowledge. A power loss at any point leaves either the old or the new state.
import { closeSync, fsyncSync, openSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { readState } from './json-state.mjs';

export function openStore(dir) {
  const path = join(dir, 'data.json');
  let state = readState(path);
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
