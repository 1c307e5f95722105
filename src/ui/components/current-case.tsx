// The case being run now: its number, scenario and fault set (and verdict once it ended).
import { Text } from 'ink';
import type { CurrentCase as CurrentCaseValue } from '../campaign-state.js';
import { formatDuration, formatFaultSet } from '../../report/summary-text.js';

export interface CurrentCaseProps {
  readonly current?: CurrentCaseValue;
}

export function CurrentCase({ current }: CurrentCaseProps) {
  if (!current) return <Text dimColor>case: none running</Text>;
  return (
    <Text>
      <Text bold>case #{current.index}</Text>
      <Text> {current.scenario}: </Text>
      <Text color="magenta">{formatFaultSet(current.faults)}</Text>
      {current.verdict !== undefined && (
        <Text dimColor>
          {' '}→ {current.verdict}
          {current.durationMs !== undefined ? ` in ${formatDuration(current.durationMs)}` : ''}
        </Text>
      )}
    </Text>
  );
}
