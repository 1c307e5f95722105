// What the CLI wires for an interactive terminal: mount the Ink app and hand back the
// ProgressListener to pass to the campaign.
import { render } from 'ink';
import type { ProgressListener } from '../explorer/progress.js';
import { createCampaignStore } from './campaign-store.js';
import { ExploreApp } from './explore-app.js';

export interface ExploreUiOptions {
  /** Called once when the person presses `q` (or Ctrl+C): abort the campaign cleanly. */
  readonly onQuit: () => void;
  readonly stdout?: NodeJS.WriteStream;
  readonly stdin?: NodeJS.ReadStream;
  readonly stderr?: NodeJS.WriteStream;
  /** Wall clock, injectable for tests. */
  readonly now?: () => number;
}

export interface ExploreUi {
  readonly listener: ProgressListener;
  /** Resolves after the `done` event has been drawn (or a second Ctrl+C while stopping, or close()). */
  waitUntilExit(): Promise<void>;
  /** Takes the UI down without a `done` event, e.g. when the campaign threw; the terminal is restored. */
  close(): void;
}

export function renderExploreUi(options: ExploreUiOptions): ExploreUi {
  const store = createCampaignStore(options.now);
  const instance = render(<ExploreApp store={store} onQuit={options.onQuit} />, {
    stdout: options.stdout ?? process.stdout,
    stdin: options.stdin ?? process.stdin,
    stderr: options.stderr ?? process.stderr,
    // Ctrl+C is a stop request handled by the app, not an instant exit that orphans the campaign.
    exitOnCtrlC: false,
  });
  return {
    listener: store.listener,
    waitUntilExit: async () => {
      await instance.waitUntilExit();
    },
    close: () => instance.unmount(),
  };
}
