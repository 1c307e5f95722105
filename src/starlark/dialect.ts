// Language options beyond the core dialect, named after starlark-go's resolver flags. Faultbox
// specs run with the defaults (all off); the conformance runner turns them on per `# option:` line.

export interface Dialect {
  /** Functions may call themselves, directly or through others (`option:recursion`). */
  recursion?: boolean;
  /** Names bound by load() may be rebound at top level (`option:globalreassign`). */
  globalReassign?: boolean;
  /** load() binds module globals rather than file-local names (`option:loadbindsglobally`). */
  loadBindsGlobally?: boolean;
}

export const DEFAULT_DIALECT: Readonly<Dialect> = Object.freeze({});
