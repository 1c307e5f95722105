// Loading a spec: evaluate it (and the files it loads) with the faultbox builtins, discover the
// tests, check cross-references, derive the trapped syscalls, and assemble the plain-data model.
import { dirname, isAbsolute, resolve } from 'node:path';
import { existsSync } from 'node:fs';
import {
  Builtin, Interpreter, StarFunction, StarlarkError, Struct, Thread, isCallable, parseFile, unpackArgs, walk,
  type Module, type Position, type Value,
} from '../starlark/index.js';
import { InfraError, InternalError, SpecError, UsageError } from '../errors.js';
import type { SpecModel, TestDecl } from './model.js';
import { SpecSession, type RegisteredTest } from './session.js';
import { SpecRunner, type LoadedSpec } from './runner.js';
import { deriveTrapped, type ScannedFile } from './trapped.js';
import { checkStepShorthands } from './step-shorthands.js';
import { TestReach } from './test-reach.js';
import { topologyBuiltins } from './builtins/topology.js';
import { faultDefBuiltins } from './builtins/fault-defs.js';
import { faultScopeBuiltins } from './builtins/fault-scopes.js';
import { compositionBuiltins } from './builtins/composition.js';
import { assertionBuiltins } from './builtins/assertions.js';
import { exploreBuiltins } from './builtins/explore.js';
import { ServiceValue } from './values/service.js';
import { checkPortClashes } from './port-clashes.js';
import { checkConstantFaultCalls } from './constant-fault-calls.js';

const LOAD_DEADLINE_MS = 60_000;

export interface LoadOptions {
  readonly print?: (line: string) => void;
}

function predeclared(session: SpecSession): Record<string, Value> {
  const struct = new Builtin('struct', (_ctx, args, kwargs) => {
    unpackArgs('struct', args, [], []);
    return new Struct(kwargs);
  });
  const all = [
    ...topologyBuiltins(session),
    ...faultDefBuiltins(),
    ...faultScopeBuiltins(session),
    ...compositionBuiltins(session),
    ...assertionBuiltins(session),
    ...exploreBuiltins(session),
    struct,
  ];
  return Object.fromEntries(all.map((b) => [b.name, b]));
}

function at(pos: Position): string {
  return `${pos.file}:${pos.line}:${pos.col}`;
}

function asSpecError(e: unknown): Error {
  if (e instanceof SpecError || e instanceof InfraError || e instanceof UsageError || e instanceof InternalError) return e;
  if (e instanceof StarlarkError) {
    const cause = (e as { cause?: unknown }).cause;
    if (cause instanceof SpecError || cause instanceof InfraError || cause instanceof UsageError) return cause;
    if (cause instanceof Error && !(cause instanceof StarlarkError)) {
      return new InternalError(`loading the spec failed inside faultbox: ${cause.message}\n${e.format()}`);
    }
    return new SpecError(e.format(), e.pos);
  }
  return new InternalError(`loading the spec failed: ${e instanceof Error ? e.message : String(e)}`);
}

export function loadSpec(file: string, opts: LoadOptions = {}): LoadedSpec {
  const main = resolve(file);
  if (!existsSync(main)) throw new UsageError(`spec file not found: ${file}`);
  const session = new SpecSession(main);
  const print = opts.print ?? ((line: string) => process.stderr.write(line + '\n'));
  // A spec only declares things; a load that runs this long is stuck in a loop.
  const thread = new Thread({ print, deadline: Date.now() + LOAD_DEADLINE_MS });

  // Modules by absolute path; we evaluate loads ourselves to keep each module's globals for the scan.
  const modules = new Map<string, Module>();
  const loading: string[] = [main];
  const loadPath = (fromFile: string, modulePath: string): string => {
    if (modulePath.startsWith('@')) throw new StarlarkError(`load: ${JSON.stringify(modulePath)}: faultbox has no standard library modules; load files by relative path`);
    return isAbsolute(modulePath) ? modulePath : resolve(dirname(fromFile), modulePath);
  };
  const interp: Interpreter = new Interpreter({
    predeclared: predeclared(session),
    print,
    thread,
    load: (fromFile, modulePath) => {
      const target = loadPath(fromFile, modulePath);
      const cached = modules.get(target);
      if (cached) return cached;
      if (loading.includes(target)) throw new StarlarkError(`load cycle: ${[...loading, target].join(' -> ')}`);
      if (!existsSync(target)) throw new StarlarkError(`load: ${JSON.stringify(modulePath)}: no such file (${target})`);
      loading.push(target);
      try {
        const m = interp.execFile(target);
        modules.set(target, m);
        return m;
      } finally {
        loading.pop();
      }
    },
  });

  let mainModule: Module;
  try {
    mainModule = interp.execFile(main);
  } catch (e) {
    throw asSpecError(e);
  }
  session.loaded = true;
  modules.set(main, mainModule);

  const tests = discoverTests(session, mainModule);
  checkReferences(session);
  checkPortClashes([...session.services.values()]);
  const scanned = [...modules.values()].map((m) => scannedFile(m, modules, loadPath));
  checkStepShorthands(scanned);
  checkConstantFaultCalls(scanned, faultDefBuiltins(), thread);
  const serviceDecls = [...session.services.values()].map((s) => s.decl);
  const losing = new Set<string>();
  session.trapped = deriveTrapped({
    services: serviceDecls,
    rules: [...[...session.assumptions.values()].flatMap((a) => a.rules), ...[...tests.values()].flatMap((t) => t.decl.faults)],
    files: scanned,
  }, losing);

  const exploreTimeout = session.explore?.config.timeoutMs;
  const model: SpecModel = {
    file: main,
    services: [...session.services.values()].map((s) => s.decl),
    assumptions: [...session.assumptions.values()].map((a) => ({
      name: a.name,
      rules: a.rules,
      ...(a.description !== undefined ? { description: a.description } : {}),
    })),
    scenarios: [...session.scenarios.values()].map((s) => ({ name: s.name, ...(exploreTimeout !== undefined ? { timeoutMs: exploreTimeout } : {}) })),
    tests: withBodyTrapped([...tests.values()], new TestReach(scanned, serviceDecls)),
    matrices: session.matrices,
    trapped: session.trapped,
    losesUnsynced: [...losing],
    ...(session.explore ? { explore: session.explore.config } : {}),
    globals: globalNames(session, main, modules),
    sources: [...modules.keys()],
  };
  return new SpecRunner(model, session, tests, thread.sources);
}

/**
 * Which global holds each service and each scenario function, and in which file: the spec file
 * first, then the files it loads (a name bound only by load() is not a module's global, so a
 * scenario file that loads its services finds them in the services file).
 */
function globalNames(session: SpecSession, mainFile: string, modules: ReadonlyMap<string, Module>): SpecModel['globals'] {
  const services: Record<string, string> = {};
  const scenarios: Record<string, string> = {};
  const files = { services: {} as Record<string, string>, scenarios: {} as Record<string, string> };
  const ordered = [mainFile, ...[...modules.keys()].filter((f) => f !== mainFile)];
  for (const file of ordered) {
    for (const [name, v] of modules.get(file)!.globals) {
      if (v instanceof ServiceValue && !(v.decl.name in services)) {
        services[v.decl.name] = name;
        files.services[v.decl.name] = file;
      }
      for (const sc of session.scenarios.values()) {
        if (sc.fn === v && !(sc.name in scenarios)) {
          scenarios[sc.name] = name;
          files.scenarios[sc.name] = file;
        }
      }
    }
  }
  return { services, scenarios, files };
}

/** Each test's declaration with what its body can trap, when its syntax shows it. */
function withBodyTrapped(tests: readonly RegisteredTest[], reach: TestReach): TestDecl[] {
  return tests.map(({ decl, body }) => {
    const entries = 'fn' in body ? [body.fn] : [body.scenario, ...(body.expect ? [body.expect] : [])];
    const bodyTrapped = reach.of(entries);
    return bodyTrapped ? { ...decl, bodyTrapped } : decl;
  });
}

/** Registered tests plus every global `test_*` function, sorted by name. */
function discoverTests(session: SpecSession, mainModule: Module): Map<string, RegisteredTest> {
  const all = new Map(session.tests);
  for (const [name, v] of mainModule.globals) {
    if (!name.startsWith('test_') || !isCallable(v)) continue;
    const pos = v instanceof StarFunction ? v.code.pos : undefined;
    const prev = all.get(name);
    if (prev) {
      const here = pos ? `${at(pos)}: ` : '';
      const there = prev.pos ? ` at ${at(prev.pos)}` : '';
      throw new SpecError(`${here}function ${name} has the same name as the test registered${there}; rename one of them`, pos);
    }
    const decl: TestDecl = { name, kind: 'function', faults: [] };
    all.set(name, { decl, body: { kind: 'function', fn: v }, pos });
  }
  return new Map([...all].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Names that must refer to declared services (depends_on, explore services), and no dependency cycles. */
function checkReferences(session: SpecSession): void {
  const known = (): string => [...session.services.keys()].join(', ') || '(none)';
  for (const svc of session.services.values()) {
    const here = svc.pos ? `${at(svc.pos)}: ` : '';
    for (const dep of svc.decl.dependsOn) {
      if (dep === svc.name) throw new SpecError(`${here}service "${svc.name}" depends on itself`, svc.pos);
      if (!session.services.has(dep)) {
        throw new SpecError(`${here}service "${svc.name}": depends_on names "${dep}", which is not a declared service (services: ${known()})`, svc.pos);
      }
    }
  }
  const cycle = dependencyCycle(session);
  if (cycle) {
    const first = session.services.get(cycle[0])!;
    throw new SpecError(`${first.pos ? `${at(first.pos)}: ` : ''}depends_on forms a cycle: ${cycle.join(' -> ')}`, first.pos);
  }
  const ex = session.explore;
  for (const name of ex?.config.services ?? []) {
    if (!session.services.has(name)) {
      throw new SpecError(`${ex?.pos ? `${at(ex.pos)}: ` : ''}explore: services names "${name}", which is not a declared service (services: ${known()})`, ex?.pos);
    }
  }
}

function dependencyCycle(session: SpecSession): string[] | undefined {
  const state = new Map<string, 'visiting' | 'done'>();
  const path: string[] = [];
  const visit = (name: string): string[] | undefined => {
    if (state.get(name) === 'done') return undefined;
    if (state.get(name) === 'visiting') return [...path.slice(path.indexOf(name)), name];
    state.set(name, 'visiting');
    path.push(name);
    for (const dep of session.services.get(name)!.decl.dependsOn) {
      const c = visit(dep);
      if (c) return c;
    }
    path.pop();
    state.set(name, 'done');
    return undefined;
  };
  for (const name of session.services.keys()) {
    const c = visit(name);
    if (c) return c;
  }
  return undefined;
}

function scannedFile(m: Module, modules: ReadonlyMap<string, Module>, loadPath: (from: string, p: string) => string): ScannedFile {
  const ast = parseFile(m.file);
  const imports = new Map<string, Value>();
  walk(ast, (n) => {
    if (n.kind !== 'LoadStmt') return n.kind === 'File';
    const from = modules.get(loadPath(m.file, String(n.module.value)));
    for (const { local, name } of n.names) {
      const v = from?.globals.get(name);
      if (v !== undefined) imports.set(local.name, v);
    }
    return false;
  });
  return { ast, globals: m.globals, imports };
}
