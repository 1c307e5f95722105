// Holds the UI's CampaignView and lets the engine (through `listener`) and the Ink app (through
// `dispatch`/`tick`) change it. The engine calls `listener` synchronously; folding is cheap and
// never throws, and React re-renders on its own schedule.
import type { ProgressListener } from '../explorer/campaign/progress.js';
import {
  initialCampaignView,
  reduceCampaign,
  type CampaignAction,
  type CampaignView,
} from './campaign-state.js';

export type UiAction = Exclude<CampaignAction, { type: 'event' } | { type: 'tick' }>;

export interface CampaignStore {
  /** Hand this to the campaign: every ProgressEvent is folded into the view. */
  readonly listener: ProgressListener;
  dispatch(action: UiAction): void;
  /** Advances the clock (elapsed time, rate window) without an event. */
  tick(): void;
  getState(): CampaignView;
  subscribe(onChange: () => void): () => void;
}

export function createCampaignStore(now: () => number = Date.now): CampaignStore {
  let view = initialCampaignView(now());
  const subscribers = new Set<() => void>();

  const apply = (action: CampaignAction): void => {
    const next = reduceCampaign(view, action);
    if (next === view) return;
    view = next;
    for (const notify of [...subscribers]) notify();
  };

  return {
    listener: (event) => apply({ type: 'event', event, nowMs: now() }),
    dispatch: (action) => apply(action),
    tick: () => apply({ type: 'tick', nowMs: now() }),
    getState: () => view,
    subscribe(onChange) {
      subscribers.add(onChange);
      return () => subscribers.delete(onChange);
    },
  };
}
