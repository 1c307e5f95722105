// Terminal output of `faultbox test`: one block per test, then the closing count line.
import type { SyscallEvent } from '../../spec/events.js';
import { firedCounts, type TestResult } from '../orchestrate/test-result.js';
import { ruleExpansionLine, ruleText, syscallEventLine } from './rule-text.js';

/** Non-allow syscall events shown per rule before eliding the rest. */
const EVENTS_PER_RULE = 12;

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)}s`;
}

function verdictWord(r: TestResult): string {
  return r.verdict.kind === 'pass' ? 'PASS' : 'FAIL';
}

function reasonLines(r: TestResult): string[] {
  const v = r.verdict;
  switch (v.kind) {
    case 'pass':
      return [];
    case 'fail':
      return v.detail.split('\n');
    case 'timeout':
      return [`timed out after ${seconds(v.timeoutMs)} (the body was cancelled)`];
    case 'crash':
      return [`service ${v.service} exited unexpectedly: ${v.message}`];
    case 'supervisor-failure':
      return [`seccomp supervisor failed while the service was alive: ${v.message}`];
    case 'infra-error':
      return [`infrastructure error: ${v.message}`];
  }
}

export function formatTestResult(r: TestResult, replayCommand: string): string {
  const out: string[] = [`--- ${verdictWord(r)}: ${r.name} (${seconds(r.durationMs)}, seed=${r.seed}) ---`];
  const fired = firedCounts(r);
  const shownRules = new Set<string>();
  for (const rule of r.rules) {
    if (rule.action.kind === 'trace' || shownRules.has(rule.id)) continue;
    shownRules.add(rule.id);
    out.push(`  ${ruleExpansionLine(rule)}`);
    const events = r.events.filter((e): e is SyscallEvent => e.type === 'syscall' && e.ruleId === rule.id && e.decision !== 'allow');
    for (const ev of events.slice(0, EVENTS_PER_RULE)) out.push(`    ${syscallEventLine(ev)}`);
    if (events.length > EVENTS_PER_RULE) out.push(`    … ${events.length - EVENTS_PER_RULE} more`);
    if ((fired.get(rule.id) ?? 0) === 0 && rule.action.kind !== 'allow') {
      out.push(`  warning: ${ruleText(rule)} on ${rule.service} never fired (FAULT_NOT_FIRED): the service made no matching call while it was armed`);
    }
  }
  if (r.verdict.kind === 'pass' && r.verdict.assertions === 0 && r.kind === 'function') {
    out.push('  warning: the test passed without checking anything (TEST_NO_ASSERTIONS): no assert_* ran, so only a crash or a timeout could have failed it');
  }
  if (r.verdict.kind !== 'pass') {
    for (const line of reasonLines(r)) out.push(`  ${line}`);
    for (const [service, tail] of Object.entries(r.logs)) {
      if (!tail.trim()) continue;
      out.push(`  --- ${service} output (last lines) ---`);
      for (const line of tail.trimEnd().split('\n')) out.push(`  | ${line}`);
    }
    out.push(`  replay: ${replayCommand}`);
  }
  return out.join('\n');
}

export function formatTotals(results: readonly TestResult[]): string {
  const passed = results.filter((r) => r.verdict.kind === 'pass').length;
  return `${passed} passed, ${results.length - passed} failed`;
}
