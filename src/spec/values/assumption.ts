// The value fault_assumption() returns: a named set of rules, usable in fault(), fault_scenario
// and fault_matrix.
import { HostValue, None, quote, type Position, type Value } from '../../starlark/index.js';
import type { FaultRule } from '../model.js';

export class AssumptionValue extends HostValue {
  readonly typeName = 'fault_assumption';
  constructor(
    readonly name: string,
    readonly rules: readonly FaultRule[],
    readonly description: string | undefined,
    readonly pos: Position | undefined,
  ) {
    super();
  }
  override attr(name: string): Value | undefined {
    if (name === 'name') return this.name;
    if (name === 'description') return this.description ?? None;
    return undefined;
  }
  override attrNames(): string[] {
    return ['description', 'name'];
  }
  override repr(): string {
    return `fault_assumption(${quote(this.name)})`;
  }
}
