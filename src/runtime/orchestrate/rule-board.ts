// The rules armed during a test: scopes stack (a nested fault() adds to the outer one instead
// of replacing it), and every change pushes each touched service's full rule list to the
// supervisor. A rule on a syscall outside the filter the service runs with is refused loudly;
// when it is inside the spec-wide bound, the board also notes that the test needs wider filters
// (the session reruns it on services started with them).
import type { FaultRule } from '../../spec/model.js';
import type { SyscallName } from '../../spec/syscall-families.js';
import { notFilterableText, untrappedSyscalls } from '../../spec/rules.js';
import { SpecError } from '../../errors.js';

export interface RuleSink {
  setRules(service: string, rules: readonly FaultRule[], seed: number): Promise<void>;
}

export class RuleBoard {
  private readonly scopes = new Map<number, readonly FaultRule[]>();
  private nextScope = 1;
  /** Services a refused rule could have run on with the spec-wide filters. */
  readonly needsWiderFilters = new Set<string>();

  constructor(
    private readonly sink: RuleSink,
    /** service → syscalls its running filter traps (empty or absent = no filter) */
    private readonly trapped: Readonly<Record<string, readonly SyscallName[]>>,
    private readonly seed: number,
    /** service → the spec-wide set, when the running filters may be narrower than it */
    private readonly bound?: Readonly<Record<string, readonly SyscallName[]>>,
  ) {}

  async apply(rules: readonly FaultRule[]): Promise<number> {
    // Every rule is checked, so one refusal names all the services a rerun must widen.
    const refused = rules.map((rule) => this.refusal(rule)).filter((e): e is SpecError => e !== undefined);
    if (refused.length > 0) throw refused[0];
    const scope = this.nextScope++;
    this.scopes.set(scope, rules);
    await this.push(new Set(rules.map((r) => r.service)));
    return scope;
  }

  async remove(scope: number): Promise<void> {
    const rules = this.scopes.get(scope);
    if (!rules) return;
    this.scopes.delete(scope);
    await this.push(new Set(rules.map((r) => r.service)));
  }

  async clear(): Promise<void> {
    const services = new Set([...this.scopes.values()].flat().map((r) => r.service));
    this.scopes.clear();
    await this.push(services);
  }

  /** All rules armed now, outermost scope first. */
  active(): FaultRule[] {
    return [...this.scopes.values()].flat();
  }

  private async push(services: ReadonlySet<string>): Promise<void> {
    const all = this.active();
    for (const service of services) {
      await this.sink.setRules(service, all.filter((r) => r.service === service), this.seed);
    }
  }

  private refusal(rule: FaultRule): SpecError | undefined {
    const missing = untrappedSyscalls(rule, this.trapped);
    if (missing.length === 0) return undefined;
    const wide = this.bound?.[rule.service];
    if (wide && missing.every((s) => wide.includes(s))) {
      this.needsWiderFilters.add(rule.service);
      return new SpecError(
        `FAULT_NOT_FILTERABLE: rule ${rule.keyword}=… on ${rule.service} needs [${missing.join(',')}], which this test's services ` +
          `were not started with (its declared faults do not name them); the test reruns with the spec-wide filters`,
      );
    }
    return new SpecError(notFilterableText(rule, this.trapped));
  }
}
