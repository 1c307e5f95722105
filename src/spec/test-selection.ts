// `--test NAME|GLOB`: which discovered tests a pattern selects. Accepted: an exact name with or
// without `test_`, a matrix prefix (`matrix`, `matrix_write_data`) selecting its cells, or a glob
// (`*`, `?`) against the name with or without `test_`. Nothing selected is a usage error.
import { UsageError } from '../errors.js';
import type { SpecModel, TestDecl } from './model.js';
import { hasGlob, globToRegExp } from './glob.js';
import { didYouMean } from './did-you-mean.js';

const bare = (name: string): string => (name.startsWith('test_') ? name.slice(5) : name);

export function matchTests(model: SpecModel, pattern: string | undefined): TestDecl[] {
  const tests = model.tests;
  if (pattern === undefined || pattern.trim() === '') return [...tests];
  const p = pattern.trim();
  const full = p.startsWith('test_') ? p : `test_${p}`;

  let picked: TestDecl[];
  if (hasGlob(p)) {
    const re = globToRegExp(p);
    picked = tests.filter((t) => re.test(t.name) || re.test(bare(t.name)));
  } else {
    picked = tests.filter((t) => t.name === full || t.name === p);
    if (picked.length === 0 && full.startsWith('test_matrix')) {
      picked = tests.filter((t) => t.kind === 'matrix_cell' && (t.name === full || t.name.startsWith(`${full}_`)));
    }
  }
  if (picked.length > 0) return picked;

  const names = tests.map((t) => t.name);
  const hint = didYouMean(full, names);
  const list = names.length > 0 ? names.join(', ') : '(the spec defines no tests)';
  throw new UsageError(`--test ${JSON.stringify(pattern)} matches no test${hint}; available tests: ${list}`);
}
