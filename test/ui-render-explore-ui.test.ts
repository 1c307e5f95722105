// The CLI's entry to the UI: renderExploreUi mounts the app on the given streams, hands back a
// ProgressListener, calls onQuit on `q`, and waitUntilExit resolves once `done` is drawn.
import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { faultFromJson } from '../src/explorer/corpus/fault-json.js';
import type { CampaignSummary } from '../src/explorer/campaign/progress.js';
import { renderExploreUi } from '../src/ui/render-explore-ui.js';

class TerminalOut extends EventEmitter {
  readonly columns = 100;
  readonly rows = 40;
  readonly isTTY = true;
  readonly chunks: string[] = [];
  write(chunk: string): boolean {
    this.chunks.push(chunk);
    return true;
  }
}

class TerminalIn extends EventEmitter {
  readonly isTTY = true;
  private pending: string[] = [];
  readonly rawModes: boolean[] = [];
  type(text: string): void {
    this.pending.push(text);
    this.emit('readable');
  }
  read(): string | null {
    return this.pending.shift() ?? null;
  }
  setRawMode(on: boolean): this {
    this.rawModes.push(on);
    return this;
  }
  setEncoding(): this {
    return this;
  }
  ref(): this {
    return this;
  }
  unref(): this {
    return this;
  }
  resume(): this {
    return this;
  }
  pause(): this {
    return this;
  }
}

const settle = async () => {
  for (let i = 0; i < 3; i++) await new Promise((resolve) => setImmediate(resolve));
};

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('condition not reached within 3 s');
}

describe('renderExploreUi', () => {
  it('draws events, forwards q to onQuit, and exits after done', async () => {
    const stdout = new TerminalOut();
    const stdin = new TerminalIn();
    const onQuit = vi.fn();
    const ui = renderExploreUi({
      onQuit,
      stdout: stdout as unknown as NodeJS.WriteStream,
      stderr: new TerminalOut() as unknown as NodeJS.WriteStream,
      stdin: stdin as unknown as NodeJS.ReadStream,
      now: () => 0,
    });
    let exited = false;
    const exit = ui.waitUntilExit().then(() => {
      exited = true;
    });

    ui.listener({ type: 'phase', phase: 'singles', atMs: 0 });
    ui.listener({ type: 'case-start', index: 1, scenario: 'checkout', faults: [faultFromJson({ service: 'postgres', syscall: 'fsync', action: 'deny', errno: 'EIO' })] });
    // Ink throttles terminal writes (30 fps), so wait for the frame rather than a fixed time.
    await until(() => stdout.chunks.join('').includes('postgres fsync=deny(EIO)'));

    stdin.type('q');
    await settle();
    expect(onQuit).toHaveBeenCalledTimes(1);
    expect(exited).toBe(false);

    const summary: CampaignSummary = {
      seed: 7, runs: 1, vacuous: 0, durationMs: 1_000, scenarios: ['checkout'], failures: [], coverage: [], stoppedBy: 'user',
    };
    ui.listener({ type: 'done', summary });
    await exit;
    expect(exited).toBe(true);
    expect(stdout.chunks.join('')).toContain('stopped by user');
    // Raw mode was switched on for keys and back off on exit, leaving the terminal usable.
    expect(stdin.rawModes[0]).toBe(true);
    expect(stdin.rawModes.at(-1)).toBe(false);
  });

  it('close() takes the UI down when the campaign fails without a done event', async () => {
    const stdin = new TerminalIn();
    const ui = renderExploreUi({
      onQuit: () => {},
      stdout: new TerminalOut() as unknown as NodeJS.WriteStream,
      stderr: new TerminalOut() as unknown as NodeJS.WriteStream,
      stdin: stdin as unknown as NodeJS.ReadStream,
    });
    ui.listener({ type: 'phase', phase: 'record', atMs: 0 });
    await settle();
    ui.close();
    await ui.waitUntilExit();
    expect(stdin.rawModes.at(-1)).toBe(false);
  });
});
