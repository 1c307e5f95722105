// What explore, record and replay share: the explorer's view of a loaded spec and a runner on
// real services.
import { readFileSync } from 'node:fs';
import { FAMILIES } from '../../spec/syscall-families.js';
import type { SpecModel } from '../../spec/model.js';
import { RuntimeScenarioRunner, type ExplorerFilters } from '../../explorer/runner/runtime-runner.js';
import { specContentHash, type ExploreSpec } from '../../explorer/explore.js';
import { resolveSpaceSettings, type SpaceOptions } from '../../explorer/space/space.js';

export function exploreSpecOf(file: string, model: SpecModel): ExploreSpec {
  const sources = model.sources.map((path) => ({ path, text: readFileSync(path, 'utf8') }));
  return {
    file,
    hash: specContentHash(sources),
    scenarios: model.scenarios,
    ...(model.explore ? { explore: model.explore } : {}),
    names: model.globals,
    restartMs: Object.fromEntries(model.services.flatMap((s) => (s.healthcheck?.timeoutMs !== undefined ? [[s.name, s.healthcheck.timeoutMs]] : []))),
  };
}

/** The families the campaign may fault, hence what every explored service must trap. */
export function exploredFilters(space: SpaceOptions): (model: SpecModel) => ExplorerFilters {
  return (model) => {
    const settings = resolveSpaceSettings(model.explore, space);
    return { families: settings.families, undoLog: settings.crashes === true };
  };
}

/** Replay faults whatever the entry names: trap every family, and keep an undo log if a crash loses writes. */
export function replayFilters(undoLog: boolean): () => ExplorerFilters {
  return () => ({ families: FAMILIES.map((f) => f.name), undoLog });
}

export async function openRunner(file: string, filters: (model: SpecModel) => ExplorerFilters, seed: number, imageMap: ReadonlyMap<string, string>, print: (line: string) => void): Promise<RuntimeScenarioRunner> {
  return RuntimeScenarioRunner.open(file, filters, seed, print, imageMap);
}
