// Start order from depends_on: dependencies first, ties broken by declaration order.
import type { ServiceDecl } from '../../spec/model.js';
import { SpecError } from '../../errors.js';

export function startOrder(services: readonly ServiceDecl[]): ServiceDecl[] {
  const byName = new Map(services.map((s) => [s.name, s]));
  const done = new Set<string>();
  const visiting: string[] = [];
  const order: ServiceDecl[] = [];
  const visit = (s: ServiceDecl): void => {
    if (done.has(s.name)) return;
    const at = visiting.indexOf(s.name);
    if (at >= 0) {
      throw new SpecError(`depends_on cycle: ${[...visiting.slice(at), s.name].join(' → ')}`);
    }
    visiting.push(s.name);
    for (const dep of s.dependsOn) {
      const d = byName.get(dep);
      if (!d) throw new SpecError(`service "${s.name}" depends_on unknown service "${dep}"`);
      visit(d);
    }
    visiting.pop();
    done.add(s.name);
    order.push(s);
  };
  for (const s of services) visit(s);
  return order;
}

/**
 * Runs `task` for every service as soon as what it waits for is done: its dependencies when
 * starting, its dependents when stopping (`reverse`). Independent services run concurrently
 * (PostgreSQL and Redis start together; the api after both). Waits for every task, then throws
 * the first failure in start order; a task whose prerequisite failed is not run.
 */
export async function runByDependencies(
  services: readonly ServiceDecl[],
  task: (decl: ServiceDecl) => Promise<void>,
  options: { reverse?: boolean } = {},
): Promise<void> {
  const order = startOrder(services);
  const waitsFor = new Map<string, string[]>(order.map((s) => [s.name, []]));
  for (const s of order) {
    for (const dep of s.dependsOn) {
      if (options.reverse) waitsFor.get(dep)!.push(s.name);
      else waitsFor.get(s.name)!.push(dep);
    }
  }
  const runs = new Map<string, Promise<void>>();
  const schedule = (s: ServiceDecl): Promise<void> => {
    let run = runs.get(s.name);
    if (!run) {
      const before = waitsFor.get(s.name)!.map((name) => schedule(order.find((o) => o.name === name)!));
      run = Promise.all(before).then(() => task(s));
      runs.set(s.name, run);
    }
    return run;
  };
  const settled = await Promise.allSettled(order.map(schedule));
  const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}
