// Composition builtins: fault_assumption (named reusable rules), scenario (a probe that is also a
// test), fault_scenario (scenario under faults with an expectation) and fault_matrix (every
// scenario × every fault, with overrides and exclusions).
import {
  Builtin, None, StarDict, StarFunction, StarlarkError, Tuple, quote, typeName, unpackArgs,
  type CallContext, type Position, type Value,
} from '../../starlark/index.js';
import type { FaultRule, TestDecl } from '../model.js';
import type { RegisteredTest, SpecSession, TestBody } from '../session.js';
import { boolArg, callableArg, dictArg, durationArg, nonEmptyString, sequenceArg } from '../arg-types.js';
import { ruleFromDef } from '../rules.js';
import { AssumptionValue } from '../values/assumption.js';
import { FaultDefValue } from '../values/fault-def.js';
import { ServiceValue } from '../values/service.js';

const DEFAULT_SCENARIO_TIMEOUT_MS = 30_000;

function at(pos: Position | undefined): string {
  return pos ? ` (declared at ${pos.file}:${pos.line}:${pos.col})` : '';
}

/** The name a scenario function registers under; lambdas have none worth testing by. */
function scenarioName(fn: string, param: string, v: Value): string {
  if (v instanceof StarFunction && v.name !== 'lambda' && v.name !== '<lambda>' && /^[A-Za-z_]\w*$/.test(v.name)) return v.name;
  if (v instanceof StarFunction) {
    throw new StarlarkError(`${fn}: ${param} must be a function defined with def (a lambda has no name to call the test by)`);
  }
  throw new StarlarkError(`${fn}: ${param} must be a function, got ${typeName(v)}`);
}

function assumptionsArg(fn: string, param: string, v: Value | undefined): AssumptionValue[] {
  if (v === undefined || v === None) return [];
  if (v instanceof AssumptionValue) return [v];
  return sequenceArg(fn, param, v).map((e, i) => {
    if (e instanceof AssumptionValue) return e;
    throw new StarlarkError(`${fn}: ${param}[${i}] must be a fault_assumption, got ${typeName(e)}`);
  });
}

/** Rules of several assumptions; a rule reached twice (an assumption composed into another one also listed) is armed once. */
function rulesOf(assumptions: readonly AssumptionValue[]): FaultRule[] {
  const byId = new Map<string, FaultRule>();
  for (const r of assumptions.flatMap((a) => a.rules)) if (!byId.has(r.id)) byId.set(r.id, r);
  return [...byId.values()];
}

function registerTest(session: SpecSession, decl: TestDecl, body: TestBody, pos: Position | undefined, fn: string): void {
  const prev = session.tests.get(decl.name);
  if (prev) throw new StarlarkError(`${fn}: a test named ${quote(decl.name)} is already registered${at(prev.pos)}`);
  const t: RegisteredTest = { decl, body, pos };
  session.tests.set(decl.name, t);
}

export function compositionBuiltins(session: SpecSession): Builtin[] {
  const faultAssumption = new Builtin('fault_assumption', (ctx: CallContext, args, kwargs) => {
    session.requireLoading('fault_assumption');
    const [nameV, target, description, faults, rules] = unpackArgs('fault_assumption', args, kwargs, [
      'name', '*', 'target?', 'description?', 'faults?', '**rules',
    ]) as [Value, Value | undefined, Value | undefined, Value | undefined, StarDict];
    const name = nonEmptyString('fault_assumption', 'name', nameV);
    if (!/^[A-Za-z_][\w-]*$/.test(name)) {
      throw new StarlarkError(`fault_assumption: name ${quote(name)} must hold only letters, digits, _ and - (it becomes part of test names)`);
    }
    const prev = session.assumptions.get(name);
    if (prev) throw new StarlarkError(`fault_assumption: ${quote(name)} is already declared${at(prev.pos)}`);
    const out: FaultRule[] = [];
    if (rules.size > 0) {
      if (target === undefined || target === None) {
        throw new StarlarkError(`fault_assumption: ${quote(name)}: rules need target=<service>, e.g. fault_assumption("${name}", target=db, write=deny("EIO"))`);
      }
      if (!(target instanceof ServiceValue)) throw new StarlarkError(`fault_assumption: ${quote(name)}: target must be a service, got ${typeName(target)}`);
      for (const [k, v] of rules.items()) {
        const keyword = k as string;
        if (!(v instanceof FaultDefValue)) {
          throw new StarlarkError(`fault_assumption: ${quote(name)}: ${keyword}= must be deny(...), delay(...) or allow(), got ${typeName(v)}`);
        }
        out.push(ruleFromDef(`fault_assumption: ${quote(name)}`, target.decl, keyword, v, `${name}/${target.name}/${keyword}`));
      }
    } else if (target !== undefined && target !== None && !(target instanceof ServiceValue)) {
      throw new StarlarkError(`fault_assumption: ${quote(name)}: target must be a service, got ${typeName(target)}`);
    }
    const own = new Set(out.map((r) => r.id));
    for (const r of rulesOf(assumptionsArg(`fault_assumption: ${quote(name)}`, 'faults', faults))) if (!own.has(r.id)) out.push(r);
    if (out.length === 0) {
      throw new StarlarkError(`fault_assumption: ${quote(name)}: has no rules; give target= and rules (write=deny("EIO")) or faults=[other assumptions]`);
    }
    const desc = description === undefined || description === None ? undefined : nonEmptyString('fault_assumption', 'description', description);
    const value = new AssumptionValue(name, out, desc, ctx.callerPosition);
    session.assumptions.set(name, value);
    return value;
  });

  const scenario = new Builtin('scenario', (ctx, args, kwargs) => {
    session.requireLoading('scenario');
    const [fnV] = unpackArgs('scenario', args, kwargs, ['fn']);
    const name = scenarioName('scenario', 'its argument', fnV!);
    const prev = session.scenarios.get(name);
    if (prev) throw new StarlarkError(`scenario: ${quote(name)} is already registered${at(prev.pos)}`);
    const pos = ctx.callerPosition;
    session.scenarios.set(name, { name, fn: fnV!, pos });
    registerTest(session, { name: `test_${name}`, kind: 'scenario', faults: [], scenario: name }, { kind: 'scenario', fn: fnV! }, pos, 'scenario');
    return fnV!;
  });

  const faultScenario = new Builtin('fault_scenario', (ctx, args, kwargs) => {
    session.requireLoading('fault_scenario');
    const [nameV, scenarioV, faults, expect, timeout, warmupV] = unpackArgs('fault_scenario', args, kwargs, [
      'name', '*', 'scenario', 'faults?', 'expect?', 'timeout?', 'warmup?',
    ]);
    if (warmupV !== undefined && typeof warmupV !== 'boolean') {
      throw new StarlarkError(`fault_scenario: warmup must be True or False, got ${typeName(warmupV)}`);
    }
    const name = nonEmptyString('fault_scenario', 'name', nameV!);
    if (!/^[A-Za-z_]\w*$/.test(name)) throw new StarlarkError(`fault_scenario: name ${quote(name)} must be an identifier (it becomes test_${name})`);
    const sc = scenarioName('fault_scenario', 'scenario', scenarioV!);
    const rules = rulesOf(assumptionsArg('fault_scenario', 'faults', faults));
    const exp = expect === undefined || expect === None ? undefined : callableArg('fault_scenario', 'expect', expect);
    const timeoutMs = timeout === undefined ? DEFAULT_SCENARIO_TIMEOUT_MS : durationArg('fault_scenario', 'timeout', timeout);
    const decl: TestDecl = { name: `test_${name}`, kind: 'fault_scenario', faults: rules, timeoutMs, scenario: sc };
    registerTest(session, decl, { kind: 'fault_scenario', scenario: scenarioV!, rules, ...(exp ? { expect: exp } : {}), ...(warmupV === true ? { warmup: true } : {}) }, ctx.callerPosition, 'fault_scenario');
    return None;
  });

  const faultMatrix = new Builtin('fault_matrix', (ctx, args, kwargs) => {
    session.requireLoading('fault_matrix');
    const fn = 'fault_matrix';
    const [scenariosV, faultsV, defaultExpect, overridesV, excludeV, timeout, requireV] = unpackArgs(fn, args, kwargs, [
      '*', 'scenarios', 'faults', 'default_expect?', 'overrides?', 'exclude?', 'timeout?', 'require_faults_fire?',
    ]);
    const requireFaultsFire = requireV === undefined || requireV === None ? false : boolArg(fn, 'require_faults_fire', requireV);
    const scenarios = sequenceArg(fn, 'scenarios', scenariosV!);
    const scNames = scenarios.map((s, i) => scenarioName(fn, `scenarios[${i}]`, s));
    const faults = assumptionsArg(fn, 'faults', faultsV);
    if (scenarios.length === 0 || faults.length === 0) throw new StarlarkError(`${fn}: needs at least one scenario and one fault`);
    const dupe = (xs: string[]): string | undefined => xs.find((x, i) => xs.indexOf(x) !== i);
    const d1 = dupe(scNames) ?? dupe(faults.map((f) => f.name));
    if (d1) throw new StarlarkError(`${fn}: ${quote(d1)} is listed twice`);

    const cellOf = (fnName: string, key: Value, i: number): [number, number] => {
      if (!(key instanceof Tuple) || key.elems.length !== 2) {
        throw new StarlarkError(`${fn}: ${fnName}[${i}] must be a (scenario, fault) pair, got ${typeName(key)}`);
      }
      const si = scenarios.indexOf(key.elems[0]);
      const fi = faults.indexOf(key.elems[1] as AssumptionValue);
      if (si < 0) throw new StarlarkError(`${fn}: ${fnName}[${i}] names a scenario not in scenarios=`);
      if (fi < 0) throw new StarlarkError(`${fn}: ${fnName}[${i}] names a fault not in faults=`);
      return [si, fi];
    };
    const overrides = new Map<string, Value | undefined>();
    if (overridesV !== undefined && overridesV !== None) {
      dictArg(fn, 'overrides', overridesV).items().forEach(([k, v], i) => {
        const [si, fi] = cellOf('overrides', k, i);
        overrides.set(`${si}/${fi}`, v === None ? undefined : callableArg(fn, `overrides value ${i}`, v));
      });
    }
    const excluded = new Set<string>();
    const excludedNames: [string, string][] = [];
    if (excludeV !== undefined && excludeV !== None) {
      sequenceArg(fn, 'exclude', excludeV).forEach((k, i) => {
        const [si, fi] = cellOf('exclude', k, i);
        excluded.add(`${si}/${fi}`);
        excludedNames.push([scNames[si], faults[fi].name]);
      });
    }
    const defExpect = defaultExpect === undefined || defaultExpect === None ? undefined : callableArg(fn, 'default_expect', defaultExpect);
    const timeoutMs = timeout === undefined ? DEFAULT_SCENARIO_TIMEOUT_MS : durationArg(fn, 'timeout', timeout);
    const pos = ctx.callerPosition;
    scenarios.forEach((sc, si) => {
      faults.forEach((fa, fi) => {
        const key = `${si}/${fi}`;
        if (excluded.has(key)) return;
        const expect = overrides.has(key) ? overrides.get(key) : defExpect;
        const decl: TestDecl = {
          name: `test_matrix_${scNames[si]}_${fa.name}`, kind: 'matrix_cell', faults: fa.rules, timeoutMs, scenario: scNames[si],
          ...(requireFaultsFire ? { requireFaultsFire: true } : {}),
        };
        registerTest(session, decl, { kind: 'matrix_cell', scenario: sc, rules: fa.rules, ...(expect ? { expect } : {}) }, pos, fn);
      });
    });
    session.matrices.push({ scenarios: scNames, faults: faults.map((f) => f.name), excluded: excludedNames });
    return None;
  });

  return [faultAssumption, scenario, faultScenario, faultMatrix];
}
