// The one renderer of a fault, in its two spellings. `spec` is what a spec file would say and
// what regressions are written in: `deny("EIO", nth=3, path="/data/*")`. `display` is how the
// trace, the terminal, the reports and the UI show it: `deny(EIO, nth=3, path="/data/*")`.
// Both put the arguments in one order: the action's own, the trigger, the aim, then options.
import type { Fault, FaultAction } from './model.js';
import { formatDurationMs } from './duration.js';

export type FaultSpelling = 'spec' | 'display';

/** What a rendered fault is made of: a fault's action, trigger and aim. */
export type FaultShape = Pick<Fault, 'action' | 'trigger' | 'pathGlob' | 'peerGlob'>;

function quoted(s: string): string {
  return JSON.stringify(s);
}

function probabilityText(p: number, spelling: FaultSpelling): string {
  return spelling === 'spec' ? String(p) : `${Math.round(p * 10000) / 100}%`;
}

function actionArgs(action: FaultAction, spelling: FaultSpelling): string[] {
  switch (action.kind) {
    case 'deny':
      return [spelling === 'spec' ? quoted(action.errno) : action.errno];
    case 'delay': {
      const d = formatDurationMs(action.ms);
      return [spelling === 'spec' ? quoted(d) : d];
    }
    default:
      return [];
  }
}

/** `deny("EIO", nth=3)` / `deny(EIO, nth=3)`; `trace` for an observe-only rule. */
export function faultCallText(shape: FaultShape, spelling: FaultSpelling): string {
  const { action, trigger } = shape;
  if (action.kind === 'trace') return 'trace';
  const args = actionArgs(action, spelling);
  if (trigger.nth !== undefined) args.push(`nth=${trigger.nth}`);
  if (trigger.after !== undefined) args.push(`after=${trigger.after}`);
  if (trigger.count !== undefined) args.push(`count=${trigger.count}`);
  if (trigger.probability !== undefined) args.push(`probability=${probabilityText(trigger.probability, spelling)}`);
  if (shape.pathGlob !== undefined) args.push(`path=${quoted(shape.pathGlob)}`);
  if (shape.peerGlob !== undefined) args.push(`peer=${quoted(shape.peerGlob)}`);
  if (action.kind === 'crash' && action.loseUnsynced) args.push('lose_unsynced=True');
  return `${action.kind}(${args.join(', ')})`;
}

/** `write=deny(EIO, nth=3)`: a family keyword bound to its fault. */
export function keywordFaultText(keyword: string, shape: FaultShape, spelling: FaultSpelling): string {
  return `${keyword}=${faultCallText(shape, spelling)}`;
}
