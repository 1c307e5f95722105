// The JSON spelling of an explorer fault, in `--json` results and corpus files: one flat object
// with snake_case keys in a fixed order (`{"service": "db", "syscall": "write", "action": "deny",
// "errno": "EIO", "nth": 3}`). It encodes an InjectedFault and decodes back to one; it is not a
// model of its own. The format is unchanged since corpus files first held faults.
import { ERRNOS, isErrnoName, type ErrnoName } from '../../spec/errno.js';
import { isRuleKeyword, type RuleKeyword } from '../../spec/syscall-families.js';
import { triggerProblem } from '../../spec/trigger.js';
import { UsageError } from '../../errors.js';
import { normalizeFault, type FaultSet, type InjectedAction, type InjectedFault } from '../faults.js';

export interface FaultJson {
  readonly service: string;
  /** The rule keyword: a family (`write`, `connect`, ...) or one syscall. */
  readonly syscall: RuleKeyword;
  readonly action: InjectedAction['kind'];
  readonly errno?: ErrnoName;
  readonly delay_ms?: number;
  /** crash only, and only when true: every file put back to its last synced state before the restart. */
  readonly lose_unsynced?: boolean;
  readonly nth?: number;
  readonly after?: number;
  readonly count?: number;
  readonly path?: string;
  /** Peer glob of a connect/sendto fault, e.g. `*:6379`. */
  readonly peer?: string;
}

export function encodeFault(f: InjectedFault): FaultJson {
  const { action, trigger } = f;
  return {
    service: f.service,
    syscall: f.keyword,
    action: action.kind,
    ...(action.kind === 'deny' ? { errno: action.errno } : {}),
    ...(action.kind === 'delay' ? { delay_ms: action.ms } : {}),
    ...(action.kind === 'crash' && action.loseUnsynced ? { lose_unsynced: true } : {}),
    ...(trigger.nth !== undefined ? { nth: trigger.nth } : {}),
    ...(trigger.after !== undefined ? { after: trigger.after } : {}),
    ...(trigger.count !== undefined ? { count: trigger.count } : {}),
    ...(f.pathGlob !== undefined ? { path: f.pathGlob } : {}),
    ...(f.peerGlob !== undefined ? { peer: f.peerGlob } : {}),
  };
}

export function encodeFaults(faults: FaultSet): FaultJson[] {
  return faults.map(encodeFault);
}

/** Checks a fault read from a file; `where` names the file and position for the message. */
export function decodeFault(value: unknown, where: string): InjectedFault {
  const bad = (what: string): never => {
    throw new UsageError(`${where}: ${what}`);
  };
  if (typeof value !== 'object' || value === null) return bad('expected a fault object');
  const v = value as Record<string, unknown>;
  if (typeof v.service !== 'string' || v.service === '') return bad('"service" must be a non-empty string');
  if (typeof v.syscall !== 'string' || !isRuleKeyword(v.syscall)) return bad(`"syscall" must be a syscall family or name, got ${JSON.stringify(v.syscall)}`);
  if (v.action !== 'deny' && v.action !== 'delay' && v.action !== 'crash') return bad(`"action" must be "deny", "delay" or "crash", got ${JSON.stringify(v.action)}`);
  if (v.lose_unsynced !== undefined && (v.action !== 'crash' || typeof v.lose_unsynced !== 'boolean')) bad('"lose_unsynced" must be true or false, and only on a crash');
  let action: InjectedAction;
  if (v.action === 'deny') {
    if (typeof v.errno !== 'string' || !isErrnoName(v.errno)) return bad(`"errno" must be one of ${Object.keys(ERRNOS).join(', ')}, got ${JSON.stringify(v.errno)}`);
    action = { kind: 'deny', errno: v.errno };
  } else if (v.action === 'delay') {
    if (typeof v.delay_ms !== 'number' || !Number.isInteger(v.delay_ms) || v.delay_ms < 0) {
      return bad(`"delay_ms" must be a non-negative integer, got ${JSON.stringify(v.delay_ms)}`);
    }
    action = { kind: 'delay', ms: v.delay_ms };
  } else {
    action = { kind: 'crash', loseUnsynced: v.lose_unsynced === true };
  }
  for (const k of ['nth', 'after', 'count'] as const) if (v[k] !== undefined && typeof v[k] !== 'number') bad(`"${k}" must be a number, got ${JSON.stringify(v[k])}`);
  const trigger = { nth: v.nth as number | undefined, after: v.after as number | undefined, count: v.count as number | undefined };
  const problem = triggerProblem(trigger);
  if (problem !== undefined) bad(problem);
  if (v.path !== undefined && typeof v.path !== 'string') bad('"path" must be a string');
  if (v.peer !== undefined && typeof v.peer !== 'string') bad('"peer" must be a string');
  return normalizeFault({
    service: v.service,
    keyword: v.syscall,
    action,
    trigger,
    pathGlob: v.path as string | undefined,
    peerGlob: v.peer as string | undefined,
  });
}

/** A fault from its JSON spelling, checked as a file's would be (for fault literals in code and tests). */
export function faultFromJson(json: FaultJson): InjectedFault {
  return decodeFault(json, `fault ${JSON.stringify(json)}`);
}
