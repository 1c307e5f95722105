// How long the campaign may go on: a run count for exploration cases (`--runs`), a wall-clock
// budget (`--budget`) that is a hard stop, and the user's own stop. `signal` aborts at the deadline
// so the case in flight is cancelled, not waited for.
export type StopReason = 'runs' | 'budget' | 'user';

export interface BudgetOptions {
  /** Max exploration cases (known replays, singles, combinations); shrinking is not counted. */
  readonly runs?: number;
  readonly budgetMs?: number;
  /** Largest share of the budget the triage reserve may take (default 0.25). */
  readonly shrinkReserve?: number;
  readonly userSignal?: AbortSignal;
  readonly now?: () => number;
}

export class Budget {
  readonly signal: AbortSignal;
  private readonly controller = new AbortController();
  private readonly startedAt: number;
  private readonly now: () => number;
  private timer: NodeJS.Timeout | undefined;
  private explorationRuns = 0;
  private deadlinePassed = false;
  private readonly onUserAbort = () => this.controller.abort(new Error('stopped by user'));

  constructor(private readonly opts: BudgetOptions = {}) {
    this.now = opts.now ?? Date.now;
    this.startedAt = this.now();
    this.signal = this.controller.signal;
    if (opts.userSignal?.aborted) this.controller.abort(new Error('stopped by user'));
    opts.userSignal?.addEventListener('abort', this.onUserAbort, { once: true });
    if (opts.budgetMs !== undefined) {
      this.timer = setTimeout(() => {
        this.deadlinePassed = true;
        this.controller.abort(new Error('budget exhausted'));
      }, Math.max(0, opts.budgetMs));
      this.timer.unref?.();
    }
  }

  elapsedMs(): number {
    return this.now() - this.startedAt;
  }

  get budgetMs(): number | undefined {
    return this.opts.budgetMs;
  }

  noteExplorationRun(): void {
    this.explorationRuns++;
  }

  get runsDone(): number {
    return this.explorationRuns;
  }

  /** Why the whole campaign must stop now, if it must. */
  hardStop(): 'budget' | 'user' | undefined {
    if (this.opts.userSignal?.aborted) return 'user';
    if (this.deadlinePassed || (this.opts.budgetMs !== undefined && this.elapsedMs() >= this.opts.budgetMs)) return 'budget';
    if (this.signal.aborted) return 'user';
    return undefined;
  }

  /**
   * Why exploration (not triage) must stop before the next case, if it must: the time left is
   * no more than `reserveMs` (what triaging one more finding is expected to take, capped at
   * `shrinkReserve` of the budget), so a finding met now could not be confirmed and shrunk.
   */
  explorationStop(reserveMs: number): StopReason | undefined {
    const hard = this.hardStop();
    if (hard) return hard;
    if (this.opts.runs !== undefined && this.explorationRuns >= this.opts.runs) return 'runs';
    if (this.opts.budgetMs !== undefined) {
      const reserve = Math.min(reserveMs, this.opts.budgetMs * (this.opts.shrinkReserve ?? 0.25));
      if (this.opts.budgetMs - this.elapsedMs() <= reserve) return 'budget';
    }
    return undefined;
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.opts.userSignal?.removeEventListener('abort', this.onUserAbort);
  }
}
