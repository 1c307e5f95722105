import { describe, expect, it } from 'vitest';
import type { CampaignResult } from '../campaign/campaign.js';
import { makeCensus } from '../census/census.js';
import { buildResultJson } from './result-json.js';

const census = makeCensus({ specHash: 's', faultboxVersion: '0.1.0', families: ['write'], scenarios: {}, createdAt: '2026-01-01T00:00:00.000Z' });

function result(trail: CampaignResult['trail']): CampaignResult {
  return {
    summary: { seed: 7, runs: trail.length, vacuous: 0, durationMs: 10, scenarios: ['checkout'], failures: [], coverage: [], stoppedBy: 'exhausted' },
    groups: [],
    stats: {} as CampaignResult['stats'],
    trail,
  };
}

describe('--json cases', () => {
  it('lists every exploration case in order with its phase, canonical key and outcome', () => {
    const json = buildResultJson(
      result([
        { phase: 'known', key: 'checkout :: db|write||deny|EIO||3|||', cls: 'failure' },
        { phase: 'singles', key: 'checkout :: db|write||deny|EIO||1|||', cls: 'pass' },
        { phase: 'combinations', key: 'checkout :: a & b', cls: 'vacuous' },
      ]),
      census,
    );
    expect(json.cases).toEqual([
      { phase: 'known', key: 'checkout :: db|write||deny|EIO||3|||', outcome: 'failure' },
      { phase: 'singles', key: 'checkout :: db|write||deny|EIO||1|||', outcome: 'pass' },
      { phase: 'combinations', key: 'checkout :: a & b', outcome: 'vacuous' },
    ]);
    expect(json.runs).toBe(3);
  });
});
