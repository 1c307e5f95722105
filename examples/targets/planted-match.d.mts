// Types of planted-match.mjs for the TypeScript tests.
import type { FaultJson } from '../../src/explorer/corpus/fault-json.js';
import type { PlantedFault, RootCause } from '../../test/fixtures/targets/target-suite.js';

export function fitsPlantedSet(planted: readonly PlantedFault[], actual: readonly FaultJson[]): boolean;
export function isPlantedSet(cause: RootCause, faults: readonly FaultJson[]): boolean;
