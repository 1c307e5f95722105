// Types of reuse-variant.mjs for the TypeScript tests.

/** Writes the reuse variant of the container demo's spec to a temp dir; returns its path. */
export function writeReuseVariant(specFile: string): string;
