// The `faultbox explore` terminal UI. It only reads the campaign store (fed by ProgressEvents)
// and a 1 s ticker; the one thing it sends back is `onQuit`, when the person asks to stop.
import { Box, Text, useApp, useInput, useStdin } from 'ink';
import { useEffect, useSyncExternalStore } from 'react';
import type { CampaignStore } from './campaign-store.js';
import { elapsedMs, failingCases, openFailure, ratePerMinute, timeLeftMs } from './campaign-state.js';
import { CoverageBars } from './components/coverage-bars.js';
import { CurrentCase } from './components/current-case.js';
import { FailureDetail } from './components/failure-detail.js';
import { FailureList } from './components/failure-list.js';
import { KeyHints } from './components/key-hints.js';
import { PhaseHeader } from './components/phase-header.js';
import { RecentLog } from './components/recent-log.js';
import { StatsLine } from './components/stats-line.js';

/** The live screen must fit a terminal; a bigger census is folded to one line per service. */
const LIVE_COVERAGE_LINES = 12;

export interface ExploreAppProps {
  readonly store: CampaignStore;
  /** Asks the campaign to stop cleanly; the app keeps showing "stopping…" until `done`. */
  readonly onQuit: () => void;
  /** How often elapsed time and the rate window advance without events. */
  readonly tickMs?: number;
}

export function ExploreApp({ store, onQuit, tickMs = 1000 }: ExploreAppProps) {
  const view = useSyncExternalStore(store.subscribe, store.getState);
  const { exit } = useApp();
  const { isRawModeSupported } = useStdin();

  useEffect(() => {
    const timer = setInterval(() => store.tick(), tickMs);
    return () => clearInterval(timer);
  }, [store, tickMs]);

  // `done` is the last event: the final frame is on screen once this effect runs.
  const finished = view.summary !== undefined;
  useEffect(() => {
    if (finished) exit();
  }, [finished, exit]);

  useInput(
    (input, key) => {
      const ctrlC = key.ctrl && input === 'c';
      if (input === 'q' || ctrlC) {
        if (!view.stopping) {
          store.dispatch({ type: 'stop-requested' });
          onQuit();
        } else if (ctrlC) {
          // A second Ctrl+C while stopping: the person does not want to wait; leave the UI.
          exit();
        }
        return;
      }
      if (key.upArrow) store.dispatch({ type: 'select', delta: -1 });
      else if (key.downArrow) store.dispatch({ type: 'select', delta: 1 });
      else if (key.return) store.dispatch({ type: 'open' });
      else if (key.escape || key.backspace || key.delete) store.dispatch({ type: 'back' });
    },
    { isActive: isRawModeSupported === true && !finished },
  );

  const detail = openFailure(view);
  return (
    <Box flexDirection="column">
      <PhaseHeader phase={view.phase} stopping={view.stopping} stoppedBy={view.summary?.stoppedBy} />
      <StatsLine
        casesRun={view.casesRun}
        ratePerMinute={ratePerMinute(view)}
        elapsedMs={elapsedMs(view)}
        budgetMs={view.budgetMs}
        timeLeftMs={finished ? undefined : timeLeftMs(view)}
        vacuous={view.verdicts.vacuous ?? 0}
        failingCases={failingCases(view)}
        infraErrors={view.verdicts['infra-error'] ?? 0}
        targets={view.targets}
        restarts={view.restarts}
      />
      {view.summary && <Text>seed {view.summary.seed} · scenarios {view.summary.scenarios.join(', ') || '(none)'}</Text>}
      <Box marginTop={1} flexDirection="column">
        {finished ? (
          <>
            <CoverageBars rows={view.coverage} />
            <Box marginTop={1}>
              <FailureList failures={view.failures} selected={view.selected} expanded />
            </Box>
          </>
        ) : detail ? (
          <FailureDetail failure={detail} />
        ) : (
          <>
            <CurrentCase current={view.current} />
            <Box marginTop={1}>
              <CoverageBars rows={view.coverage} maxLines={LIVE_COVERAGE_LINES} />
            </Box>
            <Box marginTop={1}>
              <FailureList failures={view.failures} selected={view.selected} />
            </Box>
            <RecentLog lines={view.recentLog} />
          </>
        )}
      </Box>
      <Box marginTop={1}>
        <KeyHints screen={finished ? 'final' : detail ? 'detail' : 'list'} stopping={view.stopping} />
      </Box>
    </Box>
  );
}
