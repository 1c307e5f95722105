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
