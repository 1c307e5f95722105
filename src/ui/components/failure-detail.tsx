// One failure in full: faults, the failing assertion, the syscall events around the injected
// fault, a crashed service's last log lines, how to replay it and where its regression file is.
import { Box, Text } from 'ink';
import type { FailureSummary } from '../../explorer/campaign/progress.js';
import { failureMarker, formatFault, formatReproduction } from '../../report/summary-text.js';

export interface FailureDetailProps {
  readonly failure: FailureSummary;
}

export function FailureDetail({ failure }: FailureDetailProps) {
  const marker = failureMarker(failure);
  return (
    <Box flexDirection="column">
      <Text>
        <Text color={marker === 'NEW' ? 'red' : 'yellow'} bold>
          {marker}
        </Text>{' '}
        <Text bold>
          {failure.kind} in {failure.scenario}
        </Text>{' '}
        ({formatReproduction(failure)}) <Text dimColor>id {failure.id}</Text>
      </Text>
      <Text bold>faults</Text>
      {failure.faults.length === 0 ? (
        <Text>  (no faults)</Text>
      ) : (
        failure.faults.map((f, i) => <Text key={i}>  {formatFault(f)}</Text>)
      )}
      <Text bold>assertion</Text>
      <Box marginLeft={2}>
        <Text>{failure.message}</Text>
      </Box>
      <Text bold>events around the injected fault</Text>
      {failure.excerpt.length === 0 ? (
        <Text dimColor>  (no events recorded)</Text>
      ) : (
        failure.excerpt.map((line, i) => <Text key={i}>  {line}</Text>)
      )}
      {failure.serviceLog ? (
        <>
          <Text bold>last lines of {failure.serviceLog.service}'s log</Text>
          {failure.serviceLog.lines.map((line, i) => (
            <Text key={i} dimColor>
              {'  | '}
              {line}
            </Text>
          ))}
        </>
      ) : null}
      <Text>
        <Text bold>replay</Text> {failure.replay}
      </Text>
      <Text>
        <Text bold>regression</Text> {failure.regression ?? '(not exported)'}
      </Text>
    </Box>
  );
}
