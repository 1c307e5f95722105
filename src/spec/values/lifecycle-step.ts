// Lifecycle steps of a service (`db.restart()`, `db.kill(signal="SIGTERM")`, `db.stop()`,
// `db.start()`, `db.crash(lose_unsynced=True)`): checked here, performed by the runtime, answered
// as a response (ok, error, duration_ms) like any other step.
import { Builtin, StarlarkError, quote, unpackArgs, noArgs, type Kwargs, type Value } from '../../starlark/index.js';
import type { LifecycleAction, LifecycleRequest } from '../host.js';
import type { SpecSession } from '../session.js';
import { boolArg, stringArg } from '../arg-types.js';
import { ResponseValue } from './response.js';

export const LIFECYCLE_METHODS: readonly LifecycleAction[] = ['restart', 'kill', 'start', 'stop', 'crash'];

/** Signals kill() accepts: the ones that end or poke a service (SIGSTOP would only freeze it). */
export const KILL_SIGNALS = ['SIGKILL', 'SIGTERM', 'SIGINT', 'SIGQUIT', 'SIGHUP', 'SIGUSR1', 'SIGUSR2', 'SIGABRT'] as const;

export function isLifecycleMethod(name: string): name is LifecycleAction {
  return (LIFECYCLE_METHODS as readonly string[]).includes(name);
}

export function makeLifecycleStep(session: SpecSession, service: string, action: LifecycleAction): Builtin {
  const fn = `${service}.${action}`;
  return new Builtin(fn, (_ctx, args: Value[], kwargs: Kwargs) => {
    const req = parseLifecycle(fn, service, action, args, kwargs);
    const run = session.requireRun(fn);
    return new ResponseValue(run.host.lifecycle(req));
  });
}

function parseLifecycle(fn: string, service: string, action: LifecycleAction, args: Value[], kwargs: Kwargs): LifecycleRequest {
  switch (action) {
    case 'kill': {
      const [sigV] = unpackArgs(fn, args, kwargs, ['signal?']);
      const signal = sigV === undefined ? 'SIGKILL' : normalizeSignal(fn, stringArg(fn, 'signal', sigV));
      return { service, action, signal };
    }
    case 'crash': {
      const [loseV] = unpackArgs(fn, args, kwargs, ['lose_unsynced?']);
      return { service, action, loseUnsynced: loseV === undefined ? false : boolArg(fn, 'lose_unsynced', loseV) };
    }
    default:
      noArgs(fn, args, kwargs);
      return { service, action };
  }
}

function normalizeSignal(fn: string, given: string): string {
  const upper = given.toUpperCase();
  const name = upper.startsWith('SIG') ? upper : `SIG${upper}`;
  if ((KILL_SIGNALS as readonly string[]).includes(name)) return name;
  throw new StarlarkError(`${fn}: signal ${quote(given)} is not one kill() sends (expected one of ${KILL_SIGNALS.join(', ')})`);
}
