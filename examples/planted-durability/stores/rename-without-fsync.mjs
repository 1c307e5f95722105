// Planted bug: the "atomic write" many npm helpers do — write the whole state to a temporary file
// and rename it over the old one — without fsyncing the file or the directory. A process crash
// never shows it; after a power loss the rename or the new contents may be gone.
import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readState } from './json-state.mjs';

export function openStore(dir) {
  const path = join(dir, 'data.json');
  let state = readState(path);
  return {
    get: (k) => state[k],
    put(k, v) {
      const next = { ...state, [k]: v };
      writeFileSync(`${path}.tmp`, JSON.stringify(next));
      renameSync(`${path}.tmp`, path);
      state = next;
    },
  };
}
