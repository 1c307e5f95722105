// Turning `<keyword>=deny(...)` on a service into typed FaultRules: keyword expansion, checks
// that the rule can apply (path= only on file/fd syscalls, no rules on seccomp=False services),
// and the run-time check that every rule's syscalls are in the service's fixed filter.
import { StarlarkError, quote } from '../starlark/index.js';
import type { FaultAction, FaultRule, ServiceDecl } from './model.js';
import { RULE_KEYWORDS, expandKeyword, type RuleKeyword, type SyscallFamily, type SyscallName } from './syscall-families.js';
import { didYouMean } from './did-you-mean.js';
import type { FaultDefValue } from './values/fault-def.js';

/** The family and syscalls a rule keyword names, or an error listing the accepted keywords. */
export function resolveKeyword(fn: string, keyword: string, extraAccepted: readonly string[] = []): {
  family: SyscallFamily;
  syscalls: readonly SyscallName[];
  keyword: RuleKeyword;
} {
  const got = expandKeyword(keyword);
  if (got) return got;
  const accepted = [...extraAccepted, ...RULE_KEYWORDS];
  throw new StarlarkError(
    `${fn}: unknown syscall keyword ${quote(keyword)}${didYouMean(keyword, accepted)}; accepted: ${accepted.join(', ')}`,
  );
}

export function refuseUnfiltered(fn: string, svc: ServiceDecl): void {
  if (!svc.seccomp) {
    throw new StarlarkError(
      `${fn}: service ${quote(svc.name)} is declared with seccomp=False, so its syscalls cannot be faulted or traced (drop seccomp=False to allow rules on it)`,
    );
  }
}


export function ruleFromDef(fn: string, svc: ServiceDecl, keyword: string, def: FaultDefValue, id: string): FaultRule {
  refuseUnfiltered(fn, svc);
  const { family, syscalls, keyword: ruleKeyword } = resolveKeyword(fn, keyword);
  if (def.pathGlob !== undefined && family.target !== 'fd' && family.target !== 'path') {
    throw new StarlarkError(
      `${fn}: ${keyword}=${def.repr()}: path= only applies to syscalls on files or file descriptors; ${keyword} takes ${family.target === 'sockaddr' ? 'a socket address' : 'no path'}`,
    );
  }
  if (def.peerGlob !== undefined && !family.namesPeer) {
    throw new StarlarkError(
      `${fn}: ${keyword}=${def.repr()}: peer= only applies to calls that name their peer (connect, sendto, sendmsg); ${keyword} does not`,
    );
  }
  return {
    id,
    service: svc.name,
    keyword: ruleKeyword,
    syscalls,
    action: def.action,
    trigger: def.trigger,
    ...(def.pathGlob !== undefined ? { pathGlob: def.pathGlob } : {}),
    ...(def.peerGlob !== undefined ? { peerGlob: def.peerGlob } : {}),
    ...(def.label !== undefined ? { label: def.label } : {}),
  };
}

export function traceRule(fn: string, svc: ServiceDecl, keyword: string, id: string): FaultRule {
  refuseUnfiltered(fn, svc);
  const resolved = resolveKeyword(fn, keyword);
  const action: FaultAction = { kind: 'trace' };
  return { id, service: svc.name, keyword: resolved.keyword, syscalls: resolved.syscalls, action, trigger: {} };
}

/** The syscalls of `rule` the service's seccomp filter does not trap: empty when the rule can fire. */
export function untrappedSyscalls(rule: FaultRule, trapped: Readonly<Record<string, readonly SyscallName[]>>): SyscallName[] {
  const set = trapped[rule.service] ?? [];
  return rule.syscalls.filter((s) => !set.includes(s));
}

/** The one FAULT_NOT_FILTERABLE explanation: which syscalls the rule needs, what the filter traps, what to do. */
export function notFilterableText(rule: FaultRule, trapped: Readonly<Record<string, readonly SyscallName[]>>): string {
  const set = trapped[rule.service] ?? [];
  const have = set.length === 0 ? 'it runs without a filter' : `its filter traps: ${set.join(', ')}`;
  return (
    `FAULT_NOT_FILTERABLE: ${rule.keyword} on ${quote(rule.service)} needs ${untrappedSyscalls(rule, trapped).join(', ')}, which the service's seccomp filter does not trap (${have}). ` +
    'The filter is fixed at launch from the fault(), fault_start(), trace() and fault_assumption() calls the spec shows; ' +
    'name the service and the keyword literally in such a call, or declare the rule with fault_assumption(...)'
  );
}

/**
 * The filter is fixed when a service starts, from what the spec shows it can fault. A rule
 * outside it would silently never fire, so it is refused instead (FAULT_NOT_FILTERABLE).
 */
export function assertFilterable(fn: string, trapped: Readonly<Record<string, readonly SyscallName[]>>, rules: readonly FaultRule[]): void {
  const unfit = rules.find((r) => untrappedSyscalls(r, trapped).length > 0);
  if (unfit) throw new StarlarkError(`${fn}: ${notFilterableText(unfit, trapped)}`);
}
