import { cleanup, render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { StatsLine } from './stats-line.js';

afterEach(cleanup);

describe('StatsLine', () => {
  it('shows cases, rate, elapsed against the budget and time left', () => {
    const frame = render(
      <StatsLine casesRun={123} ratePerMinute={14.25} elapsedMs={185_000} budgetMs={600_000} timeLeftMs={415_000} vacuous={4} failingCases={2} />,
    ).lastFrame();
    expect(frame).toBe('cases 123 · 14/min · elapsed 3m05s / 10m00s · 6m55s left · vacuous 4 · failing cases 2');
  });

  it('leaves out the budget when there is none and shows an unknown rate as a dash', () => {
    const frame = render(<StatsLine casesRun={0} elapsedMs={400} vacuous={0} failingCases={0} />).lastFrame();
    expect(frame).toBe('cases 0 · —/min · elapsed 400ms · vacuous 0 · failing cases 0');
  });

  it('mentions infrastructure errors only when there are some', () => {
    const frame = render(<StatsLine casesRun={3} elapsedMs={2_000} vacuous={0} failingCases={0} infraErrors={2} />).lastFrame();
    expect(frame).toBe('cases 3 · —/min · elapsed 2.0s · vacuous 0 · failing cases 0 · infra errors 2');
  });
});
