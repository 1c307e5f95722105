// The explorer's log for CI and non-TTY terminals: one line per phase change and per failure, a
// progress line at most every `progressIntervalMs`, and the final summary. Append-only text,
// so it reads well in a CI log and greps well afterwards.
import type { FailureSummary, Phase, ProgressEvent, ProgressListener } from '../explorer/campaign/progress.js';
import { finalSummaryLines } from './final-summary.js';
import { casesPerMinute, estimateElapsed, trimWindow, type ElapsedSample } from './pace.js';
import type { TargetShare } from '../explorer/campaign/progress.js';
import {
  failureMarker,
  formatRestarts,
  formatTargetShare,
  firstLine,
  formatClock,
  formatDuration,
  formatFaultSet,
  formatRate,
  formatRunCounts,
  formatReproduction,
  PHASE_LABELS,
} from './summary-text.js';

export interface PlainReporterOptions {
  /** Receives one complete line at a time, without a trailing newline. Default: stdout. */
  readonly write?: (line: string) => void;
  /** Wall clock, injectable for tests. */
  readonly now?: () => number;
  readonly progressIntervalMs?: number;
}

export interface PlainReporter {
  readonly listener: ProgressListener;
}

export const PROGRESS_INTERVAL_MS = 10_000;

export function createPlainReporter(options: PlainReporterOptions = {}): PlainReporter {
  const now = options.now ?? Date.now;
  const write = options.write ?? ((line: string) => void process.stdout.write(`${line}\n`));
  const interval = options.progressIntervalMs ?? PROGRESS_INTERVAL_MS;
  const failuresSeen = new Map<string, string>();
  let startedAt: number | undefined;
  let lastProgressAt: number | undefined;
  let phase: Phase | undefined;
  let elapsed: ElapsedSample | undefined;
  let budgetMs: number | undefined;
  let cases = 0;
  let triageRuns = 0;
  let failureCount = 0;
  let caseEnds: number[] = [];
  let targets: TargetShare | undefined;
  const restarts: Record<string, number> = {};

  const elapsedNow = (t: number) => estimateElapsed(elapsed, startedAt ?? t, t);
  const emit = (t: number, text: string) => write(`[${formatClock(elapsedNow(t))}] ${text}`);

  const maybeProgress = (t: number) => {
    if (t - (lastProgressAt ?? startedAt ?? t) < interval) return;
    lastProgressAt = t;
    caseEnds = trimWindow(caseEnds, t);
    const rate = casesPerMinute(caseEnds, t, startedAt ?? t);
    const budget = budgetMs === undefined ? '' : ` / ${formatDuration(budgetMs)} (${formatDuration(Math.max(0, budgetMs - elapsedNow(t)))} left)`;
    const extra = [
      ...(targets ? [formatTargetShare(targets)] : []),
      ...(Object.keys(restarts).length > 0 ? [formatRestarts(restarts)] : []),
    ];
    emit(t, `progress: ${formatRunCounts(cases, triageRuns)}, ${formatRate(rate)}, elapsed ${formatDuration(elapsedNow(t))}${budget}, ${failureCount} failures${extra.map((e) => `, ${e}`).join('')}`);
  };

  const listener = (event: ProgressEvent): void => {
    const t = now();
    startedAt ??= t;
    switch (event.type) {
      case 'phase':
        elapsed = { engineMs: event.atMs, atWallMs: t };
        if (event.phase !== phase) emit(t, `phase: ${PHASE_LABELS[event.phase]}`);
        phase = event.phase;
        return;
      case 'case-start':
        return;
      case 'coverage':
        targets = event.targets ?? targets;
        return;
      case 'restart':
        for (const s of event.services) restarts[s] = (restarts[s] ?? 0) + 1;
        return;
      case 'case-end':
        if (event.triage) triageRuns += 1;
        else cases += 1;
        caseEnds.push(t);
        maybeProgress(t);
        return;
      case 'budget':
        elapsed = { engineMs: event.elapsedMs, atWallMs: t };
        budgetMs = event.budgetMs ?? budgetMs;
        maybeProgress(t);
        return;
      case 'failure': {
        // The engine may re-send a failure (after shrinking, or with a new reproduction rate);
        // print it again only when what a reader would see changed.
        const line = failureLine(event.failure);
        if (failuresSeen.get(event.failure.id) === line) return;
        if (!failuresSeen.has(event.failure.id)) failureCount += 1;
        failuresSeen.set(event.failure.id, line);
        emit(t, line);
        return;
      }
      case 'log':
        emit(t, event.line);
        return;
      case 'done':
        elapsed = { engineMs: event.summary.durationMs, atWallMs: t };
        for (const line of finalSummaryLines(event.summary)) write(line);
        return;
    }
  };
  return { listener };
}

/**
 * `failure NEW safety fail in checkout: postgres write=deny(ENOSPC, nth=3) (reproduced 5/5): <message> · replay: <cmd>`.
 * Other fault sets of the same symptom are not part of the line: they are listed in the summary,
 * so a bug met twenty ways prints once.
 */
export function failureLine(f: FailureSummary): string {
  const severity = f.severity ? `${f.severity} ` : '';
  return (
    `failure ${failureMarker(f)} ${severity}${f.kind} in ${f.scenario}: ${formatFaultSet(f.faults)} ` +
    `(${formatReproduction(f)}): ${firstLine(f.message)} · replay: ${f.replay}`
  );
}
