// The value deny()/delay()/allow() return: an action and its trigger, not yet bound to a service
// or syscall. `fault(svc, write=<this>)` and fault_assumption turn it into FaultRules.
import { HostValue } from '../../starlark/index.js';
import type { FaultAction, Trigger } from '../model.js';

export class FaultDefValue extends HostValue {
  readonly typeName = 'fault_def';
  constructor(
    readonly action: FaultAction,
    readonly trigger: Trigger,
    readonly label: string | undefined,
    readonly pathGlob: string | undefined,
    /** Glob over the call's peer address (connect, sendto/sendmsg), e.g. "*:6379". */
    readonly peerGlob: string | undefined,
    /** How the spec wrote it, e.g. `deny("ENOSPC", label="disk full")`. */
    private readonly shown: string,
  ) {
    super();
  }
  override repr(): string {
    return this.shown;
  }
}
