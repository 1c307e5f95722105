// Classifying what a test body raised: a failed assertion, a rejected expectation, or any other
// Starlark error become a TestOutcome; faultbox's own errors (the host could not answer, a bug)
// are not test results and are rethrown for the runtime to report.
import { StarlarkError, formatPosition } from '../starlark/index.js';
import { InfraError, InternalError, SpecError, UsageError } from '../errors.js';
import type { FailureReason, TestOutcome } from './outcome.js';
import { AssertionFailed } from './assertion-failed.js';

function faultboxError(e: unknown): Error | undefined {
  if (e instanceof InfraError || e instanceof InternalError || e instanceof SpecError || e instanceof UsageError) return e;
  return undefined;
}

/** The outcome for an error raised by a body; `phase` says whether it came from expect=. */
export function outcomeOf(e: unknown, phase: 'body' | 'expect'): TestOutcome {
  const own = faultboxError(e);
  if (own) throw own;
  if (!(e instanceof StarlarkError)) {
    throw new InternalError(`unexpected error while running a test body: ${e instanceof Error ? e.message : String(e)}`);
  }
  // The interpreter wraps exceptions escaping from builtins (e.g. the host failing) with a cause.
  const cause = (e as { cause?: unknown }).cause;
  const wrapped = faultboxError(cause);
  if (wrapped) throw wrapped;
  if (cause !== undefined && !(cause instanceof StarlarkError)) {
    const msg = cause instanceof Error ? cause.message : String(cause);
    throw new InternalError(`a builtin failed unexpectedly: ${msg}\n${e.format()}`);
  }
  const reason: FailureReason = phase === 'expect' ? 'expectation' : e instanceof AssertionFailed || isFailCall(e) ? 'assertion' : 'step-error';
  return { kind: 'fail', reason, message: e.message.split('\n')[0], detail: e.format(), ...(e.pos ? { at: formatPosition(e.pos) } : {}) };
}

/** Starlark's own fail("...") is the spec author's assertion too. */
function isFailCall(e: StarlarkError): boolean {
  return /^fail: /.test(e.message);
}
