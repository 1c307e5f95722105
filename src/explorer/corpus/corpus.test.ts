import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { faultFromJson } from './fault-json.js';
import { encodeCorpusEntry, loadCorpus, loadCorpusEntry, mergeCorpora, saveCorpus, type CorpusEntry } from './corpus.js';

const entry = (id: string, created = '2026-01-02T00:00:00.000Z'): CorpusEntry => ({
  id,
  seed: 42,
  path: '17',
  scenario: 'checkout',
  faults: [faultFromJson({ service: 'db', syscall: 'write', action: 'deny', errno: 'EIO', nth: 3 })],
  failure: { kind: 'fail', reason: 'assertion', message: 'expected 200, got 500' },
  reproduced: '5/5',
  census_hash: 'c0ffee',
  faultbox_version: '0.1.0',
  created,
});

describe('corpus', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fb-corpus-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('saves corpus/<id>.json with the documented fields and loads it back', async () => {
    const { written } = await saveCorpus(join(dir, 'corpus'), [entry('bbb'), entry('aaa')]);
    expect(written).toEqual([join(dir, 'corpus', 'bbb.json'), join(dir, 'corpus', 'aaa.json')]);
    const raw = JSON.parse(await readFile(join(dir, 'corpus', 'aaa.json'), 'utf8'));
    expect(Object.keys(raw)).toEqual(['id', 'seed', 'path', 'scenario', 'faults', 'failure', 'reproduced', 'census_hash', 'faultbox_version', 'created']);
    expect(raw.faults).toEqual([{ service: 'db', syscall: 'write', action: 'deny', errno: 'EIO', nth: 3 }]);
    expect((await loadCorpus(join(dir, 'corpus'))).map((e) => e.id)).toEqual(['aaa', 'bbb']);
    expect((await loadCorpus(join(dir, 'corpus')))[0]).toEqual(entry('aaa'));
    expect(await loadCorpus(join(dir, 'missing'))).toEqual([]);
  });

  it('names the file and the field when an entry is malformed', async () => {
    const file = join(dir, 'bad.json');
    await writeFile(file, JSON.stringify(encodeCorpusEntry({ ...entry('x'), reproduced: 'most times' })));
    await expect(loadCorpusEntry(file)).rejects.toThrow(`${file}: "reproduced" must look like "k/n"`);
    await writeFile(file, JSON.stringify({ ...encodeCorpusEntry(entry('x')), faults: [{ service: 'db', syscall: 'write', action: 'deny', errno: 'EWHAT' }] }));
    await expect(loadCorpusEntry(file)).rejects.toThrow(`${file}: faults[0]: "errno" must be one of`);
    await writeFile(file, '[1,2');
    await expect(loadCorpusEntry(file)).rejects.toThrow(`${file}: not valid JSON`);
    await expect(loadCorpusEntry(join(dir, 'none.json'))).rejects.toThrow(/cannot read corpus entry \(ENOENT\)/);
  });

  it('merges corpora by id, keeping the earliest and reporting conflicting ids', async () => {
    await saveCorpus(join(dir, 'a'), [entry('one', '2026-01-03T00:00:00.000Z'), entry('two')]);
    await saveCorpus(join(dir, 'b'), [
      entry('one', '2026-01-01T00:00:00.000Z'),
      entry('three'),
      { ...entry('two'), faults: [faultFromJson({ service: 'db', syscall: 'fsync', action: 'deny', errno: 'EIO' })] },
    ]);
    await mkdir(join(dir, 'out'));
    const merged = await mergeCorpora([join(dir, 'a'), join(dir, 'b')], join(dir, 'out'));
    expect(merged.entries.map((e) => e.id)).toEqual(['one', 'three', 'two']);
    expect(merged.entries[0]!.created).toBe('2026-01-01T00:00:00.000Z');
    expect(merged.conflicts).toEqual(['two']);
    expect((await loadCorpus(join(dir, 'out'))).map((e) => e.id)).toEqual(['one', 'three', 'two']);
  });
});
