import { cleanup, render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { faultFromJson } from '../../explorer/corpus/fault-json.js';
import { FailureDetail } from './failure-detail.js';

afterEach(cleanup);

describe('FailureDetail', () => {
  it('shows faults, the assertion, the event excerpt, replay command and regression path', () => {
    const frame = render(
      <FailureDetail
        failure={{
          id: 'c1f2',
          scenario: 'checkout',
          kind: 'fail',
          message: 'assert_eq: expected 200, got 500',
          faults: [
            faultFromJson({ service: 'postgres', syscall: 'write', action: 'deny', errno: 'ENOSPC', nth: 3 }),
            faultFromJson({ service: 'api', syscall: 'connect', action: 'delay', delay_ms: 200 }),
          ],
          reproduced: '4/5',
          known: false,
          replay: 'faultbox explore replay --seed 42 --path 3:1',
          regression: 'corpus/regressions/checkout-c1f2.star',
          excerpt: ['#50 postgres write deny(ENOSPC) /var/lib/pg/wal', '#51 api recvfrom allow'],
        }}
      />,
    ).lastFrame();
    expect(frame?.split('\n')).toEqual([
      'NEW fail in checkout (reproduced 4/5) id c1f2',
      'faults',
      '  postgres write=deny(ENOSPC, nth=3)',
      '  api connect=delay(200ms)',
      'assertion',
      '  assert_eq: expected 200, got 500',
      'events around the injected fault',
      '  #50 postgres write deny(ENOSPC) /var/lib/pg/wal',
      '  #51 api recvfrom allow',
      'replay faultbox explore replay --seed 42 --path 3:1',
      'regression corpus/regressions/checkout-c1f2.star',
    ]);
  });

  it('says when no regression file was exported and no events were kept', () => {
    const frame = render(
      <FailureDetail
        failure={{ id: 'x', scenario: 's', kind: 'crash', message: 'exit 139', faults: [], reproduced: '1/5', known: true, replay: 'r', excerpt: [] }}
      />,
    ).lastFrame() ?? '';
    expect(frame).toContain('KNOWN crash in s');
    expect(frame).toContain('(no events recorded)');
    expect(frame).toContain('regression (not exported)');
  });

  it('shows a crashed service\'s last log lines', () => {
    const frame = render(
      <FailureDetail
        failure={{
          id: 'c', scenario: 's', kind: 'crash', message: 'service api exited with code 1', faults: [], reproduced: '2/5', known: false, replay: 'r', excerpt: [],
          serviceLog: { service: 'api', lines: ["Error: EIO: i/o error, write", '    at writeSync (node:fs:939:3)'] },
        }}
      />,
    ).lastFrame() ?? '';
    expect(frame).toContain("last lines of api's log");
    expect(frame).toContain('  | Error: EIO: i/o error, write');
    expect(frame).toContain('  |     at writeSync (node:fs:939:3)');
  });
});
