// Assertions and trace queries: assert_true, assert_eq, assert_eventually, assert_never,
// assert_before and events(). Trace queries read the events recorded so far in this test.
import {
  Builtin, StarDict, StarlarkError, call, equals, repr, str, truth, typeName, unpackArgs,
  type CallContext, type Value,
} from '../../starlark/index.js';
import type { TraceEvent } from '../events.js';
import type { SpecSession } from '../session.js';
import { AssertionFailed } from '../assertion-failed.js';
import { FILTER_KEYS, describeFilter, isFilterKey, matchesFilter, type EventFilter } from '../event-filter.js';
import { callableArg, stringArg } from '../arg-types.js';
import { EventValue, eventList } from '../values/event.js';
import { ServiceValue } from '../values/service.js';

function parseFilter(fn: string, entries: [Value, Value][]): EventFilter {
  const f: EventFilter = {};
  for (const [k, v] of entries) {
    const key = String(k);
    if (!isFilterKey(key)) {
      throw new StarlarkError(`${fn}: unknown filter ${JSON.stringify(key)}; accepted: ${FILTER_KEYS.join(', ')}, where`);
    }
    f[key] = key === 'service' && v instanceof ServiceValue ? v.name : stringArg(fn, key, v);
  }
  return f;
}

interface Query {
  filter: EventFilter;
  where: Value | undefined;
}

function parseQuery(fn: string, kw: StarDict): Query {
  let where: Value | undefined;
  const rest: [Value, Value][] = [];
  for (const [k, v] of kw.items()) {
    if (k === 'where') where = callableArg(fn, 'where', v);
    else rest.push([k, v]);
  }
  return { filter: parseFilter(fn, rest), where };
}

function select(ctx: CallContext, events: readonly TraceEvent[], q: Query): TraceEvent[] {
  return events.filter((ev) => matchesFilter(ev, q.filter) && (q.where === undefined || truth(call(ctx, q.where, [new EventValue(ev)]))));
}

function describe(q: Query): string {
  return describeFilter(q.filter) + (q.where ? ' with where=' : '');
}

function eventLine(ev: TraceEvent): string {
  return new EventValue(ev).repr();
}

export function assertionBuiltins(session: SpecSession): Builtin[] {
  const recorded = (what: string): readonly TraceEvent[] => session.requireRun(what).host.events();
  /** Counts a check made while a test runs (asserts at load time check the spec itself). */
  const counted = (): void => {
    if (session.run) session.run.assertions++;
  };

  const assertTrue = new Builtin('assert_true', (_ctx, args, kwargs) => {
    counted();
    const [cond, message] = unpackArgs('assert_true', args, kwargs, ['cond', 'message?']);
    if (truth(cond!)) return true;
    const why = message === undefined ? `condition is ${repr(cond!)}` : str(message);
    throw new AssertionFailed(`assert_true: ${why}`);
  });

  const assertEq = new Builtin('assert_eq', (_ctx, args, kwargs) => {
    counted();
    const [a, b, message] = unpackArgs('assert_eq', args, kwargs, ['a', 'b', 'message?']);
    if (equals(a!, b!)) return true;
    const prefix = message === undefined ? 'assert_eq' : `assert_eq: ${str(message)}`;
    throw new AssertionFailed(`${prefix}: ${repr(a!)} != ${repr(b!)}`);
  });

  const assertEventually = new Builtin('assert_eventually', (ctx, args, kwargs) => {
    counted();
    const [kw] = unpackArgs('assert_eventually', args, kwargs, ['**filters']);
    const q = parseQuery('assert_eventually', kw as StarDict);
    const events = recorded('assert_eventually');
    if (select(ctx, events, q).length > 0) return true;
    throw new AssertionFailed(`assert_eventually: no event matched ${describe(q)} (${events.length} events recorded so far)`);
  });

  const assertNever = new Builtin('assert_never', (ctx, args, kwargs) => {
    counted();
    const [kw] = unpackArgs('assert_never', args, kwargs, ['**filters']);
    const q = parseQuery('assert_never', kw as StarDict);
    const hits = select(ctx, recorded('assert_never'), q);
    if (hits.length === 0) return true;
    throw new AssertionFailed(`assert_never: ${hits.length} event(s) matched ${describe(q)}; first: ${eventLine(hits[0])}`);
  });

  const assertBefore = new Builtin('assert_before', (ctx, args, kwargs) => {
    counted();
    const [firstV, thenV] = unpackArgs('assert_before', args, kwargs, ['*', 'first', 'then']);
    const asQuery = (name: string, v: Value): Query => {
      if (!(v instanceof StarDict)) throw new StarlarkError(`assert_before: ${name} must be a dict of filters, got ${typeName(v)}`);
      return { filter: parseFilter(`assert_before: ${name}`, v.items()), where: undefined };
    };
    const first = asQuery('first', firstV!);
    const then = asQuery('then', thenV!);
    const events = recorded('assert_before');
    const a = select(ctx, events, first)[0];
    const b = select(ctx, events, then)[0];
    if (!a) throw new AssertionFailed(`assert_before: no event matched first={${describe(first)}}`);
    if (!b) throw new AssertionFailed(`assert_before: no event matched then={${describe(then)}}`);
    if (a.seq < b.seq) return true;
    throw new AssertionFailed(`assert_before: ${eventLine(b)} (then) came before ${eventLine(a)} (first)`);
  });

  const events = new Builtin('events', (ctx, args, kwargs) => {
    const [kw] = unpackArgs('events', args, kwargs, ['**filters']);
    const q = parseQuery('events', kw as StarDict);
    return eventList(select(ctx, recorded('events'), q));
  });

  return [assertTrue, assertEq, assertEventually, assertNever, assertBefore, events];
}
