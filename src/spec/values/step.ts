// Step methods of an interface (`api.public.get(path=...)`, `db.main.query(sql=...)`): parse the
// arguments per protocol, ask the host to perform the call, wrap the answer as a Response.
import {
  Builtin, StarDict, StarList, Tuple, StarlarkError, toJS, typeName, unpackArgs, repr,
  type Kwargs, type Value,
} from '../../starlark/index.js';
import type { InterfaceDecl, Protocol } from '../model.js';
import type { StepArgs } from '../host.js';
import type { SpecSession } from '../session.js';
import { durationArg, stringArg, stringDict } from '../arg-types.js';
import { ResponseValue } from './response.js';

export const STEP_METHODS: Readonly<Record<Protocol, readonly string[]>> = {
  http: ['get', 'post', 'put', 'delete', 'patch'],
  tcp: ['send'],
  postgres: ['query'],
  redis: ['command'],
};

export const ALL_STEP_METHODS = ['get', 'post', 'put', 'delete', 'patch', 'send', 'query', 'command'];

const HTTP_PARAMS = ['path?', 'body?', 'headers?', 'timeout?'];
const TCP_PARAMS = ['data', '*', 'timeout?'];
const PG_PARAMS = ['sql', 'params?', '*', 'timeout?'];
const REDIS_PARAMS = ['*args', 'timeout?'];

export function makeStep(session: SpecSession, service: string, iface: InterfaceDecl, method: string): Builtin {
  const fn = `${service}.${iface.name}.${method}`;
  return new Builtin(fn, (_ctx, args: Value[], kwargs: Kwargs) => {
    const stepArgs = parseStepArgs(fn, iface.protocol, method, args, kwargs);
    const run = session.requireRun(fn);
    const resp = run.host.step({ service, iface: iface.name, protocol: iface.protocol, method, args: stepArgs });
    return new ResponseValue(resp);
  });
}

function parseStepArgs(fn: string, protocol: Protocol, method: string, args: Value[], kwargs: Kwargs): StepArgs {
  switch (protocol) {
    case 'http': {
      const [path, body, headers, timeout] = unpackArgs(fn, args, kwargs, HTTP_PARAMS);
      const hdrs = headers === undefined ? {} : stringDict(fn, 'headers', headers);
      let text: string | undefined;
      if (body !== undefined) {
        if (typeof body === 'string') text = body;
        else if (body instanceof StarDict || body instanceof StarList || body instanceof Tuple) {
          text = JSON.stringify(jsonable(toJS(body)));
          if (!Object.keys(hdrs).some((h) => h.toLowerCase() === 'content-type')) hdrs['Content-Type'] = 'application/json';
        } else throw new StarlarkError(`${fn}: body must be a string, dict or list, got ${typeName(body)}`);
      }
      const p = path === undefined ? '/' : stringArg(fn, 'path', path);
      return {
        path: p.startsWith('/') ? p : '/' + p,
        ...(text !== undefined ? { body: text } : {}),
        headers: hdrs,
        ...timeoutOf(fn, timeout),
      };
    }
    case 'tcp': {
      const [data, timeout] = unpackArgs(fn, args, kwargs, TCP_PARAMS);
      return { data: stringArg(fn, 'data', data!), ...timeoutOf(fn, timeout) };
    }
    case 'postgres': {
      const [sql, params, timeout] = unpackArgs(fn, args, kwargs, PG_PARAMS);
      const ps = params === undefined ? [] : sqlParams(fn, params);
      return { sql: stringArg(fn, 'sql', sql!), params: ps, ...timeoutOf(fn, timeout) };
    }
    case 'redis': {
      const [rest, timeout] = unpackArgs(fn, args, kwargs, REDIS_PARAMS);
      const words = (rest as Tuple).elems.map((w, i) => {
        if (typeof w === 'string') return w;
        if (typeof w === 'number' || typeof w === 'bigint') return String(w);
        throw new StarlarkError(`${fn}: argument ${i + 1} must be a string or int, got ${typeName(w)} ${repr(w)}`);
      });
      if (words.length === 0) throw new StarlarkError(`${fn}: needs a command, e.g. ${fn}("GET", "key")`);
      return { command: words, ...timeoutOf(fn, timeout) };
    }
  }
  throw new StarlarkError(`${fn}: unsupported method ${method}`);
}

function timeoutOf(fn: string, v: Value | undefined): { timeoutMs?: number } {
  return v === undefined ? {} : { timeoutMs: durationArg(fn, 'timeout', v) };
}

function sqlParams(fn: string, v: Value): (string | number | boolean | null)[] {
  if (!(v instanceof StarList || v instanceof Tuple)) throw new StarlarkError(`${fn}: params must be a list, got ${typeName(v)}`);
  return v.elems.map((e, i) => {
    const j = toJS(e);
    if (j === null || typeof j === 'string' || typeof j === 'number' || typeof j === 'boolean') return j;
    if (typeof j === 'bigint') return Number(j);
    throw new StarlarkError(`${fn}: params[${i}] must be a string, number, bool or None, got ${typeName(e)}`);
  });
}

/** toJS gives Maps for dicts; JSON wants plain objects. */
function jsonable(x: unknown): unknown {
  if (x instanceof Map) return Object.fromEntries([...x].map(([k, v]) => [String(k), jsonable(v)]));
  if (Array.isArray(x)) return x.map(jsonable);
  if (typeof x === 'bigint') return Number(x);
  return x;
}
