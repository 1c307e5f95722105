// Which image a container service runs, and making it present: the image substitution map
// (`--image a=b`, FAULTBOX_IMAGE_MAP) first, then a local image, else a pull (with progress), or
// for `build=` a build of the context directory into `faultbox-<svc>:latest`.
import { createWriteStream, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { InfraError, SpecError, UsageError } from '../../errors.js';
import type { ServiceDecl } from '../../spec/model.js';
import type { DockerClient } from './docker-engine.js';
import { listContext, packContext } from './image-context.js';
import type { DefaultImages } from './default-images.js';

export const DEFAULT_PULL_TIMEOUT_MS = 120_000;
export const IMAGE_MAP_ENV = 'FAULTBOX_IMAGE_MAP';

/** Normalised image reference → replacement, as given. */
export type ImageMap = ReadonlyMap<string, string>;

export interface PullProgress {
  readonly image: string;
  /** The engine's status line: "Pulling fs layer", "Downloading", "Pull complete", ... */
  readonly status: string;
  readonly layer?: string;
  readonly current?: number;
  readonly total?: number;
}

export interface ResolvedImage {
  /** The reference the container is created from. */
  readonly ref: string;
  /** The reference the spec named (before substitution); undefined for build=. */
  readonly requested?: string;
  readonly how: 'local' | 'pulled' | 'built';
  readonly id: string;
}

/**
 * `postgres:16` and `docker.io/library/postgres:16` name the same image; a missing tag means
 * `latest`. Used for map keys and lookups only; the engine gets the reference as written.
 */
export function normalizeImageRef(ref: string): string {
  let r = ref.trim();
  r = r.replace(/^(?:docker\.io|index\.docker\.io|registry-1\.docker\.io)\//, '');
  if (!r.includes('/')) r = `library/${r}`;
  const lastSegment = r.slice(r.lastIndexOf('/') + 1);
  if (!lastSegment.includes(':') && !r.includes('@')) r = `${r}:latest`;
  return r;
}

/**
 * Parses `from=to` pairs (from `--image` flags and the FAULTBOX_IMAGE_MAP env, "a=b,c=d"); flags
 * win over the env for the same image.
 */
export function parseImageMap(flags: readonly string[], envValue: string | undefined = process.env[IMAGE_MAP_ENV]): Map<string, string> {
  const map = new Map<string, string>();
  const add = (pair: string, origin: string): void => {
    const at = pair.indexOf('=');
    const from = at < 0 ? '' : pair.slice(0, at).trim();
    const to = at < 0 ? '' : pair.slice(at + 1).trim();
    if (!from || !to || /\s/.test(from) || /\s/.test(to)) {
      throw new UsageError(`${origin}: "${pair}" is not an image substitution; expected IMAGE=REPLACEMENT, e.g. postgres:16-alpine=faultbox-local/postgres:16`);
    }
    map.set(normalizeImageRef(from), to);
  };
  for (const pair of (envValue ?? '').split(',').map((s) => s.trim()).filter((s) => s.length > 0)) add(pair, IMAGE_MAP_ENV);
  for (const pair of flags) add(pair, '--image');
  return map;
}

export function substituteImage(ref: string, map: ImageMap): string {
  return map.get(normalizeImageRef(ref)) ?? ref;
}

/** Replaces the image of each `FROM` line the map names (build stages keep their names). */
export function substituteDockerfileFrom(dockerfile: string, map: ImageMap): { text: string; replaced: string[] } {
  const replaced: string[] = [];
  const text = dockerfile.replace(
    /^(\s*FROM\s+(?:--\S+\s+)*)(\S+)/gim,
    (whole: string, prefix: string, ref: string) => {
      const to = map.get(normalizeImageRef(ref));
      if (!to) return whole;
      replaced.push(`${ref} → ${to}`);
      return `${prefix}${to}`;
    },
  );
  return { text, replaced };
}

export interface ImageResolverOptions {
  readonly docker: DockerClient;
  readonly imageMap?: ImageMap;
  /** The setup's substitutes (default-images.ts): used only when the requested image is absent. */
  readonly defaults?: DefaultImages;
  /** Told once per image the defaults stood in for. */
  readonly onSubstitute?: (line: string) => void;
  /** Build output goes to `<logDir>/build-<svc>.log`. */
  readonly logDir: string;
  readonly onPullProgress?: (progress: PullProgress) => void;
  readonly pullTimeoutMs?: number;
}

function engineMessage(err: unknown): string {
  const e = err as { json?: { message?: string }; reason?: string; message?: string; statusCode?: number };
  const fromJson = e?.json && typeof e.json === 'object' ? e.json.message : undefined;
  return (fromJson ?? e?.message ?? String(err)).replace(/^\(HTTP code \d+\)\s*[a-z ]*-\s*/i, '').trim();
}

function isNotFound(err: unknown): boolean {
  return (err as { statusCode?: number })?.statusCode === 404;
}

interface StreamMessage {
  status?: string;
  id?: string;
  progressDetail?: { current?: number; total?: number };
  stream?: string;
  error?: string;
  errorDetail?: { message?: string };
  aux?: { ID?: string };
}

export class ImageResolver {
  private readonly docker: DockerClient;
  private readonly map: ImageMap;
  private readonly defaults: DefaultImages | undefined;
  private readonly onSubstitute: ((line: string) => void) | undefined;
  private readonly substituted = new Set<string>();
  private readonly logDir: string;
  private readonly onPullProgress: ((p: PullProgress) => void) | undefined;
  private readonly pullTimeoutMs: number;
  /** One build per service per run: a second start of the service reuses it. */
  private readonly built = new Map<string, Promise<ResolvedImage>>();

  constructor(options: ImageResolverOptions) {
    this.docker = options.docker;
    this.map = options.imageMap ?? new Map();
    this.defaults = options.defaults;
    this.onSubstitute = options.onSubstitute;
    this.logDir = options.logDir;
    this.onPullProgress = options.onPullProgress;
    this.pullTimeoutMs = options.pullTimeoutMs ?? DEFAULT_PULL_TIMEOUT_MS;
  }

  /** Makes the service's image present locally and says which one it is. */
  async resolve(service: ServiceDecl): Promise<ResolvedImage> {
    const source = service.source;
    if (source.kind === 'image') return this.ensure(service.name, source.ref);
    if (source.kind === 'build') {
      let pending = this.built.get(service.name);
      if (!pending) {
        pending = this.build(service.name, resolve(service.baseDir, source.context));
        this.built.set(service.name, pending);
        pending.catch(() => this.built.delete(service.name));
      }
      return pending;
    }
    throw new SpecError(`service "${service.name}" is a binary service; it has no image`);
  }

  /** The local image id, or undefined when the engine has no image by that reference. */
  async localImageId(ref: string): Promise<string | undefined> {
    try {
      return (await this.docker.getImage(ref).inspect()).Id;
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw new InfraError(`could not inspect image "${ref}": ${engineMessage(err)}`);
    }
  }

  async ensure(service: string, requested: string): Promise<ResolvedImage> {
    const ref = substituteImage(requested, this.map);
    const local = await this.localImageId(ref);
    if (local) return { ref, requested, how: 'local', id: local };
    const fallback = ref === requested ? await this.defaultFor(requested) : undefined;
    if (fallback) return { ref: fallback.ref, requested, how: 'local', id: fallback.id };
    if (/:local$/.test(ref)) {
      throw new InfraError(
        `service "${service}": image "${ref}" is tagged :local but is not present`,
        'build it first (docker build -t ' + ref + ' <dir>)',
      );
    }
    await this.pull(service, requested, ref);
    const id = await this.localImageId(ref);
    if (!id) throw new InfraError(`service "${service}": the pull of "${ref}" finished but the engine has no such image`);
    return { ref, requested, how: 'pulled', id };
  }

  private async pull(service: string, requested: string, ref: string): Promise<void> {
    try {
      await new Promise<void>((done, fail) => {
        const timer = setTimeout(() => fail(new Error(`no result within ${this.pullTimeoutMs / 1000}s`)), this.pullTimeoutMs);
        timer.unref();
        this.docker.pull(ref, (err: unknown, stream: NodeJS.ReadableStream) => {
          if (err) {
            clearTimeout(timer);
            fail(err);
            return;
          }
          this.docker.modem.followProgress(
            stream,
            (finishErr: unknown, output: StreamMessage[]) => {
              clearTimeout(timer);
              const failed = output?.find((m) => m.error);
              if (finishErr) fail(finishErr);
              else if (failed) fail(new Error(failed.errorDetail?.message ?? failed.error));
              else done();
            },
            (event: StreamMessage) => {
              if (!event.status) return;
              this.onPullProgress?.({
                image: ref,
                status: event.status,
                layer: event.id,
                current: event.progressDetail?.current,
                total: event.progressDetail?.total,
              });
            },
          );
        });
      });
    } catch (err) {
      const substituted = ref !== requested ? ` (substituted for "${requested}")` : '';
      throw new InfraError(
        `service "${service}": image "${ref}"${substituted} is not present locally and could not be pulled: ${engineMessage(err)}`,
        await this.pullHint(requested),
      );
    }
  }

  /** The setup's local stand-in for an absent image, when it has one and it is present (said once per image). */
  private async defaultFor(requested: string): Promise<{ ref: string; id: string } | undefined> {
    const ref = this.defaults?.map.get(normalizeImageRef(requested));
    const id = ref === undefined ? undefined : await this.localImageId(ref);
    if (ref === undefined || id === undefined) return undefined;
    if (!this.substituted.has(requested)) {
      this.substituted.add(requested);
      this.onSubstitute?.(`image ${requested} is not present: using ${ref} (default substitutes in ${this.defaults!.file})`);
    }
    return { ref, id };
  }

  /** The map for a Dockerfile's FROM lines: the explicit one, plus stand-ins for absent base images. */
  private async fromLineMap(dockerfile: string): Promise<ImageMap> {
    const map = new Map(this.map);
    for (const m of dockerfile.matchAll(/^\s*FROM\s+(?:--\S+\s+)*(\S+)/gim)) {
      const ref = m[1]!;
      // Build arguments (FROM $BASE) and stage names are not images of their own.
      if (ref.includes('$') || !this.defaults?.map.has(normalizeImageRef(ref)) || map.has(normalizeImageRef(ref))) continue;
      if ((await this.localImageId(ref)) !== undefined) continue;
      const fallback = await this.defaultFor(ref);
      if (fallback) map.set(normalizeImageRef(ref), fallback.ref);
    }
    return map;
  }

  /** Suggests a local image of the same name when there is one (e.g. faultbox-local/postgres:16). */
  private async pullHint(requested: string): Promise<string> {
    const name = normalizeImageRef(requested).replace(/[:@].*$/, '').split('/').pop() ?? '';
    let candidates: string[] = [];
    try {
      const images = await this.docker.listImages();
      candidates = images
        .flatMap((i) => i.RepoTags ?? [])
        .filter((tag) => tag !== '<none>:<none>' && tag.replace(/:[^:/]*$/, '').split('/').pop() === name);
    } catch {
      // the hint is best effort
    }
    const base = 'no registry is reachable? build the image locally (scripts/build-images.sh builds faultbox-local/*) and map it with --image or FAULTBOX_IMAGE_MAP';
    return candidates.length > 0 ? `${base}, e.g. --image ${requested}=${candidates[0]}` : `${base}, e.g. --image ${requested}=<local image>`;
  }

  /** `build=`: tars the context and builds its Dockerfile as `faultbox-<svc>:latest`. */
  async build(service: string, contextDir: string): Promise<ResolvedImage> {
    const tag = `faultbox-${service.toLowerCase()}:latest`;
    if (!existsSync(contextDir) || !statSync(contextDir).isDirectory()) {
      throw new SpecError(`service "${service}": build context "${contextDir}" is not a directory`);
    }
    const dockerfilePath = join(contextDir, 'Dockerfile');
    if (!existsSync(dockerfilePath)) {
      throw new SpecError(`service "${service}": build context "${contextDir}" has no Dockerfile`);
    }
    const dockerfile = readFileSync(dockerfilePath, 'utf8');
    const { text, replaced } = substituteDockerfileFrom(dockerfile, await this.fromLineMap(dockerfile));
    const overrides = new Map<string, Buffer>();
    if (replaced.length > 0) overrides.set('Dockerfile', Buffer.from(text));

    mkdirSync(this.logDir, { recursive: true });
    const logPath = join(this.logDir, `build-${service.replace(/[^A-Za-z0-9_.-]/g, '_')}.log`);
    const log = createWriteStream(logPath, { flags: 'a' });
    const lines: string[] = [];
    const note = (line: string): void => {
      log.write(line.endsWith('\n') ? line : `${line}\n`);
      lines.push(line.replace(/\n$/, ''));
      if (lines.length > 200) lines.shift();
    };
    note(`# faultbox: building ${tag} from ${contextDir}`);
    for (const r of replaced) note(`# faultbox: FROM substituted: ${r}`);

    let imageId: string | undefined;
    try {
      const stream = await this.docker.buildImage(packContext(listContext(contextDir, overrides)), {
        t: tag,
        dockerfile: 'Dockerfile',
        rm: true,
        forcerm: true,
        pull: false,
        labels: { faultbox: '1', 'faultbox.service': service },
      } as Parameters<DockerClient['buildImage']>[1]);
      await new Promise<void>((done, fail) => {
        this.docker.modem.followProgress(
          stream,
          (err: unknown, output: StreamMessage[]) => {
            const failed = output?.find((m) => m.error);
            if (err) fail(err);
            else if (failed) fail(new Error(failed.errorDetail?.message ?? failed.error));
            else done();
          },
          (event: StreamMessage) => {
            if (event.stream) for (const l of event.stream.replace(/\n$/, '').split('\n')) note(l);
            if (event.error) note(`ERROR: ${event.errorDetail?.message ?? event.error}`);
            if (event.aux?.ID) imageId = event.aux.ID;
          },
        );
      });
    } catch (err) {
      const failing = lines.filter((l) => l.trim() !== '').slice(-25).map((l) => `    ${l}`).join('\n');
      // The legacy builder announces each instruction as "Step i/n : INSTR ..."; a failing FROM
      // means the base image is neither local nor pullable.
      const lastStep = [...lines].reverse().find((l) => /^Step \d+\/\d+ : /.test(l));
      const missingBase = /^Step \d+\/\d+ : FROM\b/i.test(lastStep ?? '') || /pull access denied|repository does not exist/i.test(engineMessage(err));
      throw new InfraError(
        `service "${service}": building ${contextDir}/Dockerfile failed: ${engineMessage(err)}\n  last build output (full log: ${logPath}):\n${failing}`,
        missingBase
          ? 'no registry is reachable? its FROM image must exist locally: build it (scripts/build-images.sh builds faultbox-local/node:20 and others) and map it with --image FROM_IMAGE=LOCAL_IMAGE'
          : 'fix the failing step shown above',
      );
    } finally {
      await new Promise<void>((r) => log.end(r));
    }
    const id = imageId ?? (await this.localImageId(tag));
    if (!id) throw new InfraError(`service "${service}": the build of ${tag} finished but the engine has no such image`);
    return { ref: tag, how: 'built', id };
  }
}
