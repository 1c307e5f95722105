// The one place that turns campaign values into short human text: faults, durations, rates,
// bars, phase names. The Ink UI, the plain CI log, JUnit and HTML all print through these, so a
// fault reads `postgres write=deny(ENOSPC, nth=3)` everywhere.
import type { CampaignSummary, FailureSummary, Phase, TargetShare } from '../explorer/campaign/progress.js';
import { SEVERITY_ORDER } from '../explorer/triage/symptom.js';
import type { Fault } from '../spec/model.js';
import { keywordFaultText } from '../spec/fault-text.js';

/** `postgres write=deny(ENOSPC, nth=3)`, `api connect=delay(500ms, after=2, count=1)`. */
export function formatFault(fault: Fault): string {
  return `${fault.service} ${keywordFaultText(fault.keyword, fault, 'display')}`;
}

/** A fault set on one line; the explorer's sets are small (k ≤ 3). */
export function formatFaultSet(faults: readonly Fault[]): string {
  return faults.length === 0 ? '(no faults)' : faults.map(formatFault).join(' + ');
}

/**
 * `56 runs (48 explored, 8 triage)`: every run the campaign made, explored cases and the runs that
 * confirmed, shrank and reproduced findings, so the progress line and the summary count alike.
 */
export function formatRunCounts(explored: number, triage: number): string {
  const total = explored + triage;
  return triage === 0 ? `${total} runs` : `${total} runs (${explored} explored, ${triage} triage)`;
}

/** Human duration, coarser as it grows: `450ms`, `12.3s`, `3m05s`, `1h02m`. */
export function formatDuration(ms: number): string {
  const safe = Number.isFinite(ms) && ms > 0 ? ms : 0;
  if (safe < 1000) return `${Math.round(safe)}ms`;
  if (safe < 60_000) return `${(Math.floor(safe / 100) / 10).toFixed(1)}s`;
  const totalSeconds = Math.floor(safe / 1000);
  if (safe < 3_600_000) return `${Math.floor(totalSeconds / 60)}m${pad2(totalSeconds % 60)}s`;
  const totalMinutes = Math.floor(totalSeconds / 60);
  return `${Math.floor(totalMinutes / 60)}h${pad2(totalMinutes % 60)}m`;
}

/** Elapsed-time stamp for log lines: `03:05`, `1:02:03`. */
export function formatClock(ms: number): string {
  const totalSeconds = Math.floor((Number.isFinite(ms) && ms > 0 ? ms : 0) / 1000);
  const h = Math.floor(totalSeconds / 3600);
  const m = Math.floor((totalSeconds % 3600) / 60);
  const s = totalSeconds % 60;
  return h > 0 ? `${h}:${pad2(m)}:${pad2(s)}` : `${pad2(m)}:${pad2(s)}`;
}

/** Cases per minute; `—` while there is not enough data to say. */
export function formatRate(perMinute: number | undefined): string {
  if (perMinute === undefined || !Number.isFinite(perMinute)) return '—/min';
  return perMinute < 10 ? `${perMinute.toFixed(1)}/min` : `${Math.round(perMinute)}/min`;
}

export function formatPercent(tried: number, possible: number): string {
  if (possible <= 0) return '—';
  return `${Math.floor((100 * Math.min(tried, possible)) / possible)}%`;
}

/**
 * A text bar of `width` cells. Invariants: anything tried shows at least one filled cell, and
 * the bar is full only when everything possible was tried, so "almost" never reads as "done".
 */
export function coverageBar(tried: number, possible: number, width: number): string {
  let filled = 0;
  if (possible > 0 && tried > 0) {
    filled = Math.round((Math.min(tried, possible) / possible) * width);
    filled = Math.max(1, filled);
    if (tried < possible) filled = Math.min(filled, width - 1);
  }
  return '█'.repeat(filled) + '░'.repeat(width - filled);
}

export const PHASE_ORDER: readonly Phase[] = ['record', 'known', 'singles', 'combinations', 'shrinking', 'done'];

export const PHASE_LABELS: Readonly<Record<Phase, string>> = {
  record: 'record',
  known: 'known failures',
  singles: 'single faults',
  combinations: 'combinations',
  shrinking: 'shrinking',
  done: 'done',
};

/**
 * How far a failure was checked: `reproduced 5/5`, or why its rate says little (a failure the
 * budget left untriaged has no rate at all; "0/0" would read as "never fails").
 */
export function formatReproduction(failure: FailureSummary): string {
  switch (failure.state) {
    case 'untriaged':
      return 'untriaged: no time was left to confirm it';
    case 'flaky':
      return `flaky: reproduced ${failure.reproduced}`;
    case 'partial':
      return `reproduced ${failure.reproduced}, shrinking cut short`;
    default:
      return `reproduced ${failure.reproduced}`;
  }
}

export function failureMarker(failure: FailureSummary): 'NEW' | 'KNOWN' {
  return failure.known ? 'KNOWN' : 'NEW';
}

const STOPPED_BY: Readonly<Record<CampaignSummary['stoppedBy'], string>> = {
  exhausted: 'fault space exhausted',
  runs: 'run limit reached',
  budget: 'time budget used',
  user: 'stopped by user',
  error: 'stopped by an error',
};

export function formatStoppedBy(reason: CampaignSummary['stoppedBy']): string {
  return STOPPED_BY[reason] ?? reason;
}

/** The first line of a possibly multi-line message, for one-line contexts. */
export function firstLine(text: string): string {
  const nl = text.indexOf('\n');
  return nl === -1 ? text : `${text.slice(0, nl)} …`;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** `targets 12/40 touched (30%)`: how much of the space had at least one fault. */
export function formatTargetShare(t: TargetShare): string {
  return `targets ${t.touched}/${t.total} touched (${formatPercent(t.touched, t.total)})`;
}

/** `restarts: js 3, redis 1` */
export function formatRestarts(restarts: Readonly<Record<string, number>>): string {
  return `restarts: ${Object.entries(restarts).map(([s, n]) => `${s} ${n}`).join(', ')}`;
}

/** ` (+3 more fault sets)` when other fault sets showed the same symptom. */
export function alsoText(f: FailureSummary): string {
  const n = f.alternatives?.length ?? 0;
  return n === 0 ? '' : ` (+${n} more fault set${n === 1 ? '' : 's'})`;
}

/** `also: api write=deny(EIO, nth=2), api close=deny(EIO), 12 more` */
export function alternativesLine(f: FailureSummary, shown = 3): string | undefined {
  const alts = f.alternatives ?? [];
  if (alts.length === 0) return undefined;
  const head = alts.slice(0, shown).map((a) => formatFaultSet(a)).join(', ');
  return `also: ${head}${alts.length > shown ? `, ${alts.length - shown} more` : ''}`;
}

/** Safety findings first, then availability, then liveness; otherwise in the order given. */
export function bySeverity(failures: readonly FailureSummary[]): FailureSummary[] {
  const rank = (f: FailureSummary) => (f.severity ? SEVERITY_ORDER.indexOf(f.severity) : SEVERITY_ORDER.length);
  return failures.map((f, i) => ({ f, i })).sort((a, b) => rank(a.f) - rank(b.f) || a.i - b.i).map((x) => x.f);
}
