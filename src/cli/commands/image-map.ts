// --image a=b and FAULTBOX_IMAGE_MAP="a=b,c=d": run a spec's official image names against
// locally built images. The keys are normalised (postgres:16 = docker.io/library/postgres:16),
// as the image resolver looks them up, so parsing lives with the resolver.
import { parseImageMap } from '../../runtime/launch/image.js';

export function imageMap(flags: readonly string[], env = process.env.FAULTBOX_IMAGE_MAP): Map<string, string> {
  return parseImageMap(flags, env);
}
