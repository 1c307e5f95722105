// The value a step returns: status, body, decoded data, ok/error and duration.
import { HostValue, None, StarFloat, fromJS, quote, type Value } from '../../starlark/index.js';
import type { StepResponse } from '../host.js';

const ATTRS = ['body', 'data', 'duration_ms', 'error', 'ok', 'status'];

export class ResponseValue extends HostValue {
  readonly typeName = 'response';
  private data: Value | undefined;
  constructor(readonly resp: StepResponse) {
    super();
  }
  override attr(name: string): Value | undefined {
    switch (name) {
      case 'status':
        return this.resp.status;
      case 'body':
        return this.resp.body;
      case 'data':
        this.data ??= this.resp.data === undefined ? None : fromJS(this.resp.data);
        return this.data;
      case 'ok':
        return this.resp.ok;
      case 'error':
        return this.resp.error;
      case 'duration_ms':
        return Number.isInteger(this.resp.durationMs) ? this.resp.durationMs : new StarFloat(this.resp.durationMs);
    }
    return undefined;
  }
  override attrNames(): string[] {
    return ATTRS;
  }
  override truth(): boolean {
    return this.resp.ok;
  }
  override repr(): string {
    const err = this.resp.ok ? '' : `, error=${quote(this.resp.error)}`;
    return `<response status=${this.resp.status} ok=${this.resp.ok ? 'True' : 'False'}${err}>`;
  }
}
