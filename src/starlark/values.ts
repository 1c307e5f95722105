// Starlark runtime values. Representation (chosen for speed):
//   None → the None singleton; bool → JS boolean; int → JS number (always an integer in the
//   safe range) or bigint (only outside the safe range, so each int has one canonical form);
//   float → StarFloat; string → JS string (elements are UTF-16 code units, as in the Java
//   implementation); everything else → one class per type below.

import { StarlarkError, type Position } from './errors.js';
import type { Thread } from './thread.js';

export class NoneType {
  toString(): string {
    return 'None';
  }
}
export const None: NoneType = new NoneType();

export const True = true;
export const False = false;

export class StarFloat {
  constructor(readonly v: number) {}
}

/** Anything a Starlark expression can evaluate to. */
export type Value =
  | NoneType
  | boolean
  | number
  | bigint
  | string
  | StarFloat
  | StarList
  | Tuple
  | StarDict
  | StarSet
  | RangeValue
  | StarFunction
  | Builtin
  | HostValue;

/** The context passed to builtins: the running thread (call stack, print, limits). */
export type CallContext = Thread;

export type Kwargs = [string, Value][];
export type BuiltinImpl = (ctx: CallContext, args: Value[], kwargs: Kwargs) => Value;

// ---------------------------------------------------------------------------------------------
// Mutability: frozen values and the "mutation during iteration" guard.

function mutationError(verb: string, typ: string, frozen: boolean): StarlarkError {
  return new StarlarkError(frozen ? `cannot ${verb} frozen ${typ}` : `cannot ${verb} ${typ} during iteration`);
}

export class StarList {
  frozen = false;
  /** Number of active iterations; mutation is refused while non-zero. */
  itercount = 0;
  constructor(public elems: Value[] = []) {}
  /** `verb` is e.g. "append to", "insert into", "clear". */
  checkMutable(verb: string): void {
    if (this.frozen || this.itercount > 0) throw mutationError(verb, 'list', this.frozen);
  }
}

export class Tuple {
  constructor(readonly elems: Value[]) {}
}
export const EmptyTuple = new Tuple([]);

// ---------------------------------------------------------------------------------------------
// Hashing. Each hashable value maps to a JS Map key ("key id") such that two Starlark values are
// equal iff their key ids are SameValueZero-equal. Strings, safe ints, bools, None and identity-
// hashed objects are their own id; floats normalise onto ints; tuples and host values with a
// structural key are encoded into strings starting with NUL, and user strings starting with NUL
// are escaped so the two cannot collide.

let nextObjectId = 1;
const objectIds = new WeakMap<object, number>();
function objectId(o: object): number {
  let id = objectIds.get(o);
  if (id === undefined) {
    id = nextObjectId++;
    objectIds.set(o, id);
  }
  return id;
}

/** Keys that are their own hash-table id (see keyId): ints in the safe range and most strings. */
export function isPlainKey(k: Value): k is number | string {
  return typeof k === 'number' || (typeof k === 'string' && (k.length === 0 || k.charCodeAt(0) !== 0));
}

export function keyId(v: Value): unknown {
  switch (typeof v) {
    case 'string':
      return v.length > 0 && v.charCodeAt(0) === 0 ? '\0S' + v : v;
    case 'number':
    case 'bigint':
    case 'boolean':
      return v;
  }
  if (v instanceof StarFloat) return floatKey(v.v);
  if (v instanceof Tuple) return '\0T' + encodeKey(v);
  if (v === None || v instanceof StarFunction || v instanceof Builtin) return v;
  if (v instanceof HostValue) {
    if (!v.hashable()) throw new StarlarkError(`unhashable type: ${v.typeName}`);
    const k = v.hashKey();
    return k === undefined ? v : '\0H' + v.typeName + '\0' + k;
  }
  throw new StarlarkError(`unhashable type: ${typeName(v)}`);
}

function floatKey(f: number): unknown {
  if (Number.isInteger(f) && !Number.isSafeInteger(f)) return BigInt(f);
  return f === 0 ? 0 : f;
}

function encodeKey(v: Value): string {
  switch (typeof v) {
    case 'string':
      return 's' + v.length + ':' + v;
    case 'number':
    case 'bigint':
      return 'i' + v + ';';
    case 'boolean':
      return v ? 'T' : 'F';
  }
  if (v === None) return 'N';
  if (v instanceof StarFloat) {
    const k = floatKey(v.v);
    return (typeof k === 'number' && !Number.isInteger(k) ? 'f' : 'i') + String(k) + ';';
  }
  if (v instanceof Tuple) return '(' + v.elems.length + ':' + v.elems.map(encodeKey).join('') + ')';
  if (v instanceof HostValue) {
    if (!v.hashable()) throw new StarlarkError(`unhashable type: ${v.typeName}`);
    const k = v.hashKey();
    if (k !== undefined) return 'h' + v.typeName.length + ':' + v.typeName + k.length + ':' + k;
    return 'o' + objectId(v) + ';';
  }
  if (v instanceof StarFunction || v instanceof Builtin) return 'o' + objectId(v) + ';';
  throw new StarlarkError(`unhashable type: ${typeName(v)}`);
}

/** Check hashability (throws `unhashable type: T`). */
export function checkHashable(v: Value): void {
  keyId(v);
}

/** Insertion-ordered hash table shared by dict and set. */
class HashTable {
  /** key id → value (for sets, the value is unused and set to true). */
  m = new Map<unknown, Value>();
  /** key id → original key, only for keys whose id differs from the key itself. */
  ks: Map<unknown, Value> | null = null;
  frozen = false;
  itercount = 0;

  get size(): number {
    return this.m.size;
  }
  keyOf(id: unknown): Value {
    if (this.ks !== null) {
      const k = this.ks.get(id);
      if (k !== undefined) return k;
    }
    return id as Value;
  }
  lookup(k: Value): Value | undefined {
    return this.m.get(keyId(k));
  }
  has(k: Value): boolean {
    return this.m.has(keyId(k));
  }
  protected putRaw(k: Value, v: Value): void {
    const id = keyId(k);
    if (id !== k && !this.m.has(id)) (this.ks ??= new Map()).set(id, k);
    this.m.set(id, v);
  }
  protected deleteRaw(k: Value): Value | undefined {
    const id = keyId(k);
    const v = this.m.get(id);
    if (v === undefined) return undefined;
    this.m.delete(id);
    if (this.ks !== null) this.ks.delete(id);
    return v;
  }
  protected clearRaw(): void {
    this.m.clear();
    this.ks = null;
  }
  keys(): Value[] {
    const out: Value[] = [];
    if (this.ks === null) for (const id of this.m.keys()) out.push(id as Value);
    else for (const id of this.m.keys()) out.push(this.keyOf(id));
    return out;
  }
}

export class StarDict extends HashTable {
  checkMutable(verb: string): void {
    if (this.frozen || this.itercount > 0) throw mutationError(verb, 'hash table', this.frozen);
  }
  get(k: Value): Value | undefined {
    return this.m.get(keyId(k));
  }
  set(k: Value, v: Value): void {
    this.checkMutable('insert into');
    this.putRaw(k, v);
  }
  delete(k: Value): Value | undefined {
    this.checkMutable('delete from');
    return this.deleteRaw(k);
  }
  clear(): void {
    this.checkMutable('clear');
    this.clearRaw();
  }
  values(): Value[] {
    return [...this.m.values()];
  }
  items(): [Value, Value][] {
    const out: [Value, Value][] = [];
    for (const [id, v] of this.m) out.push([this.keyOf(id), v]);
    return out;
  }
  /** Build without mutability checks (for fresh dicts). */
  static of(entries: Iterable<[Value, Value]>): StarDict {
    const d = new StarDict();
    for (const [k, v] of entries) d.putRaw(k, v);
    return d;
  }
}

export class StarSet extends HashTable {
  checkMutable(verb: string): void {
    if (this.frozen || this.itercount > 0) throw mutationError(verb, 'hash table', this.frozen);
  }
  add(k: Value): void {
    this.checkMutable('insert into');
    this.putRaw(k, true);
  }
  delete(k: Value): boolean {
    this.checkMutable('delete from');
    return this.deleteRaw(k) !== undefined;
  }
  clear(): void {
    this.checkMutable('clear');
    this.clearRaw();
  }
  static of(elems: Iterable<Value>): StarSet {
    const s = new StarSet();
    for (const e of elems) s.putRaw(e, true);
    return s;
  }
}

/** The lazy value returned by range(). */
export class RangeValue {
  readonly len: number;
  constructor(
    readonly start: number,
    readonly stop: number,
    readonly step: number,
  ) {
    const n = step > 0 ? Math.ceil((stop - start) / step) : Math.ceil((start - stop) / -step);
    this.len = n > 0 ? n : 0;
  }
  at(i: number): number {
    return this.start + i * this.step;
  }
}

// ---------------------------------------------------------------------------------------------
// Callables.

/** Compiled code of a def or lambda; filled in by the compiler. */
export interface FunctionCode {
  readonly name: string;
  readonly pos: Position;
  readonly paramNames: string[];
}

/** A mutable cell holding a local variable captured by a nested function. */
export class Cell {
  constructor(public v: Value | undefined) {}
}

export class StarFunction {
  constructor(
    readonly code: FunctionCode,
    readonly defaults: (Value | undefined)[],
    readonly freevars: Cell[],
    /** The module's global slots, shared by all functions of the module. */
    readonly globals: (Value | undefined)[],
  ) {}
  get name(): string {
    return this.code.name;
  }
}

/** A function implemented by the host (or by the interpreter itself). */
export class Builtin {
  constructor(
    readonly name: string,
    readonly impl: BuiltinImpl,
    /** For bound methods: the receiver (`"abc".upper` has recv "abc"). */
    readonly recv?: Value,
    /**
     * Optional form for a call with one positional argument and no keywords, used by compiled
     * call sites to skip the argument array and binding. Returns undefined to decline (`impl`
     * then runs and reports any error); it raises no Starlark errors of its own.
     */
    readonly fast1?: (x: Value) => Value | undefined,
  ) {}
}

/**
 * Base class for opaque values made by embedders. Subclasses choose a type name and may expose
 * attributes, structural hashing/equality, callability, and custom str/repr.
 */
export abstract class HostValue {
  abstract readonly typeName: string;
  frozen = false;
  /** Attribute lookup for `x.name`; undefined means "no such attribute". */
  attr(_name: string): Value | undefined {
    return undefined;
  }
  attrNames(): string[] {
    return [];
  }
  /** `x.name = v`; default refuses. Implementations must respect `frozen`. */
  setAttr(name: string, _v: Value): void {
    throw new StarlarkError(`${this.typeName} value does not support field assignment (.${name})`);
  }
  /** Whether the value may be used as a dict key / set element. */
  hashable(): boolean {
    return true;
  }
  /** Structural hash key: equal values must return equal keys. undefined → identity hashing. */
  hashKey(): string | undefined {
    return undefined;
  }
  /** Structural equality; default is identity. Must agree with hashKey. */
  equals(other: Value): boolean {
    return other === this;
  }
  /** Make the value (and what it holds) immutable. */
  freeze(): void {
    this.frozen = true;
  }
  truth(): boolean {
    return true;
  }
  /** Text for str(); default is repr(). */
  str(): string | undefined {
    return undefined;
  }
  /** Text for repr(); default is `<typeName>`. */
  repr(): string | undefined {
    return undefined;
  }
  /** Override to make the value callable. */
  call?(ctx: CallContext, args: Value[], kwargs: Kwargs): Value;
  /** Override to make the value iterable (for loops, list(), ...). */
  iterate?(): Value[];
  /** Override to support len(). */
  len?(): number;
  /** Override to support x[k]. */
  index?(key: Value): Value;
}

// ---------------------------------------------------------------------------------------------
// Type predicates and names.

export function isString(v: Value): v is string {
  return typeof v === 'string';
}
export function isInt(v: Value): v is number | bigint {
  return typeof v === 'number' || typeof v === 'bigint';
}
export function isFloat(v: Value): v is StarFloat {
  return v instanceof StarFloat;
}
export function isBool(v: Value): v is boolean {
  return typeof v === 'boolean';
}
export function isNone(v: Value): v is NoneType {
  return v === None;
}
export function isList(v: Value): v is StarList {
  return v instanceof StarList;
}
export function isTuple(v: Value): v is Tuple {
  return v instanceof Tuple;
}
export function isDict(v: Value): v is StarDict {
  return v instanceof StarDict;
}
export function isSet(v: Value): v is StarSet {
  return v instanceof StarSet;
}
export function isCallable(v: Value): v is StarFunction | Builtin | HostValue {
  return v instanceof StarFunction || v instanceof Builtin || (v instanceof HostValue && typeof v.call === 'function');
}

export function typeName(v: Value): string {
  switch (typeof v) {
    case 'string':
      return 'string';
    case 'number':
    case 'bigint':
      return 'int';
    case 'boolean':
      return 'bool';
  }
  if (v === None) return 'NoneType';
  if (v instanceof StarFloat) return 'float';
  if (v instanceof StarList) return 'list';
  if (v instanceof Tuple) return 'tuple';
  if (v instanceof StarDict) return 'dict';
  if (v instanceof StarSet) return 'set';
  if (v instanceof StarFunction) return 'function';
  if (v instanceof Builtin) return 'builtin_function_or_method';
  if (v instanceof RangeValue) return 'range';
  if (v instanceof HostValue) return v.typeName;
  return 'unknown';
}

/** truth() with booleans, the common case in conditions, answered inline. */
export function truthFast(v: Value): boolean {
  if (v === true) return true;
  if (v === false) return false;
  return truth(v);
}

export function truth(v: Value): boolean {
  switch (typeof v) {
    case 'boolean':
      return v;
    case 'number':
      return v !== 0;
    case 'string':
      return v.length > 0;
    case 'bigint':
      return v !== 0n;
  }
  if (v === None) return false;
  if (v instanceof StarList || v instanceof Tuple) return v.elems.length > 0;
  if (v instanceof StarDict || v instanceof StarSet) return v.size > 0;
  if (v instanceof StarFloat) return v.v !== 0;
  if (v instanceof RangeValue) return v.len > 0;
  if (v instanceof HostValue) return v.truth();
  return true;
}

/** Append `src` to `dst` (which may be the same array), without spreading it onto the JS stack. */
export function appendAll(dst: Value[], src: Value[]): void {
  const n = src.length;
  for (let i = 0; i < n; i++) dst.push(src[i]);
}

/**
 * Freeze a value and everything reachable from it (module globals after load). Iterative, so a
 * deeply nested value cannot overflow the JS stack; tuples (which carry no frozen flag) are
 * visited once each, so shared sub-tuples cost nothing extra.
 */
export function freeze(root: Value): void {
  if (typeof root !== 'object') return;
  const work: Value[] = [root];
  let seenTuples: Set<Tuple> | undefined;
  while (work.length > 0) {
    const v = work.pop()!;
    if (typeof v !== 'object') continue;
    if (v instanceof StarList) {
      if (v.frozen) continue;
      v.frozen = true;
      for (const e of v.elems) work.push(e);
    } else if (v instanceof Tuple) {
      seenTuples ??= new Set();
      if (seenTuples.has(v)) continue;
      seenTuples.add(v);
      for (const e of v.elems) work.push(e);
    } else if (v instanceof StarDict) {
      if (v.frozen) continue;
      v.frozen = true;
      for (const [id, val] of v.m) work.push(v.keyOf(id), val);
    } else if (v instanceof StarSet) {
      if (v.frozen) continue;
      v.frozen = true;
      for (const k of v.keys()) work.push(k);
    } else if (v instanceof StarFunction) {
      if (frozenFunctions.has(v)) continue;
      frozenFunctions.add(v);
      for (const d of v.defaults) if (d !== undefined) work.push(d);
      for (const c of v.freevars) if (c.v !== undefined) work.push(c.v);
    } else if (v instanceof HostValue) {
      if (!v.frozen) v.freeze();
    }
  }
}
const frozenFunctions = new WeakSet<StarFunction>();

// ---------------------------------------------------------------------------------------------
// Ints: canonical form is a safe-integer number, bigint only outside the safe range.

export function normInt(b: bigint): number | bigint {
  return b >= -9007199254740991n && b <= 9007199254740991n ? Number(b) : b;
}
export function toBig(v: number | bigint): bigint {
  return typeof v === 'bigint' ? v : BigInt(v);
}
