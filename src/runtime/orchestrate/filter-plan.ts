// Which seccomp filter each service gets for one `faultbox test` test. A filter is fixed when its
// service starts, so this is decided before the body runs, from what the test can arm: its
// declared faults (fault_scenario, matrix cells) and the fault()/trace() calls its body's syntax
// reaches (spec/test-reach.ts). Every other service starts unfiltered, at native speed. When the
// syntax cannot tell, the spec-wide set (`model.trapped`) is used. The spec-wide set is also the
// upper bound: should a body still arm a rule outside its plan, the test is rerun on fresh
// services with wider filters (RuntimeSession.runTest) rather than the rule being dropped.
import type { ServiceDecl, SpecModel, TestDecl } from '../../spec/model.js';
import { SYSCALL_NAMES, type SyscallName } from '../../spec/syscall-families.js';
import { syscallsNeededBy } from '../../spec/lose-unsynced.js';

/** service → the syscalls its filter traps (empty or absent: no shim, no filter). */
export type FilterPlan = Readonly<Record<string, readonly SyscallName[]>>;

/**
 * The narrowest plan a test's declared faults allow. Reused services outlive the test, so they
 * always get the spec-wide set; `seccomp=False` services never get a filter.
 */
export function declaredFilterPlan(model: Pick<SpecModel, 'services' | 'trapped'>, test: Pick<TestDecl, 'faults' | 'bodyTrapped'>): FilterPlan {
  const plan: Record<string, SyscallName[]> = {};
  for (const svc of model.services) {
    const wide = model.trapped[svc.name] ?? [];
    if (!svc.seccomp) plan[svc.name] = [];
    else if (svc.reuse || !test.bodyTrapped) plan[svc.name] = [...wide];
    else {
      const needed = new Set(test.faults.filter((r) => r.service === svc.name).flatMap(syscallsNeededBy));
      for (const s of test.bodyTrapped[svc.name] ?? []) needed.add(s);
      plan[svc.name] = SYSCALL_NAMES.filter((s) => needed.has(s));
    }
  }
  return plan;
}

/** The filter a service starts with under a plan (the spec-wide or explorer set when there is no plan). */
export function filterFor(decl: ServiceDecl, plan: FilterPlan): readonly SyscallName[] {
  return decl.seccomp ? plan[decl.name] ?? [] : [];
}

/** Same syscalls, whatever the order. */
export function sameFilter(a: readonly SyscallName[], b: readonly SyscallName[]): boolean {
  return a.length === b.length && a.every((s) => b.includes(s));
}
