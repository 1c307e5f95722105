// --image a=b and FAULTBOX_IMAGE_MAP="a=b,c=d": run a spec's official image names against
// locally built images.
import { UsageError } from '../../errors.js';

export function imageMap(flags: readonly string[], env = process.env.FAULTBOX_IMAGE_MAP): Map<string, string> {
  const map = new Map<string, string>();
  const entries = [...(env ? env.split(',').map((e) => e.trim()).filter(Boolean) : []), ...flags];
  for (const entry of entries) {
    const eq = entry.indexOf('=');
    if (eq <= 0 || eq === entry.length - 1) throw new UsageError(`--image expects IMAGE=LOCALREF (e.g. postgres:16-alpine=faultbox-local/postgres:16), got "${entry}"`);
    map.set(entry.slice(0, eq), entry.slice(eq + 1));
  }
  return map;
}
