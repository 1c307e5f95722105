import { describe, expect, it } from 'vitest';
import { matchTests } from './test-selection.js';
import { UsageError } from '../errors.js';
import type { SpecModel, TestDecl } from './model.js';

const t = (name: string, kind: TestDecl['kind'] = 'function'): TestDecl => ({ name, kind, faults: [] });
const model: SpecModel = {
  file: '/x/faultbox.star',
  services: [],
  assumptions: [],
  scenarios: [],
  matrices: [],
  trapped: {},
  globals: { services: {}, scenarios: {}, files: { services: {}, scenarios: {} } },
  sources: ['/x/faultbox.star'],
  tests: [
    t('test_happy_path'),
    t('test_matrix_read_data_pg_disk_full', 'matrix_cell'),
    t('test_matrix_write_data_pg_disk_full', 'matrix_cell'),
    t('test_matrix_write_data_pg_slow', 'matrix_cell'),
    t('test_postgres_disk_full', 'fault_scenario'),
    t('test_write_data', 'scenario'),
  ],
};
const names = (p: string | undefined): string[] => matchTests(model, p).map((x) => x.name);

describe('matchTests', () => {
  it('selects everything without a pattern', () => {
    expect(names(undefined)).toHaveLength(6);
  });
  it('takes an exact name with or without test_', () => {
    expect(names('postgres_disk_full')).toEqual(['test_postgres_disk_full']);
    expect(names('test_postgres_disk_full')).toEqual(['test_postgres_disk_full']);
  });
  it('takes a matrix prefix for its cells', () => {
    expect(names('matrix')).toHaveLength(3);
    expect(names('matrix_write_data')).toEqual(['test_matrix_write_data_pg_disk_full', 'test_matrix_write_data_pg_slow']);
    expect(names('test_matrix_read_data')).toEqual(['test_matrix_read_data_pg_disk_full']);
  });
  it('takes globs, against the name with or without test_', () => {
    expect(names('*disk_full')).toEqual([
      'test_matrix_read_data_pg_disk_full', 'test_matrix_write_data_pg_disk_full', 'test_postgres_disk_full',
    ]);
    expect(names('happy_pat?')).toEqual(['test_happy_path']);
    expect(names('test_w*')).toEqual(['test_write_data']);
  });
  it('does not treat a non-matrix name as a prefix', () => {
    expect(() => names('postgres')).toThrow(UsageError);
  });
  it('lists the available tests when nothing matches', () => {
    let err: unknown;
    try {
      names('hapy_path');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UsageError);
    const msg = (err as Error).message;
    expect(msg).toContain('did you mean test_happy_path?');
    expect(msg).toContain('available tests: test_happy_path, test_matrix_read_data_pg_disk_full');
  });
});
