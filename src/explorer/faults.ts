// Fault sets in their canonical form: normalized FaultSpecs, a total order, identity keys, the
// human string form, and the conversion to and from the spec model's FaultRule.
import { ERRNOS, isErrnoName, type ErrnoName } from '../spec/errno.js';
import type { FaultAction, FaultRule } from '../spec/model.js';
import { faultCallText, keywordFaultText, type FaultShape } from '../spec/fault-text.js';
import { expandKeyword } from '../spec/syscall-families.js';
import { UsageError } from '../errors.js';
import type { FaultSpec } from './progress.js';

export type FaultSet = readonly FaultSpec[];

/** A copy with only the defined fields, in one fixed key order (so JSON output is stable). */
export function normalizeFault(f: FaultSpec): FaultSpec {
  return {
    service: f.service,
    syscall: f.syscall,
    action: f.action,
    ...(f.action === 'deny' && f.errno !== undefined ? { errno: f.errno } : {}),
    ...(f.action === 'delay' && f.delay_ms !== undefined ? { delay_ms: f.delay_ms } : {}),
    ...(f.action === 'crash' && f.lose_unsynced === true ? { lose_unsynced: true } : {}),
    ...(f.nth !== undefined ? { nth: f.nth } : {}),
    ...(f.after !== undefined ? { after: f.after } : {}),
    ...(f.count !== undefined ? { count: f.count } : {}),
    ...(f.path !== undefined ? { path: f.path } : {}),
    ...(f.peer !== undefined ? { peer: f.peer } : {}),
  };
}

/** Identity of one fault: two faults with the same key arm the same rule. */
export function faultKey(f: FaultSpec): string {
  return [
    f.service,
    f.syscall,
    f.path ?? '',
    f.action,
    f.errno ?? '',
    f.delay_ms ?? '',
    f.nth ?? '',
    f.after ?? '',
    f.count ?? '',
    // Appended only when set, so keys (and corpus ids) of peer-less faults stay as they were.
    ...(f.peer !== undefined ? [`peer=${f.peer}`] : []),
    ...(f.lose_unsynced === true ? ['lose_unsynced'] : []),
  ].join('|');
}

function cmp(a: string | number | undefined, b: string | number | undefined): number {
  if (a === b) return 0;
  if (a === undefined) return -1;
  if (b === undefined) return 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a) < String(b) ? -1 : 1;
}

/** Total order on faults: service, family, path, action, errno/delay, then trigger numbers. */
export function compareFaults(a: FaultSpec, b: FaultSpec): number {
  return (
    cmp(a.service, b.service) ||
    cmp(a.syscall, b.syscall) ||
    cmp(a.path, b.path) ||
    cmp(a.peer, b.peer) ||
    cmp(a.action, b.action) ||
    cmp(a.errno, b.errno) ||
    cmp(a.delay_ms, b.delay_ms) ||
    cmp(a.nth, b.nth) ||
    cmp(a.after, b.after) ||
    cmp(a.count, b.count) ||
    cmp(a.lose_unsynced ? 1 : 0, b.lose_unsynced ? 1 : 0)
  );
}

/** Normalized, duplicate-free and sorted. */
export function canonicalFaultSet(faults: FaultSet): FaultSpec[] {
  const byKey = new Map<string, FaultSpec>();
  for (const f of faults) {
    const n = normalizeFault(f);
    byKey.set(faultKey(n), n);
  }
  return [...byKey.values()].sort(compareFaults);
}

export function faultSetKey(faults: FaultSet): string {
  return canonicalFaultSet(faults).map(faultKey).join(' & ');
}

/** Identity of a case: the scenario and its canonical fault set. */
export function caseKey(scenario: string, faults: FaultSet): string {
  return `${scenario} :: ${faultSetKey(faults)}`;
}

/** The action a fault arms. */
export function actionOf(f: FaultSpec): FaultAction {
  switch (f.action) {
    case 'deny':
      return { kind: 'deny', errno: f.errno ?? 'EIO' };
    case 'delay':
      return { kind: 'delay', ms: f.delay_ms ?? 0 };
    case 'crash':
      return { kind: 'crash', loseUnsynced: f.lose_unsynced === true };
  }
}

/** What the spec's renderer needs of a fault. */
export function shapeOf(f: FaultSpec): FaultShape {
  return {
    action: actionOf(f),
    trigger: {
      ...(f.nth !== undefined ? { nth: f.nth } : {}),
      ...(f.after !== undefined ? { after: f.after } : {}),
      ...(f.count !== undefined ? { count: f.count } : {}),
    },
    ...(f.path !== undefined ? { pathGlob: f.path } : {}),
    ...(f.peer !== undefined ? { peerGlob: f.peer } : {}),
  };
}

/** `deny("EIO", nth=3, path="/data/*")`: the call a spec writes. */
export function faultCall(f: FaultSpec): string {
  return faultCallText(shapeOf(f), 'spec');
}

/** `db.write=deny("EIO", nth=3, path="/data/*")`: the spec's own spelling. */
export function formatFault(f: FaultSpec): string {
  return `${f.service}.${keywordFaultText(f.syscall, shapeOf(f), 'spec')}`;
}

export function formatFaultSet(faults: FaultSet): string {
  const canon = canonicalFaultSet(faults);
  return canon.length === 0 ? '(no faults)' : canon.map(formatFault).join(' + ');
}

/** The rule the runtime arms for one fault. */
export function faultToRule(f: FaultSpec, id: string): FaultRule {
  const expanded = expandKeyword(f.syscall);
  if (!expanded) throw new UsageError(`fault ${formatFault(f)}: unknown syscall family "${f.syscall}"`);
  const { action, trigger, pathGlob, peerGlob } = shapeOf(f);
  return {
    id,
    service: f.service,
    keyword: f.syscall,
    syscalls: expanded.syscalls,
    action,
    trigger,
    ...(pathGlob !== undefined ? { pathGlob } : {}),
    ...(peerGlob !== undefined ? { peerGlob } : {}),
  };
}

/** Rules for a fault set, ids `f1..fk` in canonical order (the ids `fired` counts refer to). */
export function faultSetToRules(faults: FaultSet): FaultRule[] {
  return canonicalFaultSet(faults).map((f, i) => faultToRule(f, `f${i + 1}`));
}

/** The FaultSpec a rule denotes; undefined for allow/trace and probabilistic rules. */
export function ruleToFault(rule: FaultRule): FaultSpec | undefined {
  if (rule.trigger.probability !== undefined && rule.trigger.probability < 1) return undefined;
  const base = {
    service: rule.service,
    syscall: rule.keyword,
    ...(rule.trigger.nth !== undefined ? { nth: rule.trigger.nth } : {}),
    ...(rule.trigger.after !== undefined ? { after: rule.trigger.after } : {}),
    ...(rule.trigger.count !== undefined ? { count: rule.trigger.count } : {}),
    ...(rule.pathGlob !== undefined ? { path: rule.pathGlob } : {}),
    ...(rule.peerGlob !== undefined ? { peer: rule.peerGlob } : {}),
  };
  if (rule.action.kind === 'deny') return normalizeFault({ ...base, action: 'deny', errno: rule.action.errno });
  if (rule.action.kind === 'delay') return normalizeFault({ ...base, action: 'delay', delay_ms: rule.action.ms });
  if (rule.action.kind === 'crash') return normalizeFault({ ...base, action: 'crash', lose_unsynced: rule.action.loseUnsynced });
  return undefined;
}

function positiveInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 1;
}

/** Checks a FaultSpec read from a file; `where` names the file and position for the message. */
export function parseFaultSpec(value: unknown, where: string): FaultSpec {
  const bad = (what: string): never => {
    throw new UsageError(`${where}: ${what}`);
  };
  if (typeof value !== 'object' || value === null) return bad('expected a fault object');
  const v = value as Record<string, unknown>;
  if (typeof v.service !== 'string' || v.service === '') bad('"service" must be a non-empty string');
  if (typeof v.syscall !== 'string' || !expandKeyword(v.syscall)) bad(`"syscall" must be a syscall family or name, got ${JSON.stringify(v.syscall)}`);
  if (v.action !== 'deny' && v.action !== 'delay' && v.action !== 'crash') bad(`"action" must be "deny", "delay" or "crash", got ${JSON.stringify(v.action)}`);
  if (v.lose_unsynced !== undefined && (v.action !== 'crash' || typeof v.lose_unsynced !== 'boolean')) bad('"lose_unsynced" must be true or false, and only on a crash');
  if (v.action === 'deny' && (typeof v.errno !== 'string' || !isErrnoName(v.errno))) {
    bad(`"errno" must be one of ${Object.keys(ERRNOS).join(', ')}, got ${JSON.stringify(v.errno)}`);
  }
  if (v.action === 'delay' && (typeof v.delay_ms !== 'number' || !Number.isInteger(v.delay_ms) || v.delay_ms < 0)) {
    bad(`"delay_ms" must be a non-negative integer, got ${JSON.stringify(v.delay_ms)}`);
  }
  for (const k of ['nth', 'count'] as const) if (v[k] !== undefined && !positiveInt(v[k])) bad(`"${k}" must be an integer >= 1`);
  if (v.after !== undefined && !(typeof v.after === 'number' && Number.isInteger(v.after) && v.after >= 0)) bad('"after" must be an integer >= 0');
  if (v.nth !== undefined && v.after !== undefined) bad('"nth" and "after" cannot both be set');
  if (v.path !== undefined && typeof v.path !== 'string') bad('"path" must be a string');
  if (v.peer !== undefined && typeof v.peer !== 'string') bad('"peer" must be a string');
  return normalizeFault({
    service: v.service as string,
    syscall: v.syscall as string,
    action: v.action as FaultSpec['action'],
    errno: v.errno as ErrnoName | undefined,
    delay_ms: v.delay_ms as number | undefined,
    nth: v.nth as number | undefined,
    after: v.after as number | undefined,
    count: v.count as number | undefined,
    path: v.path as string | undefined,
    peer: v.peer as string | undefined,
    lose_unsynced: v.lose_unsynced as boolean | undefined,
  });
}

/**
 * Two faults on the same rule target with the same trigger compete for the same call (the first
 * rule to fire decides), so the set says nothing a smaller set does not; nor does a second crash.
 */
export function hasCompetingFaults(faults: FaultSet): boolean {
  // Two crash points: the second lands in the first one's recovery, where faultbox's own kill
  // would read as the service dying.
  if (faults.filter((f) => f.action === 'crash').length > 1) return true;
  const seen = new Set<string>();
  for (const f of faults) {
    const k = [f.service, f.syscall, f.path ?? '', f.peer ?? '', f.nth ?? '', f.after ?? '', f.nth === undefined && f.after === undefined ? 'always' : ''].join('|');
    if (seen.has(k)) return true;
    seen.add(k);
  }
  return false;
}
