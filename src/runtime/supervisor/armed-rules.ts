// A service's fault rules in the form the notification loop matches against: indexed by syscall
// number, triggers and globs pre-compiled, counters per rule. Matching walks the rules for the
// syscall in spec order and the first rule that fires decides.
import type { FaultRule } from '../../spec/model.js';
import { ERRNOS } from '../../spec/errno.js';
import type { SyscallDecision } from '../../spec/events.js';
import { SYSCALL_NR_LIMIT, syscallNumber } from '../kernel/syscall-table.js';
import { compilePathGlob, type PathGlob } from './pathglob.js';
import { armTrigger, hashRuleId, shouldFire, type ArmedTrigger } from '../../spec/trigger.js';

/** Decision codes as stored in the event columns. */
export const DECISION_ALLOW = 0;
export const DECISION_TRACE = 1;
export const DECISION_DENY = 2;
export const DECISION_DELAY = 3;
export const DECISION_CRASH = 4;
export const DECISION_NAMES: readonly SyscallDecision[] = ['allow', 'trace', 'deny', 'delay', 'crash'];

export interface ArmedRule {
  readonly id: string;
  readonly hash: number;
  readonly decision: number;
  /** Positive errno for deny, 0 otherwise. */
  readonly errno: number;
  readonly delayMs: number;
  /** A crash rule that also loses unsynced writes. */
  readonly loseUnsynced: boolean;
  readonly trigger: ArmedTrigger;
  readonly glob: PathGlob | undefined;
  /** Over the peer address the call names (connect, sendto, sendmsg). */
  readonly peerGlob: PathGlob | undefined;
  /** A path-less deny/delay: calls on the runtime's own descriptors are not its occurrences. */
  readonly sparesRuntimeFds: boolean;
  readonly label: string | undefined;
  /** Calls that passed the path filter (the occurrence counter). */
  matched: number;
  fired: number;
  /** Calls skipped because the path could not be resolved. */
  unresolved: number;
}

/** Gives the call's path (or resolved fd target) on demand; undefined when it cannot be read. */
export interface CallTarget {
  path(): string | undefined;
  /** The peer address a connect/sendto/sendmsg names, when it names one. */
  peer(): string | undefined;
  /** Whether the call works on a runtime descriptor (eventfd, timerfd, epoll...; see runtime-fds.ts). */
  onRuntimeFd(): boolean;
}

export interface RuleCounters {
  readonly matched: number;
  readonly fired: number;
  readonly unresolved: number;
}

export class ArmedRuleSet {
  private constructor(
    readonly rules: readonly ArmedRule[],
    /** Rules per syscall number, in spec order; allow() rules are left out (they never fire). */
    private readonly byNr: readonly (readonly ArmedRule[] | undefined)[],
    readonly seed: number,
  ) {}

  static readonly EMPTY = new ArmedRuleSet([], [], 0);

  /**
   * Validates and compiles. With `carryCounters`, rules whose id is in it keep their counts
   * (used when a scope ends and the remaining rules are re-armed).
   */
  static arm(service: string, rules: readonly FaultRule[], seed: number, carryCounters?: ReadonlyMap<string, RuleCounters>): ArmedRuleSet {
    const armed: ArmedRule[] = [];
    const byNr: ArmedRule[][] = [];
    for (const rule of rules) {
      if (rule.service !== service) {
        throw new RangeError(`rule ${rule.id} is for service "${rule.service}", armed on "${service}"`);
      }
      const a = armRule(rule);
      const prev = carryCounters?.get(rule.id);
      if (prev) {
        a.matched = prev.matched;
        a.fired = prev.fired;
        a.unresolved = prev.unresolved;
      }
      armed.push(a);
      if (rule.action.kind === 'allow') continue;
      for (const name of rule.syscalls) {
        const nr = syscallNumber(name);
        (byNr[nr] ??= []).push(a);
      }
    }
    const dense: (ArmedRule[] | undefined)[] = new Array(SYSCALL_NR_LIMIT).fill(undefined);
    byNr.forEach((list, nr) => { dense[nr] = list; });
    return new ArmedRuleSet(armed, dense, seed);
  }

  /** The rules a call with this number is checked against, or undefined when none. */
  rulesFor(nr: number): readonly ArmedRule[] | undefined {
    return nr < this.byNr.length ? this.byNr[nr] : undefined;
  }

  /** The first rule that fires for this call, updating counters; undefined = allow. */
  match(rules: readonly ArmedRule[], target: CallTarget): ArmedRule | undefined {
    for (let i = 0; i < rules.length; i++) {
      const r = rules[i]!;
      if (r.glob !== undefined ? !passes(r, r.glob, target.path()) : r.sparesRuntimeFds && target.onRuntimeFd()) continue;
      if (r.peerGlob !== undefined && !passes(r, r.peerGlob, target.peer())) continue;
      const occurrence = ++r.matched;
      if (shouldFire(r.trigger, occurrence, r.fired, this.seed, r.hash)) {
        r.fired++;
        return r;
      }
    }
    return undefined;
  }

  counters(): Map<string, RuleCounters> {
    return new Map(this.rules.map((r) => [r.id, { matched: r.matched, fired: r.fired, unresolved: r.unresolved }]));
  }
}

/** A call's path or peer against a rule's glob; a value that could not be read counts as unresolved. */
function passes(r: ArmedRule, glob: PathGlob, value: string | undefined): boolean {
  if (value === undefined) {
    r.unresolved++;
    return false;
  }
  return glob.test(value);
}

function armRule(rule: FaultRule): ArmedRule {
  const base = {
    id: rule.id,
    hash: hashRuleId(rule.id),
    trigger: armTrigger(rule.trigger, rule.id),
    glob: rule.pathGlob !== undefined ? compilePathGlob(rule.pathGlob) : undefined,
    peerGlob: rule.peerGlob !== undefined ? compilePathGlob(rule.peerGlob) : undefined,
    sparesRuntimeFds: rule.pathGlob === undefined && (rule.action.kind === 'deny' || rule.action.kind === 'delay' || rule.action.kind === 'crash'),
    loseUnsynced: rule.action.kind === 'crash' && rule.action.loseUnsynced,
    label: rule.label,
    matched: 0,
    fired: 0,
    unresolved: 0,
  };
  const a = rule.action;
  switch (a.kind) {
    case 'deny': {
      const e = ERRNOS[a.errno];
      if (!e) throw new RangeError(`rule ${rule.id}: unknown errno ${String(a.errno)}`);
      return { ...base, decision: DECISION_DENY, errno: e.number, delayMs: 0 };
    }
    case 'delay':
      if (!(a.ms >= 0 && Number.isFinite(a.ms))) throw new RangeError(`rule ${rule.id}: delay of ${a.ms} ms (expected >= 0)`);
      return { ...base, decision: DECISION_DELAY, errno: 0, delayMs: a.ms };
    case 'crash':
      return { ...base, decision: DECISION_CRASH, errno: 0, delayMs: 0 };
    case 'trace':
      return { ...base, decision: DECISION_TRACE, errno: 0, delayMs: 0 };
    case 'allow':
      return { ...base, decision: DECISION_ALLOW, errno: 0, delayMs: 0 };
  }
}
