// The end-of-campaign summary as plain text lines: the same content the UI's final screen shows
// (outcome, runs, vacuous, failures with replay commands and a crash's last log lines, coverage table).
import type { CampaignSummary, CoverageRow } from '../explorer/campaign/progress.js';
import { coverageLines } from './coverage-table.js';
import {
  alsoText,
  alternativesLine,
  failureMarker,
  firstLine,
  formatDuration,
  formatRunCounts,
  formatFaultSet,
  formatReproduction,
  formatRestarts,
  formatStoppedBy,
  formatTargetShare,
} from './summary-text.js';

/** A crash's log lines in the summary: the tail; the JSON, JUnit and HTML reports keep more. */
const SUMMARY_LOG_LINES = 5;

export function finalSummaryLines(summary: CampaignSummary): string[] {
  const fresh = summary.failures.filter((f) => !f.known).length;
  const lines = [
    `campaign finished: ${formatStoppedBy(summary.stoppedBy)} after ${formatDuration(summary.durationMs)} (seed ${summary.seed})`,
    `  findings: ${summary.failures.length} (${fresh} new, ${summary.failures.length - fresh} known)`,
  ];
  // The groups lead, one line each, safety first; their details follow.
  for (const f of summary.failures) {
    lines.push(`    ${failureMarker(f).padEnd(5)} ${(f.severity ?? f.kind).padEnd(12)} ${f.scenario}: ${firstLine(f.message)} — ${formatFaultSet(f.faults)} (${formatReproduction(f)})${alsoText(f)}`);
  }
  for (const e of summary.expected ?? []) {
    lines.push(`    EXPECTED ${e.scenario}: ${e.symptom} — ${e.cases} case${e.cases === 1 ? '' : 's'} (${e.by})`);
  }
  lines.push(
    `  scenarios: ${summary.scenarios.length > 0 ? summary.scenarios.join(', ') : '(none)'}`,
    `  ${formatRunCounts(summary.runs, summary.triageRuns ?? 0)}, vacuous: ${summary.vacuous}${summary.targets ? `, ${formatTargetShare(summary.targets)}` : ''}`,
  );
  if (summary.restarts && Object.keys(summary.restarts).length > 0) lines.push(`  ${formatRestarts(summary.restarts)}`);
  for (const f of summary.failures) {
    lines.push(`  ${failureMarker(f)} ${f.kind} in ${f.scenario}: ${formatFaultSet(f.faults)} (${formatReproduction(f)})`);
    if (f.symptom) lines.push(`          symptom: ${f.symptom}`);
    for (const messageLine of f.message.split('\n')) lines.push(`          ${messageLine}`);
    const also = alternativesLine(f);
    if (also) lines.push(`          ${also}`);
    if (f.why) lines.push(`          not minimal: ${f.why}`);
    if (f.serviceLog) {
      lines.push(`          last lines of ${f.serviceLog.service}'s log:`);
      for (const logLine of f.serviceLog.lines.slice(-SUMMARY_LOG_LINES)) lines.push(`          | ${logLine}`);
    }
    lines.push(`          replay: ${f.replay}`);
    if (f.regression !== undefined) lines.push(`          regression: ${f.regression}`);
  }
  lines.push(...coverageTableLines(summary.coverage).map((l) => `  ${l}`));
  return lines;
}

/** `coverage (tried / possible):` followed by one bar line per service and per family. */
export function coverageTableLines(rows: readonly CoverageRow[]): string[] {
  if (rows.length === 0) return ['coverage: no census recorded'];
  return ['coverage (tried / possible):', ...coverageLines(rows).map((l) => `  ${l.text}`)];
}
