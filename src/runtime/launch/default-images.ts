// The local images `npm run setup` built stand in for the official names they replace
// (scripts/build-images.sh writes the list), so a spec naming `postgres:16-alpine` runs on a
// machine without a registry with no flags. Explicit substitutions (`--image`,
// FAULTBOX_IMAGE_MAP) always win; these apply only when the official image is absent.
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { UsageError } from '../../errors.js';
import { normalizeImageRef, type ImageMap } from './image.js';

export const IMAGE_DEFAULTS_ENV = 'FAULTBOX_IMAGE_DEFAULTS';

export interface DefaultImages {
  readonly file: string;
  readonly map: ImageMap;
}

export function defaultImagesFile(env: NodeJS.ProcessEnv = process.env): string {
  return env[IMAGE_DEFAULTS_ENV] ?? join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'faultbox', 'image-map');
}

/** The substitutes file as a map; none when setup has not written one. */
export function loadDefaultImages(file = defaultImagesFile()): DefaultImages | undefined {
  if (!existsSync(file)) return undefined;
  const map = new Map<string, string>();
  readFileSync(file, 'utf8').split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const m = /^(\S+)=(\S+)$/.exec(line);
    if (!m) throw new UsageError(`${file}:${i + 1}: "${line}" is not an image substitution; expected IMAGE=LOCAL, e.g. postgres:16=faultbox-local/postgres:16`);
    map.set(normalizeImageRef(m[1]!), m[2]!);
  });
  return { file, map };
}
