// What the CLI wires for an interactive terminal: mount the Ink app and hand back the
// ProgressListener to pass to the campaign.
import { render } from 'ink';
import type { ProgressListener } from '../explorer/campaign/progress.js';
import { createCampaignStore } from './campaign-store.js';
import { ExploreApp } from './explore-app.js';
import { holdStderr, type StderrHold } from './stderr-hold.js';

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
  /** Shows a line in the screen's log (service messages, notices) without tearing the screen. */
  log(line: string): void;
  /** Resolves after the `done` event has been drawn (or a second Ctrl+C while stopping, or close()). */
  waitUntilExit(): Promise<void>;
  /** Takes the UI down without a `done` event, e.g. when the campaign threw; the terminal is restored. */
  close(): void;
}

export function renderExploreUi(options: ExploreUiOptions): ExploreUi {
  const store = createCampaignStore(options.now);
  const log = (line: string) => store.listener({ type: 'log', line });
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  // Only a stderr on the same screen can tear it; a redirected one is left alone.
  const hold: StderrHold | undefined = stdout.isTTY && stderr.isTTY ? holdStderr(stderr, log) : undefined;
  const instance = render(<ExploreApp store={store} onQuit={options.onQuit} />, {
    stdout,
    stdin: options.stdin ?? process.stdin,
    stderr,
    // Ctrl+C is a stop request handled by the app, not an instant exit that orphans the campaign.
    exitOnCtrlC: false,
  });
  // Whichever way the screen goes (done drawn, second Ctrl+C, close()), stderr is given back.
  const release = () => hold?.release();
  instance.waitUntilExit().then(release, release);
  return {
    listener: store.listener,
    log,
    waitUntilExit: async () => {
      await instance.waitUntilExit();
    },
    close: () => {
      instance.unmount();
      release();
    },
  };
}
