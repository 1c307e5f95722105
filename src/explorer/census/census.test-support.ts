// A census as recording builds it, from events a test writes: one scenario "s" whose body is
// every event given, traced for `families` (all of them unless a test narrows it).
import type { SyscallEvent } from '../../spec/events.js';
import { FAMILIES } from '../../spec/syscall-families.js';
import { buildScenarioCensus, makeCensus, type Census } from './census.js';

export function censusOfEvents(events: readonly SyscallEvent[], families: readonly string[] = FAMILIES.map((f) => f.name)): Census {
  const toSeq = Math.max(0, ...events.map((e) => e.seq));
  const rec = { verdict: { kind: 'pass' as const, fired: {}, excerpt: [], durationMs: 1 }, events: [...events], bodyWindow: { fromSeq: 1, toSeq } };
  return makeCensus({ specHash: 'h', faultboxVersion: 'v', families, scenarios: { s: buildScenarioCensus(rec, families) } });
}
