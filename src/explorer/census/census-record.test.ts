import { describe, expect, it } from 'vitest';
import { InfraError } from '../../errors.js';
import { recordCensus } from './census.js';
import { CampaignStopped } from '../errors.js';
import type { RecordResult, ScenarioRunner } from '../runner/runner.js';

/** A runner whose recording ends as the real one does when its signal aborts mid-run. */
function abortingRunner(abort: () => void): ScenarioRunner {
  return {
    async record(): Promise<RecordResult> {
      abort();
      return {
        verdict: { kind: 'infra-error', message: 'aborted', fired: {}, excerpt: [], durationMs: 5 },
        events: [],
        bodyWindow: { fromSeq: 1, toSeq: 0 },
      };
    },
    runCase: () => Promise.reject(new Error('not used')),
    ensureHealthy: async () => ({ restarted: [] }),
    close: async () => undefined,
  };
}

const want = { specHash: 's', faultboxVersion: '0.1.0', scenarios: ['checkout'], families: ['write'] };

describe('recordCensus when the budget or the user stops it', () => {
  it('an aborted recording is a stop, not an infrastructure error', async () => {
    const stop = new AbortController();
    const run = recordCensus({ runner: abortingRunner(() => stop.abort()), want, signal: stop.signal });
    await expect(run).rejects.toBeInstanceOf(CampaignStopped);
    await expect(run).rejects.toThrow('stopped while recording the census (at scenario checkout)');
  });

  it('the same verdict without a stop is still an infrastructure error', async () => {
    const run = recordCensus({ runner: abortingRunner(() => undefined), want, signal: new AbortController().signal });
    await expect(run).rejects.toBeInstanceOf(InfraError);
  });
});
