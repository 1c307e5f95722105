// Census coverage as text bars: per service, then per syscall family, tried / possible.
import { Box, Text } from 'ink';
import type { CoverageRow } from '../../explorer/campaign/progress.js';
import { coverageLines } from '../../report/coverage-table.js';

export interface CoverageBarsProps {
  readonly rows: readonly CoverageRow[];
  readonly barWidth?: number;
  /** Above this many lines, families go on their service's line so the screen stays short. */
  readonly maxLines?: number;
}

export function CoverageBars({ rows, barWidth = 20, maxLines = Infinity }: CoverageBarsProps) {
  if (rows.length === 0) return <Text dimColor>coverage: waiting for the census…</Text>;
  const full = coverageLines(rows, barWidth);
  const lines = full.length > maxLines ? coverageLines(rows, barWidth, true) : full;
  return (
    <Box flexDirection="column">
      <Text bold>coverage (tried / possible)</Text>
      {lines.map((line, i) => (
        <Text key={i} dimColor={line.level === 'family'} wrap="truncate-end">
          {line.text}
        </Text>
      ))}
    </Box>
  );
}
