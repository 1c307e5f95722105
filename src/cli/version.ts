// The faultbox version, read once from package.json (recorded in traces, corpus entries, exports).
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function readVersion(): string {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
  try {
    return (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

export const FAULTBOX_VERSION = readVersion();
