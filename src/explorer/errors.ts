// Errors the explorer raises for people to act on. The CLI prints `message` without a stack.
//   usage: a bad option, an unknown service/family/errno in a narrowing, a malformed corpus file
//   spec:  the spec itself cannot be explored (a scenario fails fault-free)
//   infra: the runner could not do its job (recording failed, health restore failed)
//   stopped: the budget ran out or the user stopped before there was anything to report
export type ExplorerErrorKind = 'usage' | 'spec' | 'infra' | 'stopped';

export class ExplorerError extends Error {
  override readonly name = 'ExplorerError';
  constructor(
    readonly kind: ExplorerErrorKind,
    message: string,
  ) {
    super(message);
  }
}
