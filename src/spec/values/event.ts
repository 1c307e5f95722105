// A trace event as Starlark sees it (`e.seq`, `e.service`, `e.syscall`, `e.decision`, ...).
// Fields that do not apply to the event's type read as None, so `where=` lambdas need no guards.
import { HostValue, None, StarFloat, StarList, Tuple, type Value } from '../../starlark/index.js';
import type { TraceEvent } from '../events.js';
import { decisionText } from '../decision-text.js';

const COMMON = ['seq', 'service', 'type', 'ts_ms', 'syscall', 'decision', 'errno', 'path', 'peer', 'label'];

function num(n: number): Value {
  return Number.isInteger(n) ? n : new StarFloat(n);
}

function opt(v: string | number | boolean | undefined): Value {
  if (v === undefined) return None;
  return typeof v === 'number' ? num(v) : v;
}

export class EventValue extends HostValue {
  readonly typeName = 'event';
  constructor(readonly ev: TraceEvent) {
    super();
  }

  override attr(name: string): Value | undefined {
    const ev = this.ev;
    switch (name) {
      case 'seq':
        return ev.seq;
      case 'service':
        return ev.service;
      case 'type':
        return ev.type;
      case 'ts_ms':
        return num(ev.tsMs);
    }
    switch (ev.type) {
      case 'syscall':
        switch (name) {
          case 'syscall': return ev.syscall;
          case 'decision': return decisionText(ev);
          case 'errno': return opt(ev.errno);
          case 'path': return opt(ev.path);
          case 'peer': return opt(ev.peer);
          case 'label': return opt(ev.label);
          case 'pid': return ev.pid;
          case 'delay_ms': return opt(ev.delayMs);
          case 'rule_id': return opt(ev.ruleId);
        }
        break;
      case 'lifecycle':
        if (name === 'phase') return ev.phase;
        if (name === 'detail') return opt(ev.detail);
        break;
      case 'step':
        switch (name) {
          case 'iface': return ev.iface;
          case 'method': return ev.method;
          case 'target': return ev.target;
          case 'status': return ev.status;
          case 'ok': return ev.ok;
          case 'duration_ms': return num(ev.durationMs);
          case 'error': return opt(ev.error);
        }
        break;
      case 'fault_applied':
      case 'fault_removed':
        if (name === 'rule_ids') return new Tuple([...ev.ruleIds]);
        if (name === 'summary') return ev.summary;
        break;
    }
    return COMMON.includes(name) ? None : undefined;
  }

  override attrNames(): string[] {
    const own: Record<TraceEvent['type'], string[]> = {
      syscall: ['pid', 'delay_ms', 'rule_id'],
      lifecycle: ['phase', 'detail'],
      step: ['iface', 'method', 'target', 'status', 'ok', 'duration_ms', 'error'],
      fault_applied: ['rule_ids', 'summary'],
      fault_removed: ['rule_ids', 'summary'],
    };
    return [...COMMON, ...own[this.ev.type]].sort();
  }

  override repr(): string {
    const ev = this.ev;
    if (ev.type === 'syscall') {
      const label = ev.label ? ` [${ev.label}]` : '';
      const where = ev.path ? ` ${ev.path}` : ev.peer ? ` ${ev.peer}` : '';
      return `<event #${ev.seq} ${ev.service} ${ev.syscall} ${decisionText(ev)}${label}${where}>`;
    }
    return `<event #${ev.seq} ${ev.service} ${ev.type}>`;
  }
}

export function eventList(events: readonly TraceEvent[]): StarList {
  return new StarList(events.map((e) => new EventValue(e)));
}

