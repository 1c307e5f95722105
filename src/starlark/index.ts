// Public API of the Starlark interpreter. Embedders (src/spec) import only from here.
//
// Value representation: None → `None`; bool → JS boolean; int → JS number (safe integer) or
// bigint (outside the safe range); float → StarFloat; string → JS string (UTF-16 code units);
// list → StarList; tuple → Tuple; dict → StarDict; set → StarSet; range → RangeValue;
// def/lambda → StarFunction; host functions → Builtin; embedder types → HostValue subclasses.
// toJS() maps dict → Map (insertion-ordered, keys converted) and struct → plain object.

export {
  None, NoneType, True, False, StarFloat, StarList, Tuple, EmptyTuple, StarDict, StarSet, RangeValue,
  StarFunction, Builtin, HostValue, Cell,
  isString, isInt, isFloat, isBool, isNone, isList, isTuple, isDict, isSet, isCallable,
  typeName, truth, freeze, checkHashable,
} from './values.js';
export type { Value, CallContext, Kwargs, BuiltinImpl, FunctionCode } from './values.js';
export { StarlarkError, StarlarkCancelled, fail, formatPosition } from './errors.js';
export type { Position, CallFrame } from './errors.js';
export { Thread } from './thread.js';
export type { ThreadOptions } from './thread.js';
export { unpackArgs, noArgs } from './args.js';
export type { ParamSpec } from './args.js';
export { str, repr, quote, formatFloat } from './repr.js';
export { equals, compare } from './compare.js';
export { toJS, fromJS } from './convert.js';
export { Struct } from './struct.js';
export { call } from './call-from-host.js';
export { parseFile, parseSource, parseExpr } from './parser.js';
// Helpers for host builtins that accept iterables or inspect attributes.
export { iterate, elemsOf } from './iterate.js';
export { getAttr, getAttrOrUndefined, attrNames } from './ops.js';
export { execFile, execSource, Interpreter } from './interpreter.js';
export type { ExecOptions, Module } from './interpreter.js';
export type { Dialect } from './dialect.js';
export * as ast from './ast.js';
export type { File as SyntaxFile, CallExpr, Argument, Ident, Expr, Stmt, Node } from './ast.js';
export { walk } from './ast.js';

/** A string value (Starlark strings are JS strings). */
export type StarString = string;
export { editDistance } from './resolver.js';
