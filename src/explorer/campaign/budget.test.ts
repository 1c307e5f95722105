import { describe, expect, it } from 'vitest';
import { Budget } from './budget.js';

describe('campaign budget', () => {
  it('stops exploration after the run count', () => {
    const b = new Budget({ runs: 2 });
    expect(b.explorationStop(0)).toBeUndefined();
    b.noteExplorationRun();
    b.noteExplorationRun();
    expect(b.explorationStop(0)).toBe('runs');
    expect(b.hardStop()).toBeUndefined(); // triage may go on
    b.dispose();
  });

  it('stops exploring when the time left is what one more triage needs, capped at a share of the budget', () => {
    let now = 0;
    const b = new Budget({ budgetMs: 1000, now: () => now });
    now = 800;
    expect(b.explorationStop(0)).toBeUndefined();
    expect(b.explorationStop(199)).toBeUndefined();
    expect(b.explorationStop(200)).toBe('budget');
    now = 700;
    // The reserve never takes more than 25% of the budget, however slow triage would be.
    expect(b.explorationStop(10_000)).toBeUndefined();
    now = 750;
    expect(b.explorationStop(10_000)).toBe('budget');
    expect(b.hardStop()).toBeUndefined();
    now = 1000;
    expect(b.hardStop()).toBe('budget');
    b.dispose();
  });

  it('aborts its signal at the deadline and on user stop', async () => {
    const b = new Budget({ budgetMs: 5 });
    await new Promise<void>((resolve) => b.signal.addEventListener('abort', () => resolve(), { once: true }));
    expect(b.hardStop()).toBe('budget');
    b.dispose();
    const user = new AbortController();
    const u = new Budget({ userSignal: user.signal });
    expect(u.signal.aborted).toBe(false);
    user.abort();
    expect(u.signal.aborted).toBe(true);
    expect(u.hardStop()).toBe('user');
    expect(u.explorationStop(0)).toBe('user');
    u.dispose();
  });
});
