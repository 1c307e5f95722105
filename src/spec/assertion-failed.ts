// The error assert_* builtins raise, so the runner can tell a failed assertion from a broken body.
import { StarlarkError } from '../starlark/index.js';

export class AssertionFailed extends StarlarkError {
  constructor(message: string) {
    super(message);
    this.name = 'AssertionFailed';
  }
}
