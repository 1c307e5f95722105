// Throughput and budget: cases run, cases per minute, elapsed against the budget, verdict counts.
import { Text } from 'ink';
import type { TargetShare } from '../../explorer/campaign/progress.js';
import { formatDuration, formatRate, formatRestarts, formatTargetShare } from '../../report/summary-text.js';

export interface StatsLineProps {
  readonly casesRun: number;
  readonly ratePerMinute?: number;
  readonly elapsedMs: number;
  readonly budgetMs?: number;
  readonly timeLeftMs?: number;
  readonly vacuous: number;
  readonly failingCases: number;
  /** Cases the runtime could not run (docker, ports, seccomp); shown only when there are any. */
  readonly infraErrors?: number;
  /** Share of the fault space's targets that had a fault so far. */
  readonly targets?: TargetShare;
  /** Services restarted between cases, per service; shown only when there are any. */
  readonly restarts?: Readonly<Record<string, number>>;
}

export function StatsLine(props: StatsLineProps) {
  const budget = props.budgetMs === undefined ? '' : ` / ${formatDuration(props.budgetMs)}`;
  return (
    <Text>
      <Text>cases {props.casesRun}</Text>
      <Text> · {formatRate(props.ratePerMinute)}</Text>
      <Text> · elapsed {formatDuration(props.elapsedMs)}{budget}</Text>
      {props.timeLeftMs !== undefined && <Text> · {formatDuration(props.timeLeftMs)} left</Text>}
      <Text> · vacuous {props.vacuous}</Text>
      <Text color={props.failingCases > 0 ? 'red' : undefined}> · failing cases {props.failingCases}</Text>
      {(props.infraErrors ?? 0) > 0 && <Text color="yellow"> · infra errors {props.infraErrors}</Text>}
      {props.targets && <Text> · {formatTargetShare(props.targets)}</Text>}
      {props.restarts && Object.keys(props.restarts).length > 0 && <Text> · {formatRestarts(props.restarts)}</Text>}
    </Text>
  );
}
