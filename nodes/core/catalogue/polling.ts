/**
 * Bounded polling, as the SDK does for deletion, pause/resume and context sync. Shows each wait
 * through `progress` so a user watching the flow sees why the node is still busy.
 */
import type { Clock } from '../client/client';
import { AgentBayError } from '../client/errors';
import { englishOf, runtimeText, type RuntimeText } from './runtime-texts';

export interface PollOptions<T> {
  clock: Clock;
  /** Delay before the second check; the first check is immediate. */
  intervalMs: number;
  /** Multiplier applied to the interval after each check (1 = fixed). */
  backoff?: number;
  maxIntervalMs?: number;
  timeoutMs: number;
  /** What we are waiting for, for progress and the timeout error. */
  label: string | RuntimeText;
  progress?: (text: string | RuntimeText) => void;
  signal?: AbortSignal;
  /** Returns a value when done, `undefined` to keep waiting. */
  check: () => Promise<T | undefined>;
}

export async function pollUntil<T>(options: PollOptions<T>): Promise<T> {
  const started = options.clock.now().getTime();
  let interval = options.intervalMs;
  for (let attempt = 1; ; attempt++) {
    const result = await options.check();
    if (result !== undefined) return result;
    const elapsed = options.clock.now().getTime() - started;
    if (elapsed + interval > options.timeoutMs) {
      throw new AgentBayError(`Timeout waiting for ${englishOf(options.label)} after ${options.timeoutMs}ms`, {
        code: 'WaitTimeout',
        retryable: true,
      });
    }
    options.progress?.(runtimeText('waitingFor', { label: options.label, seconds: Math.round(elapsed / 1000) }));
    await options.clock.sleep(interval, options.signal);
    interval = Math.min(interval * (options.backoff ?? 1), options.maxIntervalMs ?? Number.POSITIVE_INFINITY);
  }
}
