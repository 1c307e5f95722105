// An interface bound to its service (`postgres.main`): addresses for env wiring and test steps,
// and the protocol's step methods.
import { HostValue, StarlarkError, quote, type Builtin, type Value } from '../../starlark/index.js';
import type { InterfaceDecl, ServiceDecl } from '../model.js';
import type { SpecSession } from '../session.js';
import { ALL_STEP_METHODS, STEP_METHODS, makeStep } from './step.js';

export class InterfaceRefValue extends HostValue {
  readonly typeName = 'interface_ref';
  private readonly methods = new Map<string, Builtin>();

  constructor(
    private readonly session: SpecSession,
    readonly service: ServiceDecl,
    readonly iface: InterfaceDecl,
  ) {
    super();
  }

  private get isContainer(): boolean {
    return this.service.source.kind !== 'binary';
  }

  override attr(name: string): Value | undefined {
    switch (name) {
      case 'addr': {
        const live = this.live();
        return live ? `${live.host}:${live.port}` : `localhost:${this.iface.port}`;
      }
      case 'internal_addr':
        return this.isContainer ? `${this.service.name}:${this.iface.port}` : `localhost:${this.iface.port}`;
      case 'host':
        return this.live()?.host ?? 'localhost';
      case 'port':
        return this.iface.port;
      case 'name':
        return this.iface.name;
      case 'protocol':
        return this.iface.protocol;
    }
    const m = this.method(name);
    if (m === undefined && ALL_STEP_METHODS.includes(name)) {
      throw new StarlarkError(
        `interface ${quote(this.service.name + '.' + this.iface.name)} is ${this.iface.protocol}, which has no ${name}() step (it has: ${STEP_METHODS[this.iface.protocol].join(', ')})`,
      );
    }
    return m;
  }

  /** While a test runs, the address steps really use (host-mapped for containers). */
  private live(): { host: string; port: number } | undefined {
    const run = this.session.run;
    return run ? run.host.addressOf(this.service.name, this.iface.name) : undefined;
  }

  method(name: string): Builtin | undefined {
    if (!STEP_METHODS[this.iface.protocol].includes(name)) return undefined;
    let m = this.methods.get(name);
    if (!m) {
      m = makeStep(this.session, this.service.name, this.iface, name);
      this.methods.set(name, m);
    }
    return m;
  }

  override attrNames(): string[] {
    return ['addr', 'host', 'internal_addr', 'name', 'port', 'protocol', ...STEP_METHODS[this.iface.protocol]].sort();
  }

  override repr(): string {
    return `<interface ${quote(this.service.name + '.' + this.iface.name)} ${this.iface.protocol}:${this.iface.port}>`;
  }
}
