// Fault sets in their canonical form: normalized faults (spec/model.ts Fault, with the actions
// the explorer injects), a total order, identity keys, the human string form, and the conversion
// to and from the rules the runtime arms.
import type { Fault, FaultAction, FaultRule, Trigger } from '../spec/model.js';
import type { ErrnoName } from '../spec/errno.js';
import { faultCallText, keywordFaultText } from '../spec/fault-text.js';
import { expandKeyword } from '../spec/syscall-families.js';
import { InternalError } from '../errors.js';

/** What the explorer injects: it denies, delays and crashes, never arms allow or trace. */
export type InjectedAction = Extract<FaultAction, { readonly kind: 'deny' | 'delay' | 'crash' }>;

/** A fault the explorer generates, runs, shrinks and stores (its triggers are never probabilistic). */
export type InjectedFault = Fault & { readonly action: InjectedAction };

export type FaultSet = readonly InjectedFault[];

export function isInjectedAction(action: FaultAction): action is InjectedAction {
  return action.kind === 'deny' || action.kind === 'delay' || action.kind === 'crash';
}

/** The errno of a deny, the delay of a delay, the lost writes of a crash; undefined elsewhere. */
export function errnoOf(f: InjectedFault): ErrnoName | undefined {
  return f.action.kind === 'deny' ? f.action.errno : undefined;
}

export function delayMsOf(f: InjectedFault): number | undefined {
  return f.action.kind === 'delay' ? f.action.ms : undefined;
}

export function losesUnsynced(f: InjectedFault): boolean {
  return f.action.kind === 'crash' && f.action.loseUnsynced;
}

function normalizeAction(a: InjectedAction): InjectedAction {
  switch (a.kind) {
    case 'deny':
      return { kind: 'deny', errno: a.errno };
    case 'delay':
      return { kind: 'delay', ms: a.ms };
    case 'crash':
      return { kind: 'crash', loseUnsynced: a.loseUnsynced };
  }
}

/** nth, after and count only (an explorer trigger is never probabilistic), in one key order. */
function normalizeTrigger(t: Trigger): Trigger {
  return {
    ...(t.nth !== undefined ? { nth: t.nth } : {}),
    ...(t.after !== undefined ? { after: t.after } : {}),
    ...(t.count !== undefined ? { count: t.count } : {}),
  };
}

/** A copy with only the defined fields, in one fixed key order. */
export function normalizeFault(f: InjectedFault): InjectedFault {
  return {
    service: f.service,
    keyword: f.keyword,
    action: normalizeAction(f.action),
    trigger: normalizeTrigger(f.trigger),
    ...(f.pathGlob !== undefined ? { pathGlob: f.pathGlob } : {}),
    ...(f.peerGlob !== undefined ? { peerGlob: f.peerGlob } : {}),
  };
}

/** Identity of one fault: two faults with the same key arm the same rule. Corpus ids derive from it. */
export function faultKey(f: InjectedFault): string {
  return [
    f.service,
    f.keyword,
    f.pathGlob ?? '',
    f.action.kind,
    errnoOf(f) ?? '',
    delayMsOf(f) ?? '',
    f.trigger.nth ?? '',
    f.trigger.after ?? '',
    f.trigger.count ?? '',
    // Appended only when set, so keys (and corpus ids) of peer-less faults stay as they were.
    ...(f.peerGlob !== undefined ? [`peer=${f.peerGlob}`] : []),
    ...(losesUnsynced(f) ? ['lose_unsynced'] : []),
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
export function compareFaults(a: InjectedFault, b: InjectedFault): number {
  return (
    cmp(a.service, b.service) ||
    cmp(a.keyword, b.keyword) ||
    cmp(a.pathGlob, b.pathGlob) ||
    cmp(a.peerGlob, b.peerGlob) ||
    cmp(a.action.kind, b.action.kind) ||
    cmp(errnoOf(a), errnoOf(b)) ||
    cmp(delayMsOf(a), delayMsOf(b)) ||
    cmp(a.trigger.nth, b.trigger.nth) ||
    cmp(a.trigger.after, b.trigger.after) ||
    cmp(a.trigger.count, b.trigger.count) ||
    cmp(losesUnsynced(a) ? 1 : 0, losesUnsynced(b) ? 1 : 0)
  );
}

/** Normalized, duplicate-free and sorted. */
export function canonicalFaultSet(faults: FaultSet): InjectedFault[] {
  const byKey = new Map<string, InjectedFault>();
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

/** `deny("EIO", nth=3, path="/data/*")`: the call a spec writes. */
export function faultCall(f: InjectedFault): string {
  return faultCallText(f, 'spec');
}

/** `db.write=deny("EIO", nth=3, path="/data/*")`: the spec's own spelling. */
export function faultSpecText(f: InjectedFault): string {
  return `${f.service}.${keywordFaultText(f.keyword, f, 'spec')}`;
}

export function faultSetSpecText(faults: FaultSet): string {
  const canon = canonicalFaultSet(faults);
  return canon.length === 0 ? '(no faults)' : canon.map(faultSpecText).join(' + ');
}

/** The rule the runtime arms for one fault. */
export function faultToRule(f: InjectedFault, id: string): FaultRule {
  const expanded = expandKeyword(f.keyword);
  if (!expanded) throw new InternalError(`fault ${faultSpecText(f)}: keyword "${f.keyword}" expands to no syscalls`);
  return { id, ...normalizeFault(f), syscalls: expanded.syscalls };
}

/** Rules for a fault set, ids `f1..fk` in canonical order (the ids `fired` counts refer to). */
export function faultSetToRules(faults: FaultSet): FaultRule[] {
  return canonicalFaultSet(faults).map((f, i) => faultToRule(f, `f${i + 1}`));
}

/** The fault a rule denotes; undefined for allow/trace and probabilistic rules. */
export function ruleToFault(rule: FaultRule): InjectedFault | undefined {
  if (rule.trigger.probability !== undefined && rule.trigger.probability < 1) return undefined;
  const { action } = rule;
  if (!isInjectedAction(action)) return undefined;
  return normalizeFault({ ...rule, action });
}

/**
 * Two faults on the same rule target with the same trigger compete for the same call (the first
 * rule to fire decides), so the set says nothing a smaller set does not; nor does a second crash.
 */
export function hasCompetingFaults(faults: FaultSet): boolean {
  // Two crash points: the second lands in the first one's recovery, where faultbox's own kill
  // would read as the service dying.
  if (faults.filter((f) => f.action.kind === 'crash').length > 1) return true;
  const seen = new Set<string>();
  for (const f of faults) {
    const { nth, after } = f.trigger;
    const k = [f.service, f.keyword, f.pathGlob ?? '', f.peerGlob ?? '', nth ?? '', after ?? '', nth === undefined && after === undefined ? 'always' : ''].join('|');
    if (seen.has(k)) return true;
    seen.add(k);
  }
  return false;
}
