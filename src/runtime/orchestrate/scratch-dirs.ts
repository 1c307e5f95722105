// Service scratch directories are `<runDir>/<service>-<n>`: the run directory is a fresh temp dir
// and n counts starts, so both change from run to run (and on every restart). A glob per scratch
// directory matches it in any run; what the explorer records under one (file sites, saved faults)
// is described with that glob so it stays valid in later runs.
import { dirname, join } from 'node:path';

/** Prefix of a run's temp directory (the rest is random). */
export const RUN_DIR_PREFIX = 'faultbox-run-';

export function scratchDirName(service: string, instance: number): string {
  return `${service}-${instance}`;
}

const GLOB_META = /[*?[\]\\]/g;

function escapeGlob(literal: string): string {
  return literal.replace(GLOB_META, (c) => `\\${c}`);
}

/** Matches `service`'s scratch directory of any run that shares `runDir`'s parent. */
export function scratchDirGlob(runDir: string, service: string): string {
  return join(escapeGlob(dirname(runDir)), `${RUN_DIR_PREFIX}*`, `${escapeGlob(service)}-*`);
}

/** Matches any run dir that shares `runDir`'s parent. */
export function runDirGlob(runDir: string): string {
  return join(escapeGlob(dirname(runDir)), `${RUN_DIR_PREFIX}*`);
}

/** A directory whose name changes between runs, and a glob matching it in any run. */
export interface VolatileDir {
  readonly dir: string;
  readonly glob: string;
}
