// Keyword filters over trace events (`assert_never(service="db", syscall="write", decision="deny*")`).
// Values may hold `*`/`?` globs. A family keyword (`write`) matches each of its syscalls. Without
// a `type=` filter only syscall events are considered; `type="*"` widens to every event.
import type { TraceEvent } from './events.js';
import { expandKeyword } from './syscall-families.js';
import { decisionSpellings } from './decision-text.js';
import { hasGlob, matchGlob } from './glob.js';

export const FILTER_KEYS = ['service', 'syscall', 'decision', 'path', 'peer', 'label', 'type', 'errno'] as const;
export type FilterKey = (typeof FILTER_KEYS)[number];
export type EventFilter = Partial<Record<FilterKey, string>>;

export function isFilterKey(k: string): k is FilterKey {
  return (FILTER_KEYS as readonly string[]).includes(k);
}

export function matchesFilter(ev: TraceEvent, f: EventFilter): boolean {
  if (!matchGlob(f.type ?? 'syscall', ev.type)) return false;
  if (f.service !== undefined && !matchGlob(f.service, ev.service)) return false;
  const needsSyscall = f.syscall ?? f.decision ?? f.path ?? f.peer ?? f.label ?? f.errno;
  if (needsSyscall === undefined) return true;
  if (ev.type !== 'syscall') return false;
  if (f.syscall !== undefined && !matchSyscall(f.syscall, ev.syscall)) return false;
  if (f.decision !== undefined && !decisionSpellings(ev).some((d) => matchGlob(f.decision!, d))) return false;
  if (f.path !== undefined && (ev.path === undefined || !matchGlob(f.path, ev.path))) return false;
  if (f.peer !== undefined && (ev.peer === undefined || !matchGlob(f.peer, ev.peer))) return false;
  if (f.label !== undefined && (ev.label === undefined || !matchGlob(f.label, ev.label))) return false;
  if (f.errno !== undefined && (ev.errno === undefined || !matchGlob(f.errno.toUpperCase(), ev.errno))) return false;
  return true;
}

function matchSyscall(pattern: string, syscall: string): boolean {
  if (hasGlob(pattern)) return matchGlob(pattern, syscall);
  const expanded = expandKeyword(pattern);
  return expanded ? (expanded.syscalls as readonly string[]).includes(syscall) : pattern === syscall;
}

export function describeFilter(f: EventFilter): string {
  const parts = FILTER_KEYS.filter((k) => f[k] !== undefined).map((k) => `${k}=${JSON.stringify(f[k])}`);
  return parts.length === 0 ? '(no filters)' : parts.join(', ');
}
