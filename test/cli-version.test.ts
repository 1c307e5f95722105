// `faultbox --version` names the package's version however it is started (not only under npm,
// which sets npm_package_version).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FAULTBOX, REPO } from './cli-run.js';

const packageVersion = (JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string }).version;

describe('faultbox --version', () => {
  it('prints the package.json version without npm in the environment, from any directory', () => {
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('npm_')));
    const r = spawnSync('node', [FAULTBOX, '--version'], { cwd: '/', env, encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(packageVersion).toMatch(/^\d+\.\d+\.\d+/);
    expect(r.stdout.trim()).toBe(`faultbox ${packageVersion}`);
  });
});
