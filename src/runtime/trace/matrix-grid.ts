// The grid `faultbox test` prints for each fault_matrix: scenarios down, faults across, each
// cell the verdict of test_matrix_<scenario>_<fault>.
import type { MatrixDecl } from '../../spec/model.js';
import type { TestResult } from '../orchestrate/test-result.js';

export function matrixCellName(scenario: string, fault: string): string {
  return `test_matrix_${scenario}_${fault}`;
}

/** Undefined when no cell of the matrix ran (e.g. filtered out by --test). */
export function formatMatrixGrid(matrix: MatrixDecl, results: readonly TestResult[]): string | undefined {
  const byName = new Map(results.map((r) => [r.name, r]));
  const cell = (sc: string, fa: string): string => {
    if (matrix.excluded.some(([s, f]) => s === sc && f === fa)) return 'excluded';
    const r = byName.get(matrixCellName(sc, fa));
    if (!r) return '';
    if (r.verdict.kind === 'pass') return 'PASS';
    return r.verdict.kind === 'fail' && r.verdict.reason === 'fault-bypassed' ? 'BYPASSED' : 'FAIL';
  };
  if (!matrix.scenarios.some((sc) => matrix.faults.some((fa) => byName.has(matrixCellName(sc, fa))))) return undefined;
  const first = Math.max('scenario'.length, ...matrix.scenarios.map((s) => s.length));
  const widths = matrix.faults.map((f) => Math.max(f.length, 'excluded'.length));
  const row = (head: string, cells: string[]): string => `  ${head.padEnd(first)}  ${cells.map((c, i) => c.padEnd(widths[i]!)).join('  ')}`.trimEnd();
  const lines = [row('scenario', [...matrix.faults]), row('-'.repeat(first), widths.map((w) => '-'.repeat(w)))];
  for (const sc of matrix.scenarios) lines.push(row(sc, matrix.faults.map((fa) => cell(sc, fa))));
  return `fault matrix:\n${lines.join('\n')}`;
}
