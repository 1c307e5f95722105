// Fault primitives: deny(errno, ...), delay(duration, ...), crash(..., lose_unsynced=), allow(). Each returns a FaultDefValue
// holding a typed action and trigger; binding to a service and keyword happens in fault().
import { Builtin, StarFloat, StarlarkError, noArgs, repr, unpackArgs, type Value } from '../../starlark/index.js';
import type { FaultAction, Trigger } from '../model.js';
import { boolArg, durationArg, intArg, nonEmptyString, stringArg } from '../arg-types.js';
import { triggerProblem } from '../trigger.js';
import { parseProbability } from '../probability.js';
import { resolveErrno } from '../errno-lookup.js';
import { FaultDefValue } from '../values/fault-def.js';
import { compilePathGlob } from '../path-glob.js';

const TRIGGER_PARAMS = ['label?', 'probability?', 'nth?', 'after?', 'count?', 'path?', 'peer?'];

interface Common {
  trigger: Trigger;
  label?: string;
  pathGlob?: string;
  peerGlob?: string;
}

function common(fn: string, vals: (Value | undefined)[]): Common {
  const [labelV, probV, nthV, afterV, countV, pathV, peerV] = vals;
  const trigger: { -readonly [K in keyof Trigger]: Trigger[K] } = {};
  let label: string | undefined;
  let pathGlob: string | undefined;
  if (labelV !== undefined) {
    label = nonEmptyString(fn, 'label', labelV);
  }
  if (probV !== undefined) {
    const p = parseProbability(
      typeof probV === 'string'
        ? { kind: 'string', value: probV }
        : probV instanceof StarFloat
          ? { kind: 'float', value: probV.v }
          : typeof probV === 'number'
            ? { kind: 'int', value: probV }
            : (() => {
                throw new StarlarkError(`${fn}: probability must be a float in 0..1, an int percent, or a string like "50%", got ${repr(probV)}`);
              })(),
    );
    if (typeof p === 'string') throw new StarlarkError(`${fn}: ${p}`);
    trigger.probability = p;
  }
  // Ints here; their ranges and combinations are triggerProblem's to judge, as everywhere else.
  if (nthV !== undefined) trigger.nth = intArg(fn, 'nth', nthV);
  if (afterV !== undefined) trigger.after = intArg(fn, 'after', afterV);
  if (countV !== undefined) trigger.count = intArg(fn, 'count', countV);
  const problem = triggerProblem(trigger);
  if (problem !== undefined) throw new StarlarkError(`${fn}: ${problem}`);
  if (pathV !== undefined) {
    pathGlob = stringArg(fn, 'path', pathV);
    if (pathGlob === '') throw new StarlarkError(`${fn}: path must be a glob such as "/var/lib/postgresql/**", got ""`);
    validGlob(fn, pathGlob);
  }
  let peerGlob: string | undefined;
  if (peerV !== undefined) {
    peerGlob = stringArg(fn, 'peer', peerV);
    if (peerGlob === '') throw new StarlarkError(`${fn}: peer must be a glob such as "*:6379" or "10.0.0.5:*", got ""`);
    validGlob(fn, peerGlob);
  }
  return { trigger, label, pathGlob, peerGlob };
}

/** Compiles the glob as the supervisor will, so one that cannot work fails here, with a position. */
function validGlob(fn: string, glob: string): void {
  try {
    compilePathGlob(glob);
  } catch (err) {
    throw new StarlarkError(`${fn}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

export function faultDefBuiltins(): Builtin[] {
  const deny = new Builtin('deny', (_ctx, args, kwargs) => {
    const [errnoV, ...rest] = unpackArgs('deny', args, kwargs, ['errno', ...TRIGGER_PARAMS]);
    const found = resolveErrno(stringArg('deny', 'errno', errnoV!));
    if (!found.ok) throw new StarlarkError(`deny: ${found.message}`);
    const c = common('deny', rest);
    const action: FaultAction = { kind: 'deny', errno: found.errno };
    return new FaultDefValue(action, c.trigger, c.label, c.pathGlob, c.peerGlob);
  });

  const delay = new Builtin('delay', (_ctx, args, kwargs) => {
    const [durV, ...rest] = unpackArgs('delay', args, kwargs, ['duration', ...TRIGGER_PARAMS]);
    const ms = durationArg('delay', 'duration', durV!);
    const c = common('delay', rest);
    return new FaultDefValue({ kind: 'delay', ms }, c.trigger, c.label, c.pathGlob, c.peerGlob);
  });

  const crash = new Builtin('crash', (_ctx, args, kwargs) => {
    const [loseV, ...rest] = unpackArgs('crash', args, kwargs, ['*', 'lose_unsynced?', ...TRIGGER_PARAMS]);
    const loseUnsynced = loseV === undefined ? false : boolArg('crash', 'lose_unsynced', loseV);
    const c = common('crash', rest);
    return new FaultDefValue({ kind: 'crash', loseUnsynced }, c.trigger, c.label, c.pathGlob, c.peerGlob);
  });

  const allow = new Builtin('allow', (_ctx, args, kwargs) => {
    noArgs('allow', args, kwargs);
    return new FaultDefValue({ kind: 'allow' }, {}, undefined, undefined, undefined);
  });

  return [deny, delay, crash, allow];
}
