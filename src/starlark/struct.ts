// struct(**kw): an immutable record with attribute access, printed `struct(a = 1, b = "x")`.

import { StarlarkError } from './errors.js';
import { repr } from './repr.js';
import { HostValue, freeze, keyId, type Value } from './values.js';
import { equals } from './compare.js';

export class Struct extends HostValue {
  readonly typeName: string = 'struct';
  /** Fields sorted by name (as starlark-go's struct). */
  readonly fields: Map<string, Value>;

  constructor(fields: Iterable<[string, Value]>) {
    super();
    const sorted = [...fields].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    this.fields = new Map(sorted);
  }

  override attr(name: string): Value | undefined {
    return this.fields.get(name);
  }
  override attrNames(): string[] {
    return [...this.fields.keys()];
  }
  override setAttr(name: string, _v: Value): void {
    throw new StarlarkError(`cannot set .${name}: struct fields are immutable`);
  }
  override hashKey(): string {
    const parts: string[] = [];
    for (const [k, v] of this.fields) parts.push(k + '=' + String(keyId(v)));
    return parts.join(',');
  }
  override equals(other: Value): boolean {
    if (!(other instanceof Struct) || other.fields.size !== this.fields.size) return false;
    for (const [k, v] of this.fields) {
      const w = other.fields.get(k);
      if (w === undefined || !equals(v, w)) return false;
    }
    return true;
  }
  override freeze(): void {
    if (this.frozen) return;
    this.frozen = true;
    for (const v of this.fields.values()) freeze(v);
  }
  override repr(): string {
    const parts: string[] = [];
    for (const [k, v] of this.fields) parts.push(`${k} = ${repr(v)}`);
    return `struct(${parts.join(', ')})`;
  }
}
