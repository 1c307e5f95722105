// A complete FailureGroup for tests of what consumes findings (export, reports): a minimal,
// confirmed assertion failure in scenario write_data; tests override what they look at.
import { faultFromJson } from '../corpus/fault-json.js';
import type { FailureGroup } from './triage.js';

export function failureGroup(over: Partial<FailureGroup> = {}): FailureGroup {
  return {
    id: '3f9a0c12ab44',
    scenario: 'write_data',
    kind: 'fail',
    reason: 'assertion',
    message: 'expected 200, got 500',
    messageClass: 'expected #, got #',
    faults: [faultFromJson({ service: 'postgres', syscall: 'write', action: 'deny', errno: 'ENOSPC', nth: 3 })],
    original: [],
    state: 'minimal',
    reproduced: { k: 5, n: 5 },
    known: false,
    seed: 42,
    path: '17',
    rawHits: 3,
    runs: { confirm: 3, shrink: 9, reproduce: 5 },
    excerpt: [],
    censusHash: 'abcdef0123456789',
    symptom: { key: 'write_data|fail|assertion', kind: 'fail', severity: 'safety', label: 'assertion' },
    faultKey: 'write_data :: fine',
    alternatives: [],
    ...over,
  };
}
