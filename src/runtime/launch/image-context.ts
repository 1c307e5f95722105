// The build context of a `build=` service as the tar stream the engine's build API takes: the
// directory's files (minus what .dockerignore excludes), with the Dockerfile optionally replaced
// (image-map substitution of its FROM lines). Written here because the format is small and the
// stream must not hold the whole context in memory.
import { lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';

const BLOCK = 512;
const CHUNK = 64 * 1024;

export interface ContextEntry {
  /** Path inside the context, '/'-separated, no leading './'. */
  readonly name: string;
  readonly type: 'file' | 'dir' | 'symlink';
  readonly mode: number;
  readonly size: number;
  readonly mtimeSec: number;
  readonly linkTarget?: string;
  /** Absolute path on disk, or the replacement content. */
  readonly source: string | Buffer;
}

// ---------------------------------------------------------------------------------------------
// .dockerignore

interface IgnoreRule {
  readonly negate: boolean;
  readonly pattern: RegExp;
}

/** One .dockerignore pattern as a regex over '/'-separated context paths (Go filepath.Match plus `**`). */
export function ignorePatternRegex(pattern: string): RegExp {
  let p = pattern.replace(/\\/g, '/').replace(/^\/+/, '').replace(/\/+$/, '');
  p = p.replace(/^(\.\/)+/, '');
  let re = '';
  for (let i = 0; i < p.length; i += 1) {
    const c = p[i]!;
    if (c === '*') {
      if (p[i + 1] === '*') {
        // `**/` matches zero or more directories; a trailing `**` matches everything below.
        if (p[i + 2] === '/') {
          re += '(?:.*/)?';
          i += 2;
        } else {
          re += '.*';
          i += 1;
        }
      } else {
        re += '[^/]*';
      }
    } else if (c === '?') {
      re += '[^/]';
    } else if (c === '[') {
      const end = p.indexOf(']', i + 1);
      if (end < 0) re += '\\[';
      else {
        const body = p.slice(i + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\');
        re += `[${body}]`;
        i = end;
      }
    } else {
      re += c.replace(/[.+^${}()|\\]/g, '\\$&');
    }
  }
  return new RegExp(`^${re}$`);
}

export function parseDockerignore(text: string): IgnoreRule[] {
  const rules: IgnoreRule[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const negate = line.startsWith('!');
    const body = (negate ? line.slice(1) : line).trim();
    if (body === '') continue;
    rules.push({ negate, pattern: ignorePatternRegex(body) });
  }
  return rules;
}

/** Excluded when the last rule matching the path or one of its parents is not a negation. */
export function isIgnored(rules: readonly IgnoreRule[], path: string): boolean {
  const parts = path.split('/');
  const candidates = parts.map((_, i) => parts.slice(0, i + 1).join('/'));
  let ignored = false;
  for (const rule of rules) {
    if (candidates.some((c) => rule.pattern.test(c))) ignored = !rule.negate;
  }
  return ignored;
}

// ---------------------------------------------------------------------------------------------
// Walking the context

/**
 * Lists the context in a stable order. `Dockerfile` and `.dockerignore` are always included (the
 * engine needs the first; docker's CLI sends both), `overrides` replaces file contents by name.
 */
export function listContext(dir: string, overrides: ReadonlyMap<string, Buffer> = new Map()): ContextEntry[] {
  let rules: IgnoreRule[] = [];
  try {
    rules = parseDockerignore(readFileSync(join(dir, '.dockerignore'), 'utf8'));
  } catch {
    // no .dockerignore
  }
  const hasNegation = rules.some((r) => r.negate);
  const alwaysSent = new Set(['Dockerfile', '.dockerignore']);
  const entries: ContextEntry[] = [];
  const walk = (rel: string): void => {
    const abs = rel === '' ? dir : join(dir, rel);
    for (const name of readdirSync(abs).sort()) {
      const childRel = rel === '' ? name : `${rel}/${name}`;
      const childAbs = join(abs, name);
      const st = lstatSync(childAbs);
      const ignored = !alwaysSent.has(childRel) && isIgnored(rules, childRel);
      if (st.isDirectory()) {
        // A re-included path below an excluded directory is only possible with a negation.
        if (ignored && !hasNegation) continue;
        if (!ignored) entries.push(dirEntry(childRel, st.mode, st.mtimeMs));
        walk(childRel);
        continue;
      }
      if (ignored) continue;
      const override = overrides.get(childRel);
      if (override) {
        entries.push({ name: childRel, type: 'file', mode: st.mode & 0o7777, size: override.length, mtimeSec: Math.floor(st.mtimeMs / 1000), source: override });
      } else if (st.isSymbolicLink()) {
        entries.push({ name: childRel, type: 'symlink', mode: 0o777, size: 0, mtimeSec: Math.floor(st.mtimeMs / 1000), linkTarget: readlinkSync(childAbs), source: childAbs });
      } else if (st.isFile()) {
        entries.push({ name: childRel, type: 'file', mode: st.mode & 0o7777, size: st.size, mtimeSec: Math.floor(st.mtimeMs / 1000), source: childAbs });
      }
      // sockets, fifos and devices are not sent (docker's CLI skips them too)
    }
  };
  walk('');
  return entries;
}

function dirEntry(name: string, mode: number, mtimeMs: number): ContextEntry {
  return { name, type: 'dir', mode: mode & 0o7777, size: 0, mtimeSec: Math.floor(mtimeMs / 1000), source: '' };
}

// ---------------------------------------------------------------------------------------------
// ustar with PAX records for long names

function octal(value: number, width: number): string {
  return value.toString(8).padStart(width - 1, '0') + '\0';
}

function header(fields: { name: string; mode: number; size: number; mtime: number; type: string; linkname?: string }): Buffer {
  const h = Buffer.alloc(BLOCK);
  h.write(fields.name, 0, 100, 'utf8');
  h.write(octal(fields.mode, 8), 100, 'ascii');
  h.write(octal(0, 8), 108, 'ascii');
  h.write(octal(0, 8), 116, 'ascii');
  h.write(octal(fields.size, 12), 124, 'ascii');
  h.write(octal(fields.mtime, 12), 136, 'ascii');
  h.write('        ', 148, 'ascii');
  h.write(fields.type, 156, 'ascii');
  if (fields.linkname) h.write(fields.linkname, 157, 100, 'utf8');
  h.write('ustar\0', 257, 'ascii');
  h.write('00', 263, 'ascii');
  let sum = 0;
  for (const byte of h) sum += byte;
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'ascii');
  return h;
}

function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  // The length prefix counts its own digits.
  let len = Buffer.byteLength(body) + 1;
  while (String(len).length + Buffer.byteLength(body) !== len) len = String(len).length + Buffer.byteLength(body);
  return `${len}${body}`;
}

function padding(size: number): Buffer {
  const rest = size % BLOCK;
  return Buffer.alloc(rest === 0 ? 0 : BLOCK - rest);
}

function* entryHeaders(entry: ContextEntry): Generator<Buffer> {
  const name = entry.type === 'dir' ? `${entry.name}/` : entry.name;
  const link = entry.linkTarget ?? '';
  const records: string[] = [];
  if (Buffer.byteLength(name) > 100) records.push(paxRecord('path', name));
  if (Buffer.byteLength(link) > 100) records.push(paxRecord('linkpath', link));
  if (records.length > 0) {
    const body = Buffer.from(records.join(''), 'utf8');
    yield header({ name: 'PaxHeader', mode: 0o644, size: body.length, mtime: entry.mtimeSec, type: 'x' });
    yield body;
    yield padding(body.length);
  }
  const type = entry.type === 'dir' ? '5' : entry.type === 'symlink' ? '2' : '0';
  yield header({
    name: Buffer.byteLength(name) > 100 ? name.slice(0, 99) : name,
    mode: entry.mode,
    size: entry.type === 'file' ? entry.size : 0,
    mtime: entry.mtimeSec,
    type,
    linkname: Buffer.byteLength(link) > 100 ? link.slice(0, 99) : link,
  });
}

async function* fileBody(entry: ContextEntry): AsyncGenerator<Buffer> {
  if (Buffer.isBuffer(entry.source)) {
    yield entry.source;
    yield padding(entry.size);
    return;
  }
  const handle = await open(entry.source, 'r');
  try {
    let sent = 0;
    while (sent < entry.size) {
      const buf = Buffer.alloc(Math.min(CHUNK, entry.size - sent));
      const { bytesRead } = await handle.read(buf, 0, buf.length, sent);
      if (bytesRead === 0) break; // the file shrank while we read it: pad with zeros below
      yield buf.subarray(0, bytesRead);
      sent += bytesRead;
    }
    if (sent < entry.size) yield Buffer.alloc(entry.size - sent);
  } finally {
    await handle.close();
  }
  yield padding(entry.size);
}

async function* tarChunks(entries: readonly ContextEntry[]): AsyncGenerator<Buffer> {
  for (const entry of entries) {
    yield* entryHeaders(entry);
    if (entry.type === 'file') yield* fileBody(entry);
  }
  yield Buffer.alloc(BLOCK * 2);
}

/** The tar stream of a context listing. */
export function packContext(entries: readonly ContextEntry[]): Readable {
  return Readable.from(tarChunks(entries), { objectMode: false });
}
