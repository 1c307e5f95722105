import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ignorePatternRegex, isIgnored, listContext, packContext, parseDockerignore } from './image-context.js';

const dirs: string[] = [];
function scratch(): string {
  const d = mkdtempSync(join(tmpdir(), 'faultbox-ctx-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function streamToBuffer(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(Buffer.from(c as Buffer));
  return Buffer.concat(chunks);
}

describe('.dockerignore', () => {
  it('matches like docker: * within a segment, ** across, parents exclude children, ! re-includes', () => {
    expect(ignorePatternRegex('*.log').test('a.log')).toBe(true);
    expect(ignorePatternRegex('*.log').test('dir/a.log')).toBe(false);
    expect(ignorePatternRegex('**/*.log').test('dir/sub/a.log')).toBe(true);
    expect(ignorePatternRegex('**/*.log').test('a.log')).toBe(true);
    const rules = parseDockerignore('# comment\nnode_modules\n*.md\n!README.md\n');
    expect(isIgnored(rules, 'node_modules/x/index.js')).toBe(true);
    expect(isIgnored(rules, 'CHANGES.md')).toBe(true);
    expect(isIgnored(rules, 'README.md')).toBe(false);
    expect(isIgnored(rules, 'src/app.js')).toBe(false);
  });
});

describe('packContext', () => {
  it('produces a tar that GNU tar reads back, honouring .dockerignore, overrides, long names and symlinks', async () => {
    const ctx = scratch();
    writeFileSync(join(ctx, 'Dockerfile'), 'FROM a\n');
    writeFileSync(join(ctx, '.dockerignore'), 'secret.txt\nnode_modules\n');
    writeFileSync(join(ctx, 'secret.txt'), 'no');
    mkdirSync(join(ctx, 'node_modules', 'x'), { recursive: true });
    writeFileSync(join(ctx, 'node_modules', 'x', 'i.js'), 'no');
    const longDir = join(ctx, 'd'.repeat(60), 'e'.repeat(60));
    mkdirSync(longDir, { recursive: true });
    const big = Buffer.alloc(200_000, 7);
    writeFileSync(join(longDir, 'big.bin'), big);
    writeFileSync(join(ctx, 'run.sh'), '#!/bin/sh\n', { mode: 0o755 });
    symlinkSync('run.sh', join(ctx, 'link'));

    const entries = listContext(ctx, new Map([['Dockerfile', Buffer.from('FROM b\n')]]));
    const tarball = await streamToBuffer(packContext(entries));
    expect(tarball.length % 512).toBe(0);

    const out = scratch();
    writeFileSync(join(out, 'ctx.tar'), tarball);
    mkdirSync(join(out, 'x'));
    execFileSync('tar', ['-xf', join(out, 'ctx.tar'), '-C', join(out, 'x')]);
    const listing = execFileSync('tar', ['-tvf', join(out, 'ctx.tar')]).toString();
    expect(listing).not.toContain('secret.txt');
    expect(listing).not.toContain('node_modules');
    expect(execFileSync('cat', [join(out, 'x', 'Dockerfile')]).toString()).toBe('FROM b\n');
    expect(execFileSync('cmp', [join(longDir, 'big.bin'), join(out, 'x', 'd'.repeat(60), 'e'.repeat(60), 'big.bin')]).toString()).toBe('');
    expect(listing).toMatch(/-rwxr-xr-x .* run\.sh/);
    expect(listing).toMatch(/link -> run\.sh/);
  });
});
