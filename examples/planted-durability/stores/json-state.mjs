// The whole-state-in-one-JSON-file stores start the same way: the last state written, or {}.
import { readFileSync } from 'node:fs';

export function readState(path) {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    if (err.code !== 'ENOENT') throw err;
    return {};
  }
}
