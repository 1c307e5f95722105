// Failures found so far, one line each: marker, verdict, scenario, minimal faults, reproduction.
// `expanded` (the final screen) adds the message, replay command and regression file.
import { Box, Text } from 'ink';
import type { FailureSummary } from '../../explorer/campaign/progress.js';
import { alsoText, failureMarker, firstLine, formatFaultSet, formatReproduction } from '../../report/summary-text.js';

export interface FailureListProps {
  readonly failures: readonly FailureSummary[];
  readonly selected: number;
  /** Lines of failures shown at once; the window follows the selection. */
  readonly maxVisible?: number;
  readonly expanded?: boolean;
}

export function FailureList({ failures, selected, maxVisible = 8, expanded = false }: FailureListProps) {
  if (failures.length === 0) return <Text dimColor>failures: none yet</Text>;
  const fresh = failures.filter((f) => !f.known).length;
  // Keep the selection in the middle of the window where the list allows it.
  const start = expanded ? 0 : Math.max(0, Math.min(selected - Math.floor(maxVisible / 2), failures.length - maxVisible));
  const shown = expanded ? failures : failures.slice(start, start + maxVisible);
  return (
    <Box flexDirection="column">
      <Text bold>
        failures ({failures.length}: {fresh} new, {failures.length - fresh} known)
      </Text>
      {start > 0 && <Text dimColor>  ↑ {start} more</Text>}
      {shown.map((f, i) => {
        const isSelected = !expanded && start + i === selected;
        const marker = failureMarker(f);
        return (
          <Box key={f.id} flexDirection="column">
            <Text inverse={isSelected}>
              {isSelected ? '› ' : '  '}
              <Text color={marker === 'NEW' ? 'red' : 'yellow'} bold>
                {marker.padEnd(5)}
              </Text>{' '}
              {f.kind.padEnd(9)} {f.scenario}: {formatFaultSet(f.faults)} ({formatReproduction(f)}){alsoText(f)}
            </Text>
            {expanded && (
              <Box flexDirection="column" marginLeft={4}>
                <Text>{firstLine(f.message)}</Text>
                <Text>replay: {f.replay}</Text>
                {f.regression !== undefined && <Text>regression: {f.regression}</Text>}
              </Box>
            )}
          </Box>
        );
      })}
      {!expanded && start + shown.length < failures.length && (
        <Text dimColor>  ↓ {failures.length - start - shown.length} more</Text>
      )}
    </Box>
  );
}
