// The last few free-form lines the engine logged (re-census notices, warnings).
import { Box, Text } from 'ink';

export interface RecentLogProps {
  readonly lines: readonly string[];
}

export function RecentLog({ lines }: RecentLogProps) {
  if (lines.length === 0) return null;
  return (
    <Box flexDirection="column">
      {lines.map((line, i) => (
        <Text key={i} dimColor wrap="truncate-end">
          {line}
        </Text>
      ))}
    </Box>
  );
}
