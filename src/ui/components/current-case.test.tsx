import { cleanup, render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { faultFromJson } from '../../explorer/corpus/fault-json.js';
import { CurrentCase } from './current-case.js';

afterEach(cleanup);

describe('CurrentCase', () => {
  const faults = [
    faultFromJson({ service: 'postgres', syscall: 'write', action: 'deny', errno: 'ENOSPC', nth: 3 }),
    faultFromJson({ service: 'api', syscall: 'connect', action: 'delay', delay_ms: 500 }),
  ] as const;

  it('shows the running case with its faults', () => {
    expect(render(<CurrentCase current={{ index: 42, scenario: 'checkout', faults }} />).lastFrame()).toBe(
      'case #42 checkout: postgres write=deny(ENOSPC, nth=3) + api connect=delay(500ms)',
    );
  });

  it('adds the verdict once the case ended', () => {
    expect(
      render(<CurrentCase current={{ index: 3, scenario: 'refund', faults: [], verdict: 'timeout', durationMs: 30_000 }} />).lastFrame(),
    ).toBe('case #3 refund: (no faults) → timeout in 30.0s');
  });

  it('says when nothing runs', () => {
    expect(render(<CurrentCase />).lastFrame()).toBe('case: none running');
  });
});
