// The value tcp()/http()/ready() return, consumed by service(healthcheck=).
import { HostValue, quote } from '../../starlark/index.js';
import type { Healthcheck } from '../model.js';
import { formatDurationMs } from '../duration.js';

export class HealthcheckValue extends HostValue {
  readonly typeName = 'healthcheck';
  constructor(readonly check: Healthcheck) {
    super();
  }
  override repr(): string {
    const t = `timeout=${quote(formatDurationMs(this.check.timeoutMs))}`;
    switch (this.check.kind) {
      case 'tcp':
        return `tcp(${quote(this.check.addr)}, ${t})`;
      case 'http':
        return `http(${quote(this.check.url)}, ${t})`;
      case 'ready':
        return `ready(${t})`;
    }
  }
}
