// The spec layer's entry point: load a spec into its typed model and run its tests.
export { loadSpec, type LoadOptions } from './loader.js';
export type { LoadedSpec } from './runner.js';
export { matchTests } from './test-selection.js';
export type { SpecModel, TestDecl } from './model.js';
