// What running one test body (or one explorer scenario) in Starlark produced.

export type FailureReason =
  /** assert_* or fail() raised */
  | 'assertion'
  /** fault_scenario / matrix expect= rejected the result */
  | 'expectation'
  /** a step raised, or any other Starlark error in the body (a step used wrongly, a type error, ...) */
  | 'step-error';

export type TestOutcome =
  /** assertions: how many assert_* calls the body made (a pass with none tested nothing). */
  | { readonly kind: 'pass'; readonly assertions?: number }
  | {
      readonly kind: 'fail';
      readonly reason: FailureReason;
      /** One line, for summaries and failure signatures. */
      readonly message: string;
      /** The Starlark error with position, source line, caret and call stack. */
      readonly detail: string;
      /** `file:line:col` where the error was raised, when known (the explorer groups by it). */
      readonly at?: string;
    };
