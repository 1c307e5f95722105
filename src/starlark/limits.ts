// Limits that keep hostile or runaway programs from exhausting the JS stack or heap: each one
// turns what would be a RangeError or an out-of-memory crash into a positioned Starlark error.

/** Deepest syntactic nesting of expressions and blocks (brackets, calls, operators, suites). */
export const MAX_NESTING = 200;

/** Deepest Starlark call stack (only reachable with recursion enabled, or long def chains). */
export const MAX_CALL_DEPTH = 1000;

/** Longest string a program may build, in characters (UTF-16 code units; bytes for ASCII). */
export const MAX_STRING_LENGTH = 1 << 26;

/** Most elements a list or tuple built by repetition, concatenation or conversion may hold. */
export const MAX_SEQUENCE_LENGTH = 1 << 24;

/** Deepest nesting of values that comparison, printing and freezing walk through. */
export const MAX_VALUE_DEPTH = 1000;

export function stringTooLarge(length: number | bigint): string {
  return `string too large: ${length} characters (limit ${MAX_STRING_LENGTH})`;
}

export function sequenceTooLarge(kind: string, length: number | bigint): string {
  return `${kind} too large: ${length} elements (limit ${MAX_SEQUENCE_LENGTH})`;
}
