/** Waits for `p`, but never longer than `ms` (the timer is cleared so it does not hold the loop). */
export function waitAtMost(p: Promise<unknown>, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    void p.then(
      () => {
        clearTimeout(timer);
        resolve();
      },
      () => {
        clearTimeout(timer);
        resolve();
      },
    );
  });
}

/** A timeout whose clock can be stopped and restarted (a paused session's time is not a command's). */
export class PausableTimeout {
  private timer: NodeJS.Timeout | undefined;
  private remainingMs: number;
  private armedAt = 0;
  private stopped = false;
  private cleared = false;

  constructor(ms: number, private readonly onTimeout: () => void) {
    this.remainingMs = ms;
    this.arm();
  }

  pause(): void {
    if (this.cleared || this.stopped) return;
    this.stopped = true;
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
      this.remainingMs -= Date.now() - this.armedAt;
    }
  }

  resume(): void {
    if (this.cleared || !this.stopped) return;
    this.stopped = false;
    this.arm();
  }

  clear(): void {
    this.cleared = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private arm(): void {
    this.armedAt = Date.now();
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.onTimeout();
    }, Math.max(0, this.remainingMs));
  }
}

/**
 * A command's pause and resume, signalled one after the other: a pause still scanning /proc for its
 * processes must not land after a resume issued meanwhile, or the command would stay frozen until its
 * timeout. The timeout clock stops while paused; a pause that comes in during a resume keeps it stopped.
 */
export class OrderedPause {
  private paused = false;
  /** The last pause/resume signalling step; the next one waits for it. */
  private signalling: Promise<void> = Promise.resolve();

  constructor(
    private readonly finished: () => boolean,
    private readonly clock: () => PausableTimeout | undefined,
    private readonly freeze: () => Promise<void>,
    private readonly thaw: () => Promise<void>,
  ) {}

  pause(): Promise<void> {
    if (this.finished() || this.paused) return this.signalling;
    this.paused = true;
    this.clock()?.pause();
    return this.inOrder(this.freeze);
  }

  resume(): Promise<void> {
    if (!this.paused) return this.signalling;
    this.paused = false;
    if (this.finished()) return this.signalling;
    return this.inOrder(async () => {
      await this.thaw();
      if (!this.paused) this.clock()?.resume();
    });
  }

  private inOrder(step: () => Promise<void>): Promise<void> {
    this.signalling = this.signalling.then(step, step);
    return this.signalling;
  }
}
