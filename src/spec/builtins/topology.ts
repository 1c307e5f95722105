// Topology builtins: service(), interface() and the healthchecks tcp(), http(), ready().
import { dirname, resolve } from 'node:path';
import {
  Builtin, None, StarlarkError, Tuple, quote, repr, typeName, unpackArgs,
  type CallContext, type Kwargs, type Value,
} from '../../starlark/index.js';
import type { Healthcheck, InterfaceDecl, Protocol, ServiceDecl, ServiceSource } from '../model.js';
import type { SpecSession } from '../session.js';
import {
  boolArg, callableArg, dictArg, durationArg, nonEmptyString, portArg, sequenceArg, stringArg, stringDict, stringList,
} from '../arg-types.js';
import { InterfaceDeclValue } from '../values/interface-decl.js';
import { HealthcheckValue } from '../values/healthcheck.js';
import { ServiceValue } from '../values/service.js';

export const PROTOCOLS: readonly Protocol[] = ['http', 'tcp', 'postgres', 'redis'];

const SERVICE_PARAMS = [
  'name', '*interfaces', 'binary?', 'image?', 'build?', 'args?', 'env?', 'depends_on?', 'healthcheck?', 'volumes?',
  'ports?', 'reuse?', 'seccomp?', 'reset?',
];

/** Keywords people carry over from other tools, and what to write instead. */
const SERVICE_HINTS: Readonly<Record<string, string>> = {
  cmd: 'args=[...]',
  command: 'args=[...]',
  entrypoint: 'binary= (a local program) or args=[...] (replaces the image CMD)',
  http: 'healthcheck=http("localhost:PORT/health")',
  tcp: 'healthcheck=tcp("localhost:PORT")',
  environment: 'env={...}',
  dockerfile: 'build="./dir" (a directory holding a Dockerfile)',
};

/** Optional keyword arguments given as None count as absent. */
function given(v: Value | undefined): v is Value {
  return v !== undefined && v !== None;
}

export function topologyBuiltins(session: SpecSession): Builtin[] {
  const service = new Builtin('service', (ctx: CallContext, args: Value[], kwargs: Kwargs) => {
    session.requireLoading('service');
    for (const [k] of kwargs) {
      const hint = SERVICE_HINTS[k];
      if (hint) throw new StarlarkError(`service: unknown keyword argument "${k}": write ${hint}`);
    }
    // A second positional string is the binary path; unpackArgs sees everything after name as *interfaces.
    const [nameV, rest, binaryKw, image, build, argsV, env, dependsOn, healthcheck, volumes, ports, reuse, seccomp, reset] =
      unpackArgs('service', args, kwargs, SERVICE_PARAMS);
    const name = nonEmptyString('service', 'name', nameV!);
    if (!/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(name)) {
      throw new StarlarkError(`service: name ${quote(name)} must start with a letter or _ and hold only letters, digits, _, . and -`);
    }
    const existing = session.services.get(name);
    if (existing) throw new StarlarkError(`service: ${quote(name)} is already declared${where(existing)}`);

    let positional = (rest as Tuple).elems;
    let binary: string | undefined;
    if (positional.length > 0 && typeof positional[0] === 'string') {
      binary = nonEmptyString('service', 'binary', positional[0]);
      positional = positional.slice(1);
    }
    const interfaces: InterfaceDecl[] = positional.map((v, i) => {
      if (v instanceof InterfaceDeclValue) return v.decl;
      const what = typeof v === 'string' ? 'a second string (only one binary path may be given)' : `${typeName(v)} ${repr(v)}`;
      throw new StarlarkError(`service: positional argument ${i + 2} must be an interface(...), got ${what}`);
    });
    const seen = new Set<string>();
    for (const itf of interfaces) {
      if (seen.has(itf.name)) throw new StarlarkError(`service: ${quote(name)}: two interfaces are named ${quote(itf.name)}`);
      if (itf.name === 'name') throw new StarlarkError(`service: ${quote(name)}: an interface cannot be named "name" (it is the service's .name)`);
      seen.add(itf.name);
    }

    if (given(binaryKw)) {
      if (binary !== undefined) throw new StarlarkError(`service: ${quote(name)}: the binary is given twice (positionally and as binary=)`);
      binary = nonEmptyString('service', 'binary', binaryKw);
    }
    const sources: ServiceSource[] = [];
    if (binary !== undefined) sources.push({ kind: 'binary', path: binary });
    if (given(image)) sources.push({ kind: 'image', ref: nonEmptyString('service', 'image', image) });
    if (given(build)) sources.push({ kind: 'build', context: nonEmptyString('service', 'build', build) });
    if (sources.length !== 1) {
      const got = sources.length === 0 ? 'none was given' : `got ${sources.map((s) => s.kind).join(' and ')}`;
      throw new StarlarkError(
        `service: ${quote(name)}: needs exactly one source — a binary path (service("${name}", "./bin/app", ...) or binary=), image="repo:tag" or build="./dir" — ${got}`,
      );
    }

    let check: Healthcheck | undefined;
    if (given(healthcheck)) {
      if (!(healthcheck instanceof HealthcheckValue)) {
        throw new StarlarkError(`service: ${quote(name)}: healthcheck must be tcp(...), http(...) or ready(...), got ${typeName(healthcheck)}`);
      }
      check = healthcheck.check;
      if (check.kind === 'ready' && interfaces.length === 0) {
        throw new StarlarkError(`service: ${quote(name)}: ready() checks the service's first interface, but it declares none`);
      }
    }

    const deps: string[] = [];
    if (given(dependsOn)) {
      sequenceArg('service', 'depends_on', dependsOn).forEach((d, i) => {
        if (d instanceof ServiceValue) deps.push(d.name);
        else if (typeof d === 'string') deps.push(d);
        else throw new StarlarkError(`service: ${quote(name)}: depends_on[${i}] must be a service or a service name, got ${typeName(d)}`);
      });
    }

    const portMap: Record<number, number> = {};
    if (given(ports)) {
      for (const [k, v] of dictArg('service', 'ports', ports).items()) {
        const ctr = portArg('service', 'ports key (container port)', k);
        if (typeof v !== 'number' || v < 0 || v > 65535) {
          throw new StarlarkError(`service: ${quote(name)}: ports[${ctr}] must be a host port (0 = random), got ${repr(v)}`);
        }
        portMap[ctr] = v;
      }
    }

    const pos = ctx.callerPosition;
    const decl: ServiceDecl = {
      name,
      source: sources[0],
      interfaces,
      ...(given(argsV) ? { args: stringList('service', 'args', argsV) } : {}),
      env: given(env) ? stringDict('service', 'env', env) : {},
      dependsOn: deps,
      ...(check ? { healthcheck: check } : {}),
      volumes: given(volumes) ? stringDict('service', 'volumes', volumes) : {},
      ports: portMap,
      reuse: given(reuse) ? boolArg('service', 'reuse', reuse) : false,
      seccomp: given(seccomp) ? boolArg('service', 'seccomp', seccomp) : true,
      baseDir: resolve(dirname(pos?.file ?? session.file)),
      ...(given(reset) ? { hasReset: true } : {}),
    };
    if (given(reset)) callableArg('service', 'reset', reset);
    const value = new ServiceValue(session, decl, pos, given(reset) ? reset : undefined);
    session.services.set(name, value);
    return value;
  });

  const iface = new Builtin('interface', (_ctx, args, kwargs) => {
    const [nameV, protoV, portV] = unpackArgs('interface', args, kwargs, ['name', 'protocol', 'port']);
    const name = nonEmptyString('interface', 'name', nameV!);
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
      throw new StarlarkError(`interface: name ${quote(name)} must be an identifier (letters, digits, _), since it becomes an attribute`);
    }
    const proto = stringArg('interface', 'protocol', protoV!).toLowerCase();
    if (!(PROTOCOLS as readonly string[]).includes(proto)) {
      throw new StarlarkError(`interface: ${quote(name)}: unsupported protocol ${quote(proto)}; supported: ${PROTOCOLS.join(', ')}`);
    }
    return new InterfaceDeclValue({ name, protocol: proto as Protocol, port: portArg('interface', 'port', portV!) });
  });

  const tcp = new Builtin('tcp', (_ctx, args, kwargs) => {
    const [addr, timeout] = unpackArgs('tcp', args, kwargs, ['addr', 'timeout?']);
    const a = nonEmptyString('tcp', 'addr', addr!);
    if (!/:\d+$/.test(a)) throw new StarlarkError(`tcp: addr ${quote(a)} must be "host:port", e.g. "localhost:5432"`);
    return new HealthcheckValue({ kind: 'tcp', addr: a, timeoutMs: timeout === undefined ? 10_000 : durationArg('tcp', 'timeout', timeout) });
  });

  const http = new Builtin('http', (_ctx, args, kwargs) => {
    const [url, timeout] = unpackArgs('http', args, kwargs, ['url', 'timeout?']);
    let u = nonEmptyString('http', 'url', url!);
    if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(u)) u = 'http://' + u;
    return new HealthcheckValue({ kind: 'http', url: u, timeoutMs: timeout === undefined ? 10_000 : durationArg('http', 'timeout', timeout) });
  });

  const ready = new Builtin('ready', (_ctx, args, kwargs) => {
    const [timeout] = unpackArgs('ready', args, kwargs, ['timeout?']);
    return new HealthcheckValue({ kind: 'ready', timeoutMs: timeout === undefined ? 30_000 : durationArg('ready', 'timeout', timeout) });
  });

  return [service, iface, tcp, http, ready];
}

function where(v: ServiceValue): string {
  return v.pos ? ` at ${v.pos.file}:${v.pos.line}:${v.pos.col}` : '';
}
