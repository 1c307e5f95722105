// What explore, record and replay share: the explorer's view of a loaded spec and a runner on
// real services.
import { readFileSync } from 'node:fs';
import { FAMILIES } from '../../spec/syscall-families.js';
import type { SpecModel } from '../../spec/model.js';
import { RuntimeScenarioRunner } from '../../explorer/runtime-runner.js';
import { specContentHash, type ExploreSpec } from '../../explorer/explore.js';
import { resolveSpaceSettings, type SpaceOptions } from '../../explorer/space.js';

export function exploreSpecOf(file: string, model: SpecModel): ExploreSpec {
  const sources = model.sources.map((path) => ({ path, text: readFileSync(path, 'utf8') }));
  return {
    file,
    hash: specContentHash(sources),
    scenarios: model.scenarios,
    ...(model.explore ? { explore: model.explore } : {}),
    names: model.globals,
  };
}

/** The families the campaign may fault, hence what every explored service must trap. */
export function exploredFamilies(space: SpaceOptions): (model: SpecModel) => readonly string[] {
  return (model) => resolveSpaceSettings(model.explore, space).families;
}

/** Replay faults whatever the entry names: trap every family. */
export const ALL_FAMILIES = (): readonly string[] => FAMILIES.map((f) => f.name);

export async function openRunner(file: string, families: (model: SpecModel) => readonly string[], seed: number, imageMap: ReadonlyMap<string, string>, print: (line: string) => void): Promise<RuntimeScenarioRunner> {
  return RuntimeScenarioRunner.open(file, families, seed, print, imageMap);
}
