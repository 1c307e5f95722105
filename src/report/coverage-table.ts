// Census coverage grouped by service, with per-service totals; every view of coverage (UI bars,
// plain summary, HTML table) shows the same grouping.
import type { CoverageRow } from '../explorer/campaign/progress.js';
import { coverageBar, formatPercent } from './summary-text.js';

export interface ServiceCoverage {
  readonly service: string;
  readonly tried: number;
  readonly possible: number;
  readonly families: readonly CoverageRow[];
}

/** Groups rows by service, keeping the order in which the engine listed them (census order). */
export function groupCoverage(rows: readonly CoverageRow[]): ServiceCoverage[] {
  const byService = new Map<string, CoverageRow[]>();
  for (const row of rows) {
    const list = byService.get(row.service);
    if (list) list.push(row);
    else byService.set(row.service, [row]);
  }
  return [...byService].map(([service, families]) => ({
    service,
    tried: sum(families, (r) => r.tried),
    possible: sum(families, (r) => r.possible),
    families,
  }));
}

export function coverageTotals(rows: readonly CoverageRow[]): { tried: number; possible: number } {
  return { tried: sum(rows, (r) => r.tried), possible: sum(rows, (r) => r.possible) };
}

function sum<T>(items: readonly T[], pick: (item: T) => number): number {
  return items.reduce((acc, item) => acc + pick(item), 0);
}

export interface CoverageLine {
  readonly level: 'service' | 'family';
  readonly text: string;
}

/**
 * Aligned text lines, a service total followed by its families:
 * `postgres    ████████░░░░  12/30   40%`. UI and plain log print these same lines.
 * `compact` puts each service's families on its service line (`write 6/12 · fsync 0/4`), for a
 * live screen that must stay shorter than the terminal.
 */
export function coverageLines(rows: readonly CoverageRow[], barWidth = 20, compact = false): CoverageLine[] {
  const groups = groupCoverage(rows);
  const labels = groups.flatMap((g) => [g.service, ...(compact ? [] : g.families.map((f) => `  ${f.family}`))]);
  const nameWidth = Math.max(0, ...labels.map((l) => l.length));
  const line = (label: string, tried: number, possible: number) =>
    `${label.padEnd(nameWidth)}  ${coverageBar(tried, possible, barWidth)}  ${`${tried}/${possible}`.padStart(9)}  ${formatPercent(tried, possible).padStart(4)}`;
  if (compact) {
    return groups.map((g) => ({
      level: 'service' as const,
      text: `${line(g.service, g.tried, g.possible)}  ${g.families.map((f) => `${f.family} ${f.tried}/${f.possible}`).join(' · ')}`,
    }));
  }
  return groups.flatMap((g) => [
    { level: 'service' as const, text: line(g.service, g.tried, g.possible) },
    ...g.families.map((f) => ({ level: 'family' as const, text: line(`  ${f.family}`, f.tried, f.possible) })),
  ]);
}
