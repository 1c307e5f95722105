// The value `interface(name, protocol, port)` returns: an interface not yet attached to a service.
import { HostValue, quote } from '../../starlark/index.js';
import type { InterfaceDecl } from '../model.js';

export class InterfaceDeclValue extends HostValue {
  readonly typeName = 'interface';
  constructor(readonly decl: InterfaceDecl) {
    super();
  }
  override attr(name: string): string | number | undefined {
    if (name === 'name') return this.decl.name;
    if (name === 'protocol') return this.decl.protocol;
    if (name === 'port') return this.decl.port;
    return undefined;
  }
  override attrNames(): string[] {
    return ['name', 'port', 'protocol'];
  }
  override repr(): string {
    return `interface(${quote(this.decl.name)}, ${quote(this.decl.protocol)}, ${this.decl.port})`;
  }
}
