// Title line and the phase track: which stage of the campaign is running, and whether a stop
// was requested.
import { Box, Text } from 'ink';
import type { CampaignSummary, Phase } from '../../explorer/campaign/progress.js';
import { formatStoppedBy, PHASE_LABELS, PHASE_ORDER } from '../../report/summary-text.js';

export interface PhaseHeaderProps {
  readonly phase?: Phase;
  readonly stopping: boolean;
  readonly stoppedBy?: CampaignSummary['stoppedBy'];
}

export function PhaseHeader({ phase, stopping, stoppedBy }: PhaseHeaderProps) {
  const current = phase === undefined ? -1 : PHASE_ORDER.indexOf(phase);
  return (
    <Box flexDirection="column">
      <Text>
        <Text bold>faultbox explore</Text>
        <Text> · phase: {phase === undefined ? 'starting' : PHASE_LABELS[phase]}</Text>
        {stoppedBy !== undefined && <Text> · {formatStoppedBy(stoppedBy)}</Text>}
        {stopping && <Text color="yellow"> · stopping…</Text>}
      </Text>
      <Text>
        {PHASE_ORDER.map((p, i) => (
          <Text key={p}>
            {i > 0 && <Text dimColor> › </Text>}
            {i === current ? (
              <Text bold color="cyan">[{PHASE_LABELS[p]}]</Text>
            ) : (
              <Text dimColor={i > current}>{PHASE_LABELS[p]}</Text>
            )}
          </Text>
        ))}
      </Text>
    </Box>
  );
}
