// How rules and decisions read in terminal output and the trace: `write=deny(ENOSPC, nth=3)`,
// `deny(no space left on device)`, `delay(500ms)`.
import { ERRNOS } from '../../spec/errno.js';
import type { FaultAction, FaultRule, Trigger } from '../../spec/model.js';
import type { SyscallEvent } from '../../spec/events.js';

export function formatMs(ms: number): string {
  if (ms >= 1000 && ms % 1000 === 0) return `${ms / 1000}s`;
  if (ms >= 1000) return `${(ms / 1000).toFixed(1)}s`;
  return `${ms}ms`;
}

function triggerArgs(t: Trigger): string[] {
  const out: string[] = [];
  if (t.nth !== undefined) out.push(`nth=${t.nth}`);
  if (t.after !== undefined) out.push(`after=${t.after}`);
  if (t.count !== undefined) out.push(`count=${t.count}`);
  if (t.probability !== undefined) out.push(`probability=${Math.round(t.probability * 10000) / 100}%`);
  return out;
}

export function actionText(action: FaultAction, trigger: Trigger = {}, pathGlob?: string, peerGlob?: string): string {
  const extra = [...triggerArgs(trigger), ...(pathGlob ? [`path="${pathGlob}"`] : []), ...(peerGlob ? [`peer="${peerGlob}"`] : [])];
  const tail = extra.length ? `, ${extra.join(', ')}` : '';
  switch (action.kind) {
    case 'deny':
      return `deny(${action.errno}${tail})`;
    case 'delay':
      return `delay(${formatMs(action.ms)}${tail})`;
    case 'crash':
      return `crash(${[...(action.loseUnsynced ? ['lose_unsynced=True'] : []), ...extra].join(', ')})`;
    case 'allow':
      return `allow(${extra.join(', ')})`;
    case 'trace':
      return 'trace';
  }
}

export function ruleText(rule: FaultRule): string {
  return `${rule.keyword}=${actionText(rule.action, rule.trigger, rule.pathGlob, rule.peerGlob)}`;
}

/** `fault rule on postgres: write=deny(ENOSPC) → filter:[write,writev,pwrite64] label="disk full"` */
export function ruleExpansionLine(rule: FaultRule): string {
  const label = rule.label ? ` label="${rule.label}"` : '';
  return `fault rule on ${rule.service}: ${ruleText(rule)} → filter:[${rule.syscalls.join(',')}]${label}`;
}

export function decisionText(ev: SyscallEvent): string {
  switch (ev.decision) {
    case 'deny':
      return `deny(${ev.errno ? ERRNOS[ev.errno].text : 'error'})`;
    case 'delay':
      return `delay(${formatMs(ev.delayMs ?? 0)})`;
    default:
      return ev.decision;
  }
}

/** `#5319  postgres  pwrite64  deny(no space left on device)  [disk full]  /path` */
export function syscallEventLine(ev: SyscallEvent): string {
  const parts = [`#${ev.seq}`, ev.service, ev.syscall, decisionText(ev)];
  if (ev.label) parts.push(`[${ev.label}]`);
  const target = ev.path ?? ev.peer;
  if (target) parts.push(target);
  return parts.join('  ');
}
