import { cleanup, render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { PhaseHeader } from './phase-header.js';

afterEach(cleanup);

describe('PhaseHeader', () => {
  it('names the current phase and brackets it in the track', () => {
    const { lastFrame } = render(<PhaseHeader phase="singles" stopping={false} />);
    const frame = lastFrame() ?? '';
    expect(frame).toContain('faultbox explore · phase: single faults');
    expect(frame).toContain('record › known failures › [single faults] › combinations › shrinking › done');
    expect(frame).not.toContain('stopping');
  });

  it('shows "starting" before the first phase and "stopping…" after a stop request', () => {
    expect(render(<PhaseHeader stopping={false} />).lastFrame()).toContain('phase: starting');
    expect(render(<PhaseHeader phase="combinations" stopping />).lastFrame()).toContain('phase: combinations · stopping…');
  });

  it('says why the campaign ended', () => {
    const frame = render(<PhaseHeader phase="done" stopping={false} stoppedBy="budget" />).lastFrame() ?? '';
    expect(frame).toContain('phase: done · time budget used');
    expect(frame).toContain('[done]');
  });
});
