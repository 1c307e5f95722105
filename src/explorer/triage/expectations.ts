// Symptoms the user has accepted: `explore(expect=[...])` in the spec ("Redis exiting on an AOF
// write error is its documented answer"), or a corpus entry marked accepted. A failure that
// matches one is counted and never triaged, so the budget goes to what is not understood yet.
import type { ExpectedSymptom } from '../../spec/model.js';
import { globToRegExp } from '../../spec/glob.js';
import type { CaseVerdict } from '../runner/runner.js';
import { verdictMessage } from '../runner/runner.js';
import type { Symptom } from './symptom.js';

/** An accepted symptom: declared in the spec, or a corpus entry's own symptom. */
export type Expectation =
  | { readonly from: 'spec'; readonly symptom: ExpectedSymptom }
  | { readonly from: 'corpus'; readonly id: string; readonly scenario: string; readonly symptomKey: string };

function kindOf(v: CaseVerdict): string {
  return v.kind === 'fail' && v.reason === 'step-error' ? 'step-error' : v.kind;
}

function serviceOf(v: CaseVerdict): string | undefined {
  return v.kind === 'crash' || v.kind === 'unhealthy' ? v.service : undefined;
}

export function specExpectationMatches(e: ExpectedSymptom, v: CaseVerdict): boolean {
  if (e.kind !== undefined && e.kind !== kindOf(v)) return false;
  if (e.service !== undefined && e.service !== serviceOf(v)) return false;
  if (e.message !== undefined) {
    const re = globToRegExp(e.message);
    const log = v.kind === 'crash' || v.kind === 'unhealthy' ? (v.serviceLog?.lines ?? []) : [];
    if (!re.test(verdictMessage(v)) && !log.some((l) => re.test(l))) return false;
  }
  return true;
}

/** The expectation a failure meets, described for reports; undefined when none does. */
export function expectationFor(expectations: readonly Expectation[], scenario: string, symptom: Symptom, v: CaseVerdict): string | undefined {
  for (const e of expectations) {
    if (e.from === 'spec' && specExpectationMatches(e.symptom, v)) return `explore(expect=[{${e.symptom.shown}}])`;
    if (e.from === 'corpus' && e.scenario === scenario && e.symptomKey === symptom.key) return `accepted corpus entry ${e.id}`;
  }
  return undefined;
}
