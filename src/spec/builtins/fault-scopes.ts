// Arming rules while a test runs: fault(target, run=fn, **rules), fault_start/fault_stop,
// trace(svc, syscalls=[...], run=fn), trace_start/trace_stop. Every scope is checked against the
// service's fixed filter first and removed even when the body raises; scopes stack.
import {
  Builtin, None, StarDict, StarlarkError, call, quote, typeName, unpackArgs,
  type CallContext, type Kwargs, type Value,
} from '../../starlark/index.js';
import type { FaultRule } from '../model.js';
import type { RunContext, SpecSession } from '../session.js';
import { callableArg, stringList } from '../arg-types.js';
import { assertFilterable, ruleFromDef, traceRule } from '../rules.js';
import { ServiceValue } from '../values/service.js';
import { AssumptionValue } from '../values/assumption.js';
import { FaultDefValue } from '../values/fault-def.js';

function serviceArg(fn: string, v: Value): ServiceValue {
  if (v instanceof ServiceValue) return v;
  throw new StarlarkError(`${fn}: the first argument must be a service, got ${typeName(v)}`);
}

/** Rules for `<keyword>=deny(...)` keywords on a service, with ids unique within the running test. */
function rulesOnService(fn: string, session: SpecSession, run: RunContext, svc: ServiceValue, rules: StarDict): FaultRule[] {
  const out: FaultRule[] = [];
  for (const [k, v] of rules.items()) {
    const keyword = k as string;
    if (!(v instanceof FaultDefValue)) {
      throw new StarlarkError(`${fn}: ${keyword}= must be deny(...), delay(...) or allow(), got ${typeName(v)}`);
    }
    out.push(ruleFromDef(fn, svc.decl, keyword, v, session.nextRuleId(run, svc.name, keyword)));
  }
  return out;
}

function traceRules(fn: string, session: SpecSession, run: RunContext, svc: ServiceValue, syscalls: Value): FaultRule[] {
  const names = stringList(fn, 'syscalls', syscalls);
  if (names.length === 0) throw new StarlarkError(`${fn}: syscalls must name at least one syscall or family, e.g. syscalls=["openat"]`);
  return names.map((kw) => traceRule(fn, svc.decl, kw, session.nextRuleId(run, svc.name, `trace:${kw}`)));
}

function arm(fn: string, session: SpecSession, run: RunContext, rules: readonly FaultRule[]): number {
  assertFilterable(fn, session.trapped, rules);
  const scope = run.host.applyRules(rules);
  run.open.add(scope);
  return scope;
}

function disarm(run: RunContext, scope: number): void {
  run.open.delete(scope);
  run.host.removeRules(scope);
}

/** Arm `rules`, call fn(), disarm whatever happens; fn's result is returned. */
function scoped(ctx: CallContext, fn: string, session: SpecSession, run: RunContext, rules: readonly FaultRule[], body: Value): Value {
  const scope = arm(fn, session, run, rules);
  try {
    return call(ctx, body, []);
  } finally {
    disarm(run, scope);
  }
}

function stopStarted(run: RunContext, service: string, kind: 'fault' | 'trace'): void {
  for (let i = run.started.length - 1; i >= 0; i--) {
    const s = run.started[i];
    if (s.service !== service || s.kind !== kind) continue;
    run.started.splice(i, 1);
    disarm(run, s.scope);
  }
}

export function faultScopeBuiltins(session: SpecSession): Builtin[] {
  const fault = new Builtin('fault', (ctx, args: Value[], kwargs: Kwargs) => {
    const [target, run, rules] = unpackArgs('fault', args, kwargs, ['target', '*', 'run?', '**rules']) as [Value, Value | undefined, StarDict];
    if (run === undefined) {
      throw new StarlarkError('fault: run= is required, e.g. fault(db, write=deny("EIO"), run=lambda: api.post(path="/x"))');
    }
    callableArg('fault', 'run', run);
    const r = session.requireRun('fault');
    let armed: readonly FaultRule[];
    if (target instanceof AssumptionValue) {
      if (rules.size > 0) {
        throw new StarlarkError(`fault: with a fault_assumption as target, rules come from the assumption; remove ${rules.keys().map((k) => `${String(k)}=`).join(', ')}`);
      }
      armed = target.rules;
    } else if (target instanceof ServiceValue) {
      if (rules.size === 0) throw new StarlarkError(`fault: no rules given for ${quote(target.name)}; write e.g. fault(${target.name}, write=deny("EIO"), run=fn)`);
      armed = rulesOnService('fault', session, r, target, rules);
    } else {
      throw new StarlarkError(`fault: the first argument must be a service or a fault_assumption, got ${typeName(target)}`);
    }
    return scoped(ctx, 'fault', session, r, armed, run);
  });

  const faultStart = new Builtin('fault_start', (_ctx, args, kwargs) => {
    const [target, rules] = unpackArgs('fault_start', args, kwargs, ['target', '**rules']) as [Value, StarDict];
    const svc = serviceArg('fault_start', target);
    if (rules.size === 0) throw new StarlarkError(`fault_start: no rules given; write e.g. fault_start(${svc.name}, write=deny("EIO"))`);
    const r = session.requireRun('fault_start');
    const scope = arm('fault_start', session, r, rulesOnService('fault_start', session, r, svc, rules));
    r.started.push({ service: svc.name, kind: 'fault', scope });
    return None;
  });

  const faultStop = new Builtin('fault_stop', (_ctx, args, kwargs) => {
    const [target] = unpackArgs('fault_stop', args, kwargs, ['target']);
    const svc = serviceArg('fault_stop', target!);
    stopStarted(session.requireRun('fault_stop'), svc.name, 'fault');
    return None;
  });

  const trace = new Builtin('trace', (ctx, args, kwargs) => {
    const [target, syscalls, run] = unpackArgs('trace', args, kwargs, ['target', '*', 'syscalls', 'run']);
    const svc = serviceArg('trace', target!);
    callableArg('trace', 'run', run!);
    const r = session.requireRun('trace');
    return scoped(ctx, 'trace', session, r, traceRules('trace', session, r, svc, syscalls!), run!);
  });

  const traceStart = new Builtin('trace_start', (_ctx, args, kwargs) => {
    const [target, syscalls] = unpackArgs('trace_start', args, kwargs, ['target', '*', 'syscalls']);
    const svc = serviceArg('trace_start', target!);
    const r = session.requireRun('trace_start');
    const scope = arm('trace_start', session, r, traceRules('trace_start', session, r, svc, syscalls!));
    r.started.push({ service: svc.name, kind: 'trace', scope });
    return None;
  });

  const traceStop = new Builtin('trace_stop', (_ctx, args, kwargs) => {
    const [target] = unpackArgs('trace_stop', args, kwargs, ['target']);
    const svc = serviceArg('trace_stop', target!);
    stopStarted(session.requireRun('trace_stop'), svc.name, 'trace');
    return None;
  });

  return [fault, faultStart, faultStop, trace, traceStart, traceStop];
}
