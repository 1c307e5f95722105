// The --output trace file: every test with its verdict, rules and events.
import { writeFileSync } from 'node:fs';
import type { TestResult } from '../orchestrate/test-result.js';
import { decisionText } from './rule-text.js';

export interface TraceFile {
  readonly faultbox_version: string;
  readonly spec: string;
  readonly seed: number;
  readonly tests: readonly unknown[];
}

export function traceDocument(spec: string, seed: number, version: string, results: readonly TestResult[]): TraceFile {
  return {
    faultbox_version: version,
    spec,
    seed,
    tests: results.map((r) => ({
      name: r.name,
      result: r.verdict.kind === 'pass' ? 'pass' : 'fail',
      verdict: r.verdict,
      duration_ms: Math.round(r.durationMs),
      seed: r.seed,
      faults: r.rules.map((rule) => ({
        id: rule.id,
        service: rule.service,
        keyword: rule.keyword,
        syscalls: rule.syscalls,
        action: rule.action,
        trigger: rule.trigger,
        path: rule.pathGlob,
        peer: rule.peerGlob,
        label: rule.label,
      })),
      events: r.events.map((e) => (e.type === 'syscall' ? { ...e, decision_text: decisionText(e) } : e)),
    })),
  };
}

export function writeTraceFile(path: string, doc: TraceFile): void {
  writeFileSync(path, JSON.stringify(doc, null, 2) + '\n');
}
