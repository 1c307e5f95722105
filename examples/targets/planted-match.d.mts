// Types of planted-match.mjs for the TypeScript tests.
import type { FaultSpec } from '../../src/explorer/progress.js';
import type { PlantedFault, RootCause } from '../../test/fixtures/targets/target-suite.js';

export function fitsPlantedSet(planted: readonly PlantedFault[], actual: readonly FaultSpec[]): boolean;
export function isPlantedSet(cause: RootCause, faults: readonly FaultSpec[]): boolean;
