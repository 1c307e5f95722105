// How rules and decisions read in terminal output and the trace: `write=deny(ENOSPC, nth=3)`,
// `deny(no space left on device)`, `delay(500ms)`. The wording itself lives in src/spec.
import type { FaultRule } from '../../spec/model.js';
import type { SyscallEvent } from '../../spec/events.js';
import { decisionText } from '../../spec/decision-text.js';
import { keywordFaultText } from '../../spec/fault-text.js';

export { decisionText };

export function ruleText(rule: FaultRule): string {
  return keywordFaultText(rule.keyword, rule, 'display');
}

/** `fault rule on postgres: write=deny(ENOSPC) → filter:[write,writev,pwrite64] label="disk full"` */
export function ruleExpansionLine(rule: FaultRule): string {
  const label = rule.label ? ` label="${rule.label}"` : '';
  return `fault rule on ${rule.service}: ${ruleText(rule)} → filter:[${rule.syscalls.join(',')}]${label}`;
}

/** `#5319  postgres  pwrite64  deny(no space left on device)  [disk full]  /path` */
export function syscallEventLine(ev: SyscallEvent): string {
  const parts = [`#${ev.seq}`, ev.service, ev.syscall, decisionText(ev)];
  if (ev.label) parts.push(`[${ev.label}]`);
  const target = ev.path ?? ev.peer;
  if (target) parts.push(target);
  return parts.join('  ');
}
