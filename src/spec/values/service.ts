// The value service() returns: `.name`, one attribute per interface, and step shorthands
// (`api.get(...)`) when the service has exactly one interface.
import { HostValue, StarlarkError, quote, type Value } from '../../starlark/index.js';
import type { ServiceDecl } from '../model.js';
import type { SpecSession } from '../session.js';
import type { Position } from '../../starlark/index.js';
import { InterfaceRefValue } from './interface-ref.js';
import { ALL_STEP_METHODS, STEP_METHODS } from './step.js';
import { LIFECYCLE_METHODS, isLifecycleMethod, makeLifecycleStep } from './lifecycle-step.js';

export class ServiceValue extends HostValue {
  readonly typeName = 'service';
  readonly refs: ReadonlyMap<string, InterfaceRefValue>;

  constructor(
    private readonly session: SpecSession,
    readonly decl: ServiceDecl,
    readonly pos: Position | undefined,
    /** The callable given as reset=, run by the runtime between tests of a reused service. */
    readonly reset: Value | undefined,
  ) {
    super();
    this.refs = new Map(decl.interfaces.map((i) => [i.name, new InterfaceRefValue(session, decl, i)]));
  }

  get name(): string {
    return this.decl.name;
  }

  /** The only interface, when there is exactly one (for `svc.get(...)` shorthands). */
  get soleInterface(): InterfaceRefValue | undefined {
    return this.refs.size === 1 ? [...this.refs.values()][0] : undefined;
  }

  override attr(name: string): Value | undefined {
    if (name === 'name') return this.decl.name;
    const ref = this.refs.get(name);
    if (ref) return ref;
    if (isLifecycleMethod(name)) return makeLifecycleStep(this.session, this.decl.name, name);
    const sole = this.soleInterface;
    if (sole) {
      const m = sole.method(name);
      if (m === undefined && ALL_STEP_METHODS.includes(name)) {
        throw new StarlarkError(
          `service ${quote(this.decl.name)}: its interface ${quote(sole.iface.name)} is ${sole.iface.protocol}, which has no ${name}() step (it has: ${STEP_METHODS[sole.iface.protocol].join(', ')})`,
        );
      }
      return m;
    }
    if (ALL_STEP_METHODS.includes(name)) {
      const names = [...this.refs.keys()];
      throw new StarlarkError(
        names.length === 0
          ? `service ${quote(this.decl.name)} has no interfaces, so it has no ${name}() step`
          : `service ${quote(this.decl.name)} has ${names.length} interfaces (${names.join(', ')}): name one, e.g. ${this.decl.name}.${names[0]}.${name}(...)`,
      );
    }
    return undefined;
  }

  override attrNames(): string[] {
    const sole = this.soleInterface;
    const shorthands = sole ? STEP_METHODS[sole.iface.protocol] : [];
    return ['name', ...this.refs.keys(), ...shorthands, ...LIFECYCLE_METHODS].sort();
  }

  override repr(): string {
    return `<service ${quote(this.decl.name)}>`;
  }
}
