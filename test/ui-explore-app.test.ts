// The explore UI end to end: a scripted campaign's ProgressEvents go into the store, the person
// presses keys, and the rendered frames must show what happened. (Plain .ts with createElement:
// the vitest config collects test/**/*.test.ts.)
import { cleanup, render } from 'ink-testing-library';
import { createElement } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { faultFromJson } from '../src/explorer/corpus/fault-json.js';
import type { CampaignSummary, FailureSummary, ProgressEvent } from '../src/explorer/campaign/progress.js';
import { createCampaignStore } from '../src/ui/campaign-store.js';
import { ExploreApp } from '../src/ui/explore-app.js';

afterEach(cleanup);

const KEY = { up: '\u001B[A', down: '\u001B[B', enter: '\r', escape: '\u001B', backspace: '\u007F' };

/** Lets React commit and Ink flush (input parsing defers a lone Esc by one setImmediate). */
async function settle(): Promise<void> {
  for (let i = 0; i < 3; i++) await new Promise((resolve) => setImmediate(resolve));
}

async function waitForFrame(lastFrame: () => string | undefined, text: string): Promise<string> {
  for (let i = 0; i < 500; i++) {
    const frame = lastFrame() ?? '';
    if (frame.includes(text)) return frame;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`frame never contained ${JSON.stringify(text)}; last frame:\n${lastFrame()}`);
}

const diskFull: FailureSummary = {
  id: 'f-disk',
  scenario: 'checkout',
  kind: 'fail',
  message: 'assert_eq: expected status 200, got 500',
  faults: [faultFromJson({ service: 'postgres', syscall: 'write', action: 'deny', errno: 'ENOSPC', nth: 3 })],
  reproduced: '5/5',
  known: false,
  replay: 'faultbox explore replay examples/shop.star --failure f-disk',
  regression: 'corpus/regressions/checkout-f-disk.star',
  excerpt: ['#118 postgres pwrite64 deny(ENOSPC) /var/lib/postgresql/data/pg_wal/000001', '#119 api recvfrom allow socket:[5512]'],
};

const slowConnect: FailureSummary = {
  id: 'f-slow',
  scenario: 'refund',
  kind: 'timeout',
  message: 'step http.post timed out after 5s',
  faults: [faultFromJson({ service: 'api', syscall: 'connect', action: 'delay', delay_ms: 6000 })],
  reproduced: '3/5',
  known: true,
  replay: 'faultbox explore replay examples/shop.star --failure f-slow',
  excerpt: [],
};

function setup() {
  let clock = 1_000_000;
  const store = createCampaignStore(() => clock);
  const onQuit = vi.fn();
  const app = render(createElement(ExploreApp, { store, onQuit, tickMs: 60_000 }));
  const send = async (event: ProgressEvent, advanceMs = 0) => {
    clock += advanceMs;
    store.listener(event);
    await settle();
  };
  return { app, store, onQuit, send, advance: (ms: number) => (clock += ms) };
}

describe('ExploreApp', () => {
  it('follows a campaign from record to failures, opens a failure, and stops on q', async () => {
    const { app, onQuit, send } = setup();
    await settle();
    expect(app.lastFrame()).toContain('phase: starting');

    await send({ type: 'phase', phase: 'record', atMs: 0 });
    expect(app.lastFrame()).toContain('phase: record');
    expect(app.lastFrame()).toContain('coverage: waiting for the census…');

    await send({
      type: 'coverage',
      rows: [
        { service: 'postgres', family: 'write', tried: 0, possible: 12 },
        { service: 'api', family: 'connect', tried: 0, possible: 4 },
      ],
    });
    await send({ type: 'phase', phase: 'singles', atMs: 4_000 }, 4_000);
    await send({ type: 'budget', elapsedMs: 4_000, budgetMs: 600_000 });
    await send({ type: 'case-start', index: 1, scenario: 'checkout', faults: diskFull.faults });
    let frame = app.lastFrame() ?? '';
    expect(frame).toContain('[single faults]');
    expect(frame).toContain('case #1 checkout: postgres write=deny(ENOSPC, nth=3)');
    expect(frame).toContain('elapsed 4.0s / 10m00s · 9m56s left');

    await send({ type: 'case-end', index: 1, verdict: 'fail', durationMs: 2_000 }, 2_000);
    await send({ type: 'case-start', index: 2, scenario: 'refund', faults: slowConnect.faults });
    await send({ type: 'case-end', index: 2, verdict: 'vacuous', durationMs: 2_000 }, 2_000);
    await send({
      type: 'coverage',
      rows: [
        { service: 'postgres', family: 'write', tried: 6, possible: 12 },
        { service: 'api', family: 'connect', tried: 4, possible: 4 },
      ],
    });
    await send({ type: 'failure', failure: diskFull });
    frame = app.lastFrame() ?? '';
    expect(frame).toContain('cases 2 · 15/min');
    expect(frame).toContain('vacuous 1 · failing cases 1');
    expect(frame).toContain('postgres   ██████████░░░░░░░░░░       6/12   50%');
    expect(frame).toContain('  connect  ████████████████████        4/4  100%');
    expect(frame).toContain('› NEW   fail      checkout: postgres write=deny(ENOSPC, nth=3) (reproduced 5/5)');

    await send({ type: 'failure', failure: slowConnect });
    expect(app.lastFrame()).toContain('failures (2: 1 new, 1 known)');
    expect(app.lastFrame()).toContain('  KNOWN timeout   refund: api connect=delay(6s) (reproduced 3/5)');

    // Down selects the second failure, Enter opens it, Esc goes back.
    app.stdin.write(KEY.down);
    await settle();
    expect(app.lastFrame()).toContain('› KNOWN timeout   refund');
    app.stdin.write(KEY.enter);
    await settle();
    frame = app.lastFrame() ?? '';
    expect(frame).toContain('KNOWN timeout in refund (reproduced 3/5)');
    expect(frame).toContain('replay faultbox explore replay examples/shop.star --failure f-slow');
    expect(frame).toContain('Esc/Backspace back · q stop');
    app.stdin.write(KEY.escape);
    await settle();
    expect(app.lastFrame()).toContain('↑/↓ select · Enter details · q stop');

    // Up, Enter: the first failure's detail with assertion, excerpt, replay and regression.
    app.stdin.write(KEY.up);
    await settle();
    app.stdin.write(KEY.enter);
    await settle();
    frame = app.lastFrame() ?? '';
    expect(frame).toContain('NEW fail in checkout (reproduced 5/5)');
    expect(frame).toContain('  assert_eq: expected status 200, got 500');
    expect(frame).toContain('  #118 postgres pwrite64 deny(ENOSPC) /var/lib/postgresql/data/pg_wal/000001');
    expect(frame).toContain('replay faultbox explore replay examples/shop.star --failure f-disk');
    expect(frame).toContain('regression corpus/regressions/checkout-f-disk.star');
    // The engine keeps going while the person reads: the header still updates.
    await send({ type: 'phase', phase: 'combinations', atMs: 9_000 }, 1_000);
    expect(app.lastFrame()).toContain('phase: combinations');
    app.stdin.write(KEY.backspace);
    await settle();
    expect(app.lastFrame()).toContain('failures (2: 1 new, 1 known)');

    // q asks the campaign to stop, once, and the UI says so until `done`.
    app.stdin.write('q');
    await settle();
    expect(onQuit).toHaveBeenCalledTimes(1);
    frame = app.lastFrame() ?? '';
    expect(frame).toContain('phase: combinations · stopping…');
    expect(frame).toContain('stopping… waiting for the campaign to wind down');
    app.stdin.write('q');
    await settle();
    expect(onQuit).toHaveBeenCalledTimes(1);

    const summary: CampaignSummary = {
      seed: 42,
      runs: 2,
      vacuous: 1,
      durationMs: 11_000,
      scenarios: ['checkout', 'refund'],
      failures: [diskFull, slowConnect],
      coverage: [
        { service: 'postgres', family: 'write', tried: 6, possible: 12 },
        { service: 'api', family: 'connect', tried: 4, possible: 4 },
      ],
      stoppedBy: 'user',
    };
    await send({ type: 'done', summary }, 1_000);
    frame = app.lastFrame() ?? '';
    expect(frame).toContain('phase: done · stopped by user');
    expect(frame).not.toContain('stopping…');
    expect(frame).toContain('cases 2 · 11/min · elapsed 11.0s / 10m00s');
    expect(frame).toContain('seed 42 · scenarios checkout, refund');
    expect(frame).toContain('    replay: faultbox explore replay examples/shop.star --failure f-disk');
    expect(frame).toContain('    regression: corpus/regressions/checkout-f-disk.star');
    expect(frame).toContain('    replay: faultbox explore replay examples/shop.star --failure f-slow');

    // The app has exited: keys no longer reach it.
    app.stdin.write('q');
    await settle();
    expect(onQuit).toHaveBeenCalledTimes(1);
  });

  it('treats Ctrl+C as a stop request', async () => {
    const { app, onQuit, send } = setup();
    await send({ type: 'phase', phase: 'singles', atMs: 0 });
    app.stdin.write('\u0003');
    await settle();
    expect(onQuit).toHaveBeenCalledTimes(1);
    expect(app.lastFrame()).toContain('stopping…');
  });

  it('moves the elapsed clock on its ticker without any event', async () => {
    let clock = 5_000;
    const store = createCampaignStore(() => clock);
    const app = render(createElement(ExploreApp, { store, onQuit: () => {}, tickMs: 10 }));
    store.listener({ type: 'phase', phase: 'record', atMs: 0 });
    await waitForFrame(app.lastFrame, 'elapsed 0ms');
    clock += 7_000;
    await waitForFrame(app.lastFrame, 'elapsed 7.0s');
  });

  it('renders events that arrived before it mounted', async () => {
    const store = createCampaignStore(() => 0);
    store.listener({ type: 'phase', phase: 'shrinking', atMs: 0 });
    store.listener({ type: 'failure', failure: diskFull });
    const app = render(createElement(ExploreApp, { store, onQuit: () => {}, tickMs: 60_000 }));
    await settle();
    expect(app.lastFrame()).toContain('phase: shrinking');
    expect(app.lastFrame()).toContain('NEW   fail      checkout');
  });
});
