// How a syscall decision reads in assertions, filters and trace lines: `allow`, `trace`,
// `deny(no space left on device)`, `delay(500ms)`.
import { ERRNOS } from './errno.js';
import type { SyscallEvent } from './events.js';
import { formatDurationMs } from './duration.js';

export function decisionText(ev: Pick<SyscallEvent, 'decision' | 'errno' | 'delayMs'>): string {
  switch (ev.decision) {
    case 'deny':
      return ev.errno ? `deny(${ERRNOS[ev.errno].text})` : 'deny';
    case 'delay':
      return ev.delayMs !== undefined ? `delay(${formatDurationMs(ev.delayMs)})` : 'delay';
    default:
      return ev.decision;
  }
}

/** Every spelling a decision filter may match: `deny`, `deny(no space left on device)`, `deny(ENOSPC)`. */
export function decisionSpellings(ev: Pick<SyscallEvent, 'decision' | 'errno' | 'delayMs'>): string[] {
  const out = [ev.decision, decisionText(ev)];
  if (ev.decision === 'deny' && ev.errno) out.push(`deny(${ev.errno})`);
  return out;
}
