// faultbox check: evaluate a spec (and its loads) without starting anything; list what it defines.
import { COMMAND_SUMMARIES } from './summaries.js';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from '../command.js';
import { loadSpec } from '../../spec/index.js';
import type { SpecModel, TestDecl } from '../../spec/model.js';
import { declaredFilterPlan, filterFor } from '../../runtime/orchestrate/filter-plan.js';
import { UsageError } from '../../errors.js';
import { EXIT } from '../../errors.js';
import { ruleText } from '../../runtime/trace/rule-text.js';

export function specPath(command: string, positionals: readonly string[]): string {
  if (positionals.length > 1) throw new UsageError(`faultbox ${command}: expected one spec file, got ${positionals.length}: ${positionals.join(' ')}`);
  const file = resolve(positionals[0] ?? 'faultbox.star');
  if (!existsSync(file)) throw new UsageError(`faultbox ${command}: spec file not found: ${file}`);
  return file;
}

/** The filters a test's services start with under `faultbox test`: `filters: postgres[fsync,...]`. */
function testFilters(model: SpecModel, test: TestDecl): string {
  const plan = declaredFilterPlan(model, test);
  const filtered = model.services.flatMap((s) => {
    const syscalls = filterFor(s, plan);
    return syscalls.length > 0 ? [`${s.name}[${syscalls.join(',')}]`] : [];
  });
  return filtered.length === 0 ? 'no filters' : `filters: ${filtered.join(' ')}`;
}

export function describeModel(model: SpecModel): string {
  const out: string[] = [];
  out.push(`services (${model.services.length}):`);
  for (const s of model.services) {
    const src = s.source.kind === 'binary' ? `binary ${s.source.path}` : s.source.kind === 'image' ? `image ${s.source.ref}` : `build ${s.source.context}`;
    const ifaces = s.interfaces.map((i) => `${i.name}=${i.protocol}:${i.port}`).join(' ');
    const trapped = model.trapped[s.name] ?? [];
    const filter = trapped.length ? `filter:[${trapped.join(',')}]` : 'no filter';
    const deps = s.dependsOn.length ? `  depends_on:[${s.dependsOn.join(',')}]` : '';
    out.push(`  ${s.name}  ${src}  ${ifaces}  ${filter}${deps}`);
  }
  out.push(`tests (${model.tests.length}):`);
  for (const t of model.tests) out.push(`  ${t.name}${t.kind === 'function' ? '' : `  (${t.kind.replace('_', ' ')})`}  ${testFilters(model, t)}`);
  if (model.scenarios.length) out.push(`scenarios (${model.scenarios.length}): ${model.scenarios.map((s) => s.name).join(', ')}`);
  if (model.assumptions.length) {
    out.push(`fault assumptions (${model.assumptions.length}):`);
    for (const a of model.assumptions) {
      const rules = a.rules.map((r) => `${r.service} ${ruleText(r)}${r.label ? ` label="${r.label}"` : ''}`).join('; ');
      out.push(`  ${a.name}: ${rules}`);
    }
  }
  return out.join('\n');
}

export const checkCommand: Command = {
  name: 'check',
  summary: COMMAND_SUMMARIES.check,
  usage: 'faultbox check [SPEC.star]',
  flags: {},
  async run(args) {
    const file = specPath('check', args.positionals);
    const { model } = loadSpec(file, { print: (line) => process.stderr.write(`${line}\n`) });
    process.stdout.write(`${file}: OK\n${describeModel(model)}\n`);
    return EXIT.ok;
  },
};
