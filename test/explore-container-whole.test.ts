// The seed chapter's own setting explored with the whole space: examples/container-demo/explore.star
// with its explore(...) narrowing taken out, so nobody has pointed the explorer at the answer. The
// api caches in Redis "best effort" and ignores a failed cache update, so an acknowledged overwrite
// can leave the old value in the cache (the stale-cache bug). Within the 4-minute budget the
// explorer must find it as one safety group, confirmed and 1-minimal, and the group must replay
// from its corpus entry and export as a regression that fails; nothing of ours may outlive it.
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResultJson } from '../src/explorer/corpus/result-json.js';
import { prepareContainerEnvironment, REPO } from './container-env.js';
import { leftoverTempFiles, makeSandbox, markedProcesses, runFaultbox, type CliRun, type Sandbox } from './fixtures/planted-tiny/harness.js';
import { expectReplayedAndMinimal } from './fixtures/targets/explore-target.js';
import { findings, type Finding } from './fixtures/targets/target-suite.js';

const STALE = 'a read after an acknowledged overwrite must return the new value';

function explain(run: CliRun): string {
  return `exit ${run.code}\nstdout:\n${run.stdout}\nstderr:\n${run.stderr}`;
}

/** explore.star as shipped, minus its explore(...) call (the call runs to the end of the file). */
function unnarrowed(source: string): string {
  const at = source.search(/^explore\(/m);
  if (at < 0) throw new Error('examples/container-demo/explore.star has no explore(...) call to take out');
  return source.slice(0, at);
}

/** Containers and networks faultbox labels as its own (`faultbox.pid`). */
async function ours(docker: Docker): Promise<string[]> {
  const containers = await docker.listContainers({ all: true, filters: { label: ['faultbox.pid'] } });
  const networks = await docker.listNetworks({ filters: { label: ['faultbox.pid'] } });
  return [...containers.map((c) => `container ${c.Names.join(',')}`), ...networks.map((n) => `network ${n.Name}`)];
}

const show = (f: Finding) => `${f.severity} ${f.kind} ${JSON.stringify(f.faults)} [${f.state}] ${f.message}`;

describe('faultbox explore on the container demo with the whole space (no explore(...) narrowing)', () => {
  let sandbox: Sandbox;
  let docker: Docker;
  let before: string[];
  let run: CliRun;
  let all: readonly Finding[];
  let stale: Finding[];

  beforeAll(async () => {
    prepareContainerEnvironment();
    docker = new Docker();
    before = await ours(docker);
    sandbox = makeSandbox('container-whole');
    const demo = join(sandbox.cwd, 'demo');
    cpSync(join(REPO, 'examples', 'container-demo'), demo, { recursive: true });
    const spec = join(demo, 'explore.star');
    writeFileSync(spec, unnarrowed(readFileSync(spec, 'utf8')));
    run = await runFaultbox(
      sandbox,
      ['explore', 'demo/explore.star', '--scenario', 'overwrite_reads_back', '--seed', '1', '--budget', '4m', '--ci', '--json', 'out.json'],
      360_000,
    );
    all = findings(JSON.parse(readFileSync(join(sandbox.cwd, 'out.json'), 'utf8')) as ResultJson);
    stale = all.filter((f) => f.message.includes(STALE));
  }, 400_000);
  afterAll(() => sandbox?.dispose());

  it('finds the stale cache as one safety group, confirmed and minimal, and leaves nothing behind', async () => {
    expect(run.code, explain(run)).toBe(1);
    expect(stale.map(show), all.map(show).join('\n')).toHaveLength(1);
    const g = stale[0]!;
    expect(g.severity).toBe('safety');
    expect(g.kind).toBe('fail');
    expect(g.state, show(g)).toBe('minimal');
    const [k, n] = g.reproduced.split('/').map(Number);
    expect(k, g.reproduced).toBe(n);
    expect(k).toBeGreaterThanOrEqual(3);
    // The log leads with the groups, safety first.
    const summary = run.stdout.slice(run.stdout.indexOf('campaign finished'));
    expect(summary).toMatch(/findings: \d+/);
    expect(summary.split('\n').find((l) => /^\s+(NEW|KNOWN)\s/.test(l))).toMatch(/safety/);
    expect(markedProcesses(sandbox)).toEqual([]);
    expect(leftoverTempFiles(sandbox)).toEqual([]);
    expect(await ours(docker)).toEqual(before);
  });

  it('replays the stale-cache group from its corpus entry, and every simpler neighbour passes', async () => {
    const g = stale[0];
    expect(g, 'not found').toBeDefined();
    await expectReplayedAndMinimal(sandbox, g!, 'fail');
    expect(await ours(docker)).toEqual(before);
  }, 300_000);

  it('exports the stale-cache group as a regression that fails `faultbox test`', async () => {
    const g = stale[0];
    expect(g, 'not found').toBeDefined();
    expect(g!.regression).toBe(`regressions/overwrite_reads_back_${g!.id}.star`);
    const test = await runFaultbox(sandbox, ['test', g!.regression!]);
    expect(test.code, explain(test)).toBe(1);
    expect(test.stdout).toContain(`FAIL: test_regression_${g!.id}`);
    expect(await ours(docker)).toEqual(before);
  }, 180_000);
});
