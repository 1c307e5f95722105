import { cleanup, render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { CoverageBars } from './coverage-bars.js';

afterEach(cleanup);

describe('CoverageBars', () => {
  it('draws a bar per service and per family with tried / possible', () => {
    const frame = render(
      <CoverageBars
        barWidth={10}
        rows={[
          { service: 'postgres', family: 'write', tried: 5, possible: 10 },
          { service: 'postgres', family: 'fsync', tried: 0, possible: 4 },
          { service: 'api', family: 'connect', tried: 6, possible: 6 },
        ]}
      />,
    ).lastFrame();
    expect(frame?.split('\n')).toEqual([
      'coverage (tried / possible)',
      'postgres   ████░░░░░░       5/14   35%',
      '  write    █████░░░░░       5/10   50%',
      '  fsync    ░░░░░░░░░░        0/4    0%',
      'api        ██████████        6/6  100%',
      '  connect  ██████████        6/6  100%',
    ]);
  });

  it('says it is waiting while there is no census yet', () => {
    expect(render(<CoverageBars rows={[]} />).lastFrame()).toBe('coverage: waiting for the census…');
  });
});

describe('CoverageBars on a large census', () => {
  it('folds families onto their service line when there are more lines than allowed', () => {
    const frame = render(
      <CoverageBars
        barWidth={4}
        maxLines={3}
        rows={[
          { service: 'postgres', family: 'write', tried: 1, possible: 2 },
          { service: 'postgres', family: 'fsync', tried: 0, possible: 2 },
          { service: 'api', family: 'connect', tried: 4, possible: 4 },
        ]}
      />,
    ).lastFrame();
    expect(frame?.split('\n')).toEqual([
      'coverage (tried / possible)',
      'postgres  █░░░        1/4   25%  write 1/2 · fsync 0/2',
      'api       ████        4/4  100%  connect 4/4',
    ]);
  });
});
