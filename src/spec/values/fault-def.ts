// The value deny()/delay()/allow() return: an action and its trigger, not yet bound to a service
// or syscall. `fault(svc, write=<this>)` and fault_assumption turn it into FaultRules.
import { HostValue } from '../../starlark/index.js';
import type { FaultAction, Trigger } from '../model.js';
import { faultCallText } from '../fault-text.js';

export class FaultDefValue extends HostValue {
  readonly typeName = 'fault_def';
  constructor(
    readonly action: FaultAction,
    readonly trigger: Trigger,
    readonly label: string | undefined,
    readonly pathGlob: string | undefined,
    /** Glob over the call's peer address (connect, sendto/sendmsg), e.g. "*:6379". */
    readonly peerGlob: string | undefined,
  ) {
    super();
  }
  /** As a spec writes it, e.g. `deny("ENOSPC", nth=3, label="disk full")`. */
  override repr(): string {
    const call = faultCallText(this, 'spec');
    return this.label === undefined ? call : `${call.slice(0, -1)}${call.endsWith('()') ? '' : ', '}label=${JSON.stringify(this.label)})`;
  }
}
