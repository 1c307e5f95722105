// Binding a call's arguments to a Starlark function's parameters: positional, keyword, *args,
// **kwargs and defaults. callFunction binds plain positional calls itself and comes here otherwise.

import { acceptedNote } from './args.js';
import type { Position } from './errors.js';
import { throwAt, type CompiledCode } from './frame.js';
import { quote } from './repr.js';
import type { Thread } from './thread.js';
import { StarDict, Tuple, type Kwargs, type StarFunction, type Value } from './values.js';

// Binding errors use starlark-go's wording for Starlark functions ("function f ...").
export function bindArgs(th: Thread, f: StarFunction, code: CompiledCode, l: any[], args: Value[], kwargs: Kwargs, pos: Position | undefined): void {
  const name = code.name;
  const np = code.numPositional;
  const n = Math.min(args.length, np);
  for (let i = 0; i < n; i++) l[i] = args[i];
  let slot = code.numNamed;
  if (code.hasVarargs) {
    l[slot++] = args.length > np ? new Tuple(args.slice(np)) : new Tuple([]);
  } else if (args.length > np) {
    if (code.numNamed === 0) throwAt(th, `function ${name} accepts no arguments (${args.length} given)`, pos);
    const atMost = f.defaults.slice(0, np).some((d) => d !== undefined) ? 'at most ' : '';
    throwAt(th, `function ${name} accepts ${atMost}${np} positional argument${np === 1 ? '' : 's'} (${args.length} given)`, pos);
  }
  let extra: StarDict | undefined;
  if (code.hasKwargs) l[slot] = extra = new StarDict();
  for (let k = 0; k < kwargs.length; k++) {
    const [key, v] = kwargs[k];
    const i = code.paramIndex.get(key);
    if (i === undefined) {
      if (!extra) throwAt(th, `function ${name} got an unexpected keyword argument ${quote(key)}${acceptedNote(code.paramNames)}`, pos);
      if (extra.get(key) !== undefined) throwAt(th, `function ${name} got multiple values for parameter ${quote(key)}`, pos);
      extra.set(key, v);
      continue;
    }
    if (l[i] !== undefined) throwAt(th, `function ${name} got multiple values for parameter ${quote(key)}`, pos);
    l[i] = v;
  }
  const defaults = f.defaults;
  let missing: string[] | undefined;
  for (let i = 0; i < code.numNamed; i++) {
    if (l[i] === undefined) {
      const d = defaults[i];
      if (d === undefined) (missing ??= []).push(code.paramNames[i]);
      else l[i] = d;
    }
  }
  if (missing) {
    throwAt(th, `function ${name} missing ${missing.length} argument${missing.length === 1 ? '' : 's'} (${missing.join(', ')})`, pos);
  }
}
