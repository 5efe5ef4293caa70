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
