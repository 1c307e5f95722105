// Built-in methods of list, dict and set, and the lookup of a value's method table (string
// methods live in string-methods.ts; the table type and shared argument helpers in method-table.ts).

import { noArgs, unpackArgs } from './args.js';
import { equals } from './compare.js';
import { StarlarkError } from './errors.js';
import { iterate } from './iterate.js';
import { MAX_SEQUENCE_LENGTH, sequenceTooLarge } from './limits.js';
import { clampRange, methodTableOf, toIndex, type MethodTable } from './method-table.js';
import { repr } from './repr.js';
import { stringMethods } from './string-methods.js';
import {
  appendAll, None, StarDict, StarList, StarSet, Tuple, typeName, type Kwargs, type Value,
} from './values.js';

const P_X = ['x', '/'];
const P_INDEX = ['x', 'start?', 'end?', '/'];
const P_INSERT = ['index', 'x', '/'];
const P_POP = ['index?', '/'];
const P_GET = ['key', 'default?', '/'];
const P_UPDATE = ['pairs?', '/', '**kwargs'];
const P_OTHERS = ['*others'];

export const listMethods: MethodTable = methodTableOf({
  append(_ctx, l: StarList, args, kwargs) {
    const [x] = unpackArgs('append', args, kwargs, P_X);
    l.checkMutable('append to');
    l.elems.push(x!);
    return None;
  },
  clear(_ctx, l: StarList, args, kwargs) {
    noArgs('clear', args, kwargs);
    l.checkMutable('clear');
    l.elems.length = 0;
    return None;
  },
  extend(_ctx, l: StarList, args, kwargs) {
    const [x] = unpackArgs('extend', args, kwargs, P_X);
    l.checkMutable('extend');
    const es = iterate(x!, 'extend');
    const n = l.elems.length + es.length;
    if (n > MAX_SEQUENCE_LENGTH) throw new StarlarkError(sequenceTooLarge('list', n));
    appendAll(l.elems, es);
    return None;
  },
  index(_ctx, l: StarList, args, kwargs) {
    const [x, start, end] = unpackArgs('index', args, kwargs, P_INDEX);
    const [a, b] = clampRange(l.elems.length, start, end, 'index');
    for (let i = a; i < b; i++) if (equals(l.elems[i], x!)) return i;
    throw new StarlarkError(`index: value ${repr(x!)} not in list`);
  },
  insert(_ctx, l: StarList, args, kwargs) {
    const [i, x] = unpackArgs('insert', args, kwargs, P_INSERT);
    l.checkMutable('insert into');
    const n = l.elems.length;
    let k = toIndex(i!, 'insert: index');
    if (k < 0) k = Math.max(0, k + n);
    if (k > n) k = n;
    l.elems.splice(k, 0, x!);
    return None;
  },
  pop(_ctx, l: StarList, args, kwargs) {
    const [i] = unpackArgs('pop', args, kwargs, P_POP);
    l.checkMutable('pop from');
    const n = l.elems.length;
    const orig = i === undefined ? -1 : toIndex(i, 'pop: index');
    const k = orig < 0 ? orig + n : orig;
    if (k < 0 || k >= n) throw new StarlarkError(`index ${orig} out of range: list has ${n} element${n === 1 ? '' : 's'}`);
    return l.elems.splice(k, 1)[0];
  },
  remove(_ctx, l: StarList, args, kwargs) {
    const [x] = unpackArgs('remove', args, kwargs, P_X);
    l.checkMutable('remove from');
    for (let i = 0; i < l.elems.length; i++) {
      if (equals(l.elems[i], x!)) {
        l.elems.splice(i, 1);
        return None;
      }
    }
    throw new StarlarkError(`remove: element ${repr(x!)} not found`);
  },
});

/** dict.update / dict(...) semantics: pairs (dict or iterable of 2-sequences) then kwargs. */
export function updateDict(d: StarDict, pairs: Value | undefined, kwargs: Value | undefined, fn: string): void {
  if (pairs !== undefined) {
    if (pairs instanceof StarDict) {
      for (const [k, v] of pairs.items()) d.set(k, v);
    } else {
      const es = iterate(pairs, fn);
      for (let i = 0; i < es.length; i++) {
        const e = es[i];
        const kv = e instanceof StarList || e instanceof Tuple ? e.elems : undefined;
        if (kv === undefined) throw new StarlarkError(`${fn}: cannot convert ${typeName(e)} to dict element #${i} (want a key/value pair)`);
        if (kv.length !== 2) throw new StarlarkError(`${fn}: dictionary update sequence element #${i} has length ${kv.length}, want 2`);
        d.set(kv[0], kv[1]);
      }
    }
  }
  if (kwargs instanceof StarDict) for (const [k, v] of kwargs.items()) d.set(k, v);
}

export const dictMethods: MethodTable = methodTableOf({
  clear(_ctx, d: StarDict, args, kwargs) {
    noArgs('clear', args, kwargs);
    d.clear();
    return None;
  },
  get(_ctx, d: StarDict, args, kwargs) {
    const [k, def] = unpackArgs('get', args, kwargs, P_GET);
    return d.get(k!) ?? def ?? None;
  },
  items(_ctx, d: StarDict, args, kwargs) {
    noArgs('items', args, kwargs);
    return new StarList(d.items().map(([k, v]) => new Tuple([k, v])));
  },
  keys(_ctx, d: StarDict, args, kwargs) {
    noArgs('keys', args, kwargs);
    return new StarList(d.keys());
  },
  pop(_ctx, d: StarDict, args, kwargs) {
    const [k, def] = unpackArgs('pop', args, kwargs, P_GET);
    d.checkMutable('delete from');
    const v = d.delete(k!);
    if (v !== undefined) return v;
    if (def !== undefined) return def;
    throw new StarlarkError(`pop: missing key ${repr(k!)}`);
  },
  popitem(_ctx, d: StarDict, args, kwargs) {
    noArgs('popitem', args, kwargs);
    d.checkMutable('delete from');
    const first = d.m.keys().next();
    if (first.done) throw new StarlarkError('popitem: empty dict');
    const k = d.keyOf(first.value);
    const v = d.delete(k)!;
    return new Tuple([k, v]);
  },
  setdefault(_ctx, d: StarDict, args, kwargs) {
    const [k, def] = unpackArgs('setdefault', args, kwargs, P_GET);
    const v = d.get(k!);
    if (v !== undefined) return v;
    const nv = def ?? None;
    d.set(k!, nv);
    return nv;
  },
  update(_ctx, d: StarDict, args, kwargs) {
    if (args.length > 1) throw new StarlarkError(`update: got ${args.length} arguments, want at most 1`);
    const [pairs, kw] = unpackArgs('update', args, kwargs, P_UPDATE);
    d.checkMutable('insert into');
    updateDict(d, pairs, kw, 'update');
    return None;
  },
  values(_ctx, d: StarDict, args, kwargs) {
    noArgs('values', args, kwargs);
    return new StarList(d.values());
  },
});

function othersOf(args: Value[], kwargs: Kwargs, fn: string): Value[][] {
  const [others] = unpackArgs(fn, args, kwargs, P_OTHERS);
  return (others as Tuple).elems.map((o) => iterate(o, fn));
}

export const setMethods: MethodTable = methodTableOf({
  add(_ctx, s: StarSet, args, kwargs) {
    const [x] = unpackArgs('add', args, kwargs, P_X);
    if (s.has(x!)) {
      s.checkMutable('insert into');
      return None;
    }
    s.add(x!);
    return None;
  },
  clear(_ctx, s: StarSet, args, kwargs) {
    noArgs('clear', args, kwargs);
    if (s.size === 0) return None; // clearing an empty frozen set is allowed
    s.clear();
    return None;
  },
  difference(_ctx, s: StarSet, args, kwargs) {
    const out = StarSet.of(s.keys());
    for (const o of othersOf(args, kwargs, 'difference')) for (const e of o) out.delete(e);
    return out;
  },
  discard(_ctx, s: StarSet, args, kwargs) {
    const [x] = unpackArgs('discard', args, kwargs, P_X);
    s.checkMutable('delete from');
    s.delete(x!);
    return None;
  },
  intersection(_ctx, s: StarSet, args, kwargs) {
    let cur = s.keys();
    for (const o of othersOf(args, kwargs, 'intersection')) {
      const os = StarSet.of(o);
      cur = cur.filter((e) => os.has(e));
    }
    return StarSet.of(cur);
  },
  issubset(_ctx, s: StarSet, args, kwargs) {
    const [x] = unpackArgs('issubset', args, kwargs, P_X);
    const other = StarSet.of(iterate(x!, 'issubset'));
    return s.keys().every((e) => other.has(e));
  },
  issuperset(_ctx, s: StarSet, args, kwargs) {
    const [x] = unpackArgs('issuperset', args, kwargs, P_X);
    return iterate(x!, 'issuperset').every((e) => s.has(e));
  },
  pop(_ctx, s: StarSet, args, kwargs) {
    noArgs('pop', args, kwargs);
    s.checkMutable('delete from');
    const first = s.m.keys().next();
    if (first.done) throw new StarlarkError('pop: empty set');
    const k = s.keyOf(first.value);
    s.delete(k);
    return k;
  },
  remove(_ctx, s: StarSet, args, kwargs) {
    const [x] = unpackArgs('remove', args, kwargs, P_X);
    s.checkMutable('delete from');
    if (!s.delete(x!)) throw new StarlarkError(`remove: element ${repr(x!)} not found`);
    return None;
  },
  symmetric_difference(_ctx, s: StarSet, args, kwargs) {
    const [x] = unpackArgs('symmetric_difference', args, kwargs, P_X);
    const other = StarSet.of(iterate(x!, 'symmetric_difference'));
    const out = s.keys().filter((e) => !other.has(e));
    for (const e of other.keys()) if (!s.has(e)) out.push(e);
    return StarSet.of(out);
  },
  union(_ctx, s: StarSet, args, kwargs) {
    const out = StarSet.of(s.keys());
    for (const o of othersOf(args, kwargs, 'union')) for (const e of o) if (!out.has(e)) out.add(e);
    return out;
  },
  update(_ctx, s: StarSet, args, kwargs) {
    const others = othersOf(args, kwargs, 'update');
    s.checkMutable('insert into');
    for (const o of others) for (const e of o) if (!s.has(e)) s.add(e);
    return None;
  },
});

export function methodTable(x: Value): MethodTable | undefined {
  if (typeof x === 'string') return stringMethods;
  if (x instanceof StarList) return listMethods;
  if (x instanceof StarDict) return dictMethods;
  if (x instanceof StarSet) return setMethods;
  return undefined;
}
