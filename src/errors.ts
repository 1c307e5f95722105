// The error taxonomy every layer throws and the CLI maps to exit codes. It sits below every
// layer (no imports), so any module may use it.

/** A mistake in a spec: carries where (file:line:col) when known. Exit 2. */
export class SpecError extends Error {
  override readonly name = 'SpecError';
  constructor(message: string, readonly where?: { file: string; line: number; col: number }) {
    super(message);
  }
}

/** A mistake on the command line. Exit 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** The machine is missing something or a service could not run: say what to install or free. Exit 3. */
export class InfraError extends Error {
  override readonly name = 'InfraError';
  constructor(message: string, readonly hint?: string) {
    super(message);
  }
}

/** A bug in faultbox itself. Exit 3, asks for FAULTBOX_DEBUG=1. */
export class InternalError extends Error {
  override readonly name = 'InternalError';
}

export const EXIT = {
  ok: 0,
  failed: 1,
  usage: 2,
  infra: 3,
} as const;
