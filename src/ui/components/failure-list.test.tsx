import { cleanup, render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { faultFromJson } from '../../explorer/corpus/fault-json.js';
import type { FailureSummary } from '../../explorer/campaign/progress.js';
import { FailureList } from './failure-list.js';

afterEach(cleanup);

function failure(id: string, over: Partial<FailureSummary> = {}): FailureSummary {
  return {
    id,
    scenario: 'checkout',
    kind: 'fail',
    message: 'assert_eq: expected 200, got 500\nsecond line',
    faults: [faultFromJson({ service: 'postgres', syscall: 'write', action: 'deny', errno: 'ENOSPC', nth: 3 })],
    reproduced: '5/5',
    known: false,
    replay: `faultbox explore replay ${id}`,
    regression: `corpus/regressions/${id}.star`,
    excerpt: [],
    ...over,
  };
}

describe('FailureList', () => {
  it('lists failures with marker, verdict, faults and reproduction, pointing at the selection', () => {
    const frame = render(
      <FailureList failures={[failure('a'), failure('b', { known: true, kind: 'crash', reproduced: '2/5', faults: [] })]} selected={1} />,
    ).lastFrame();
    expect(frame?.split('\n')).toEqual([
      'failures (2: 1 new, 1 known)',
      '  NEW   fail      checkout: postgres write=deny(ENOSPC, nth=3) (reproduced 5/5)',
      '› KNOWN crash     checkout: (no faults) (reproduced 2/5)',
    ]);
  });

  it('scrolls a long list so the selection stays visible', () => {
    const many = Array.from({ length: 20 }, (_, i) => failure(`f${i}`, { scenario: `s${i}` }));
    const frame = render(<FailureList failures={many} selected={15} maxVisible={4} />).lastFrame() ?? '';
    expect(frame).toContain('↑ 13 more');
    expect(frame).toContain('› NEW   fail      s15:');
    expect(frame).toContain('↓ 3 more');
    expect(frame).not.toContain('s12:');
  });

  it('expanded (final screen) adds message, replay and regression for every failure', () => {
    const frame = render(<FailureList failures={[failure('a')]} selected={0} expanded />).lastFrame() ?? '';
    expect(frame).toContain('    assert_eq: expected 200, got 500 …');
    expect(frame).toContain('    replay: faultbox explore replay a');
    expect(frame).toContain('    regression: corpus/regressions/a.star');
    expect(frame).not.toContain('›');
  });

  it('says when there are none', () => {
    expect(render(<FailureList failures={[]} selected={0} />).lastFrame()).toBe('failures: none yet');
  });
});
