// What a recorded syscall touched, reduced to a stable "site" key, and for files a path glob the
// runtime can filter on. Normalization rules (kept deliberately simple; the README documents them):
//   - files: every run of digits in the final path component becomes `*`, `/proc/<pid>/`
//     becomes `/proc/*/` (pids change every run), and a directory the runtime names anew each
//     run (a service's scratch dir) becomes the glob it gives for it; other directories are kept
//     verbatim.
//     Glob metacharacters (`* ? [ ] \`) in the literal parts are escaped with `\`.
//   - `socket:[inode]` → `socket`,
//     `pipe:[inode]` → `pipe`, `anon_inode:[eventfd]` → `anon:eventfd`: inode numbers are volatile
//     and the runtime cannot filter on them, so these sites get no glob.
//   - a call that names its peer (connect, sendto/sendmsg with an address) → `peer:<glob>` with a
//     peer glob rules can filter on: `*:<port>` for IP peers (container addresses change between
//     runs, the port says which dependency it is), the exact address for unix sockets.
import type { SyscallEvent } from '../../spec/events.js';
import { compilePathGlob, type PathGlob } from '../../spec/path-glob.js';

export type SiteKind = 'file' | 'socket' | 'pipe' | 'anon' | 'peer' | 'other' | 'none';

export interface SiteTarget {
  readonly kind: SiteKind;
  /** Stable identity of the site within a (service, family). */
  readonly key: string;
  /** Path glob a FaultRule can use to reach exactly this site's calls (files only). */
  readonly glob?: string;
  /** Peer glob a FaultRule can use to reach this site's calls (peers only). */
  readonly peerGlob?: string;
}

/** `*:6379` for `10.0.0.3:6379` and `[::1]:6379`; a unix peer as it is (escaped). */
export function peerGlobOf(peer: string): string {
  const port = /^(?:\d+\.\d+\.\d+\.\d+|\[[^\]]*\]):(\d+)$/.exec(peer);
  return port ? `*:${port[1]}` : escapeGlob(peer);
}

const GLOB_META = /[*?[\]\\]/g;

function escapeGlob(literal: string): string {
  return literal.replace(GLOB_META, (c) => `\\${c}`);
}

/** A directory whose name changes between runs, and a glob that matches it in any run. */
export interface VolatileDir {
  readonly dir: string;
  readonly glob: string;
}

/**
 * Glob for a file path: digit runs in the last component become `*`; a path inside a volatile
 * directory starts with that directory's glob instead of its literal name.
 */
export function fileGlob(path: string, volatileDirs: readonly VolatileDir[] = []): string {
  const inside = volatileDirs.find((d) => path.startsWith(`${d.dir}/`));
  if (inside) return `${inside.glob}/${literalFileGlob(path.slice(inside.dir.length + 1))}`;
  return literalFileGlob(path);
}

function literalFileGlob(path: string): string {
  const procNormalized = path.replace(/^\/proc\/\d+\//, '/proc/\u0000/');
  const slash = procNormalized.lastIndexOf('/');
  const dir = procNormalized.slice(0, slash + 1);
  const base = procNormalized.slice(slash + 1);
  const globDir = escapeGlob(dir).replace('\u0000', '*');
  const globBase = base
    .split(/(\d+)/)
    .map((part, i) => (i % 2 === 1 ? '*' : escapeGlob(part)))
    .join('');
  return globDir + globBase;
}

export function siteOf(ev: Pick<SyscallEvent, 'path' | 'peer'>, volatileDirs: readonly VolatileDir[] = []): SiteTarget {
  if (ev.peer) {
    const peerGlob = peerGlobOf(ev.peer);
    return { kind: 'peer', key: `peer:${peerGlob}`, peerGlob };
  }
  const path = ev.path;
  if (path !== undefined && path !== '') {
    if (path.startsWith('socket:')) return { kind: 'socket', key: 'socket' };
    if (path.startsWith('pipe:')) return { kind: 'pipe', key: 'pipe' };
    if (path.startsWith('anon_inode:')) {
      const name = path.slice('anon_inode:'.length).replace(/^\[|\]$/g, '');
      return { kind: 'anon', key: `anon:${name}` };
    }
    if (path.startsWith('/')) {
      const glob = fileGlob(path, volatileDirs);
      return { kind: 'file', key: `file:${glob}`, glob };
    }
    return { kind: 'other', key: `other:${path}` };
  }
  return { kind: 'none', key: 'none' };
}

/**
 * Whether a path-filtered rule with `glob` sees `path`: the runtime's own matcher (one meaning of
 * a glob: the explorer's prediction of what a rule counts must be what the supervisor counts).
 */
export function globMatches(glob: string, path: string): boolean {
  let compiled = compiledGlobs.get(glob);
  if (!compiled) compiledGlobs.set(glob, (compiled = compilePathGlob(glob)));
  return compiled.test(path);
}

const compiledGlobs = new Map<string, PathGlob>();
