// The bottom line: which keys do what on this screen, or that a stop is under way.
import { Text } from 'ink';

export interface KeyHintsProps {
  readonly screen: 'list' | 'detail' | 'final';
  readonly stopping: boolean;
}

export function KeyHints({ screen, stopping }: KeyHintsProps) {
  if (stopping) return <Text color="yellow">stopping… waiting for the campaign to wind down</Text>;
  if (screen === 'final') return null;
  const hints = screen === 'list' ? '↑/↓ select · Enter details · q stop' : 'Esc/Backspace back · q stop';
  return <Text dimColor>{hints}</Text>;
}
