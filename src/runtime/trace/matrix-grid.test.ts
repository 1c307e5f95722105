import { describe, expect, it } from 'vitest';
import { formatMatrixGrid } from './matrix-grid.js';
import type { TestResult } from '../orchestrate/test-result.js';

function result(name: string, pass: boolean): TestResult {
  return {
    name, seed: 0, durationMs: 1, rules: [], events: [], logs: {},
    verdict: pass ? { kind: 'pass' } : { kind: 'fail', reason: 'assertion', message: 'm', detail: 'm' },
  };
}

describe('formatMatrixGrid', () => {
  it('prints one row per scenario and one column per fault with each cell verdict', () => {
    const grid = formatMatrixGrid(
      { scenarios: ['write_data', 'read_data'], faults: ['disk_full', 'redis_down'], excluded: [['read_data', 'disk_full']] },
      [result('test_matrix_write_data_disk_full', true), result('test_matrix_write_data_redis_down', false), result('test_matrix_read_data_redis_down', true)],
    );
    expect(grid).toBe([
      'fault matrix:',
      '  scenario    disk_full  redis_down',
      '  ----------  ---------  ----------',
      '  write_data  PASS       FAIL',
      '  read_data   excluded   PASS',
    ].join('\n'));
  });

  it('prints nothing when none of its cells ran', () => {
    expect(formatMatrixGrid({ scenarios: ['a'], faults: ['b'], excluded: [] }, [result('test_other', true)])).toBeUndefined();
  });
});
