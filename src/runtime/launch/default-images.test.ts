import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultImagesFile, loadDefaultImages } from './default-images.js';

const dirs: string[] = [];
function file(text: string): string {
  const d = mkdtempSync(join(tmpdir(), 'fb-default-images-'));
  dirs.push(d);
  writeFileSync(join(d, 'image-map'), text);
  return join(d, 'image-map');
}
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('default image substitutes', () => {
  it('reads IMAGE=LOCAL lines under normalised names, skipping comments and blank lines', () => {
    const f = file('# written by setup\n\npostgres:16-alpine=faultbox-local/postgres:16\ndocker.io/library/redis:7=faultbox-local/redis:7\n');
    const d = loadDefaultImages(f)!;
    expect(d.file).toBe(f);
    expect([...d.map]).toEqual([
      ['library/postgres:16-alpine', 'faultbox-local/postgres:16'],
      ['library/redis:7', 'faultbox-local/redis:7'],
    ]);
  });

  it('names the file, the line and what was expected for a malformed line', () => {
    const f = file('postgres:16=faultbox-local/postgres:16\npostgres 15\n');
    expect(() => loadDefaultImages(f)).toThrow(`${f}:2: "postgres 15" is not an image substitution; expected IMAGE=LOCAL`);
  });

  it('has none when setup wrote no file; the env names another file', () => {
    expect(loadDefaultImages('/nonexistent/faultbox/image-map')).toBeUndefined();
    expect(defaultImagesFile({ FAULTBOX_IMAGE_DEFAULTS: '/x/map' })).toBe('/x/map');
    expect(defaultImagesFile({ XDG_CONFIG_HOME: '/cfg' })).toBe('/cfg/faultbox/image-map');
  });
});
