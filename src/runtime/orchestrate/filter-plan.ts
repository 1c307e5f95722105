// Which seccomp filter each service gets for one `faultbox test` test. A filter is fixed when its
// service starts, so this is decided before the body runs. A test's declared faults
// (fault_scenario, matrix cells) name exactly the services and syscalls it needs; every other
// service starts unfiltered, at native speed. The spec-wide set (`model.trapped`) is the upper
// bound: a body that arms a rule outside its plan but inside that bound (a fault() written in a
// def, which the model does not break down per test) is rerun on fresh services with the
// spec-wide filters — see RuntimeSession.runTest.
import type { ServiceDecl, SpecModel, TestDecl } from '../../spec/model.js';
import { SYSCALL_NAMES, type SyscallName } from '../../spec/syscall-families.js';

/** service → the syscalls its filter traps (empty or absent: no shim, no filter). */
export type FilterPlan = Readonly<Record<string, readonly SyscallName[]>>;

/**
 * The narrowest plan a test's declared faults allow. Reused services outlive the test, so they
 * always get the spec-wide set; `seccomp=False` services never get a filter.
 */
export function declaredFilterPlan(model: Pick<SpecModel, 'services' | 'trapped'>, test: Pick<TestDecl, 'faults'>): FilterPlan {
  const plan: Record<string, SyscallName[]> = {};
  for (const svc of model.services) {
    const wide = model.trapped[svc.name] ?? [];
    if (!svc.seccomp) plan[svc.name] = [];
    else if (svc.reuse) plan[svc.name] = [...wide];
    else {
      const needed = new Set(test.faults.filter((r) => r.service === svc.name).flatMap((r) => r.syscalls));
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
