/**
 * Fault and latency injection for tests and benchmarks. Off unless options are set. Counting is
 * per Action request (every `/` request), starting at 1, so `throttleEveryN: 3` hits the 3rd,
 * 6th, ... request. `setFaults` resets the counter so tests are deterministic.
 */
import { ApiError } from './protocol/errors';

export interface FaultOptions {
  /** Delay before every answer. */
  latencyMs?: number;
  /** Every Nth request: HTTP 400, Code `Throttling.User`, header `x-acs-retry-after: 1`. */
  throttleEveryN?: number;
  /** Every Nth request: HTTP 503, Code `ServiceUnavailable`. */
  serverErrorEveryN?: number;
  /** Every Nth request: the socket is destroyed without an answer. */
  dropEveryN?: number;
}

export type FaultDecision = { kind: 'none' } | { kind: 'drop' } | { kind: 'error'; error: ApiError };

function hits(every: number | undefined, count: number): boolean {
  return every !== undefined && every > 0 && count % every === 0;
}

export class FaultInjector {
  private options: FaultOptions = {};
  private count = 0;

  constructor(options: FaultOptions = {}) {
    this.set(options);
  }

  set(options: FaultOptions): void {
    this.options = { ...options };
    this.count = 0;
  }

  get latencyMs(): number {
    return Math.max(0, this.options.latencyMs ?? 0);
  }

  /** Called once per Action request; the first matching fault wins (drop, 5xx, throttle). */
  next(): FaultDecision {
    this.count += 1;
    const { dropEveryN, serverErrorEveryN, throttleEveryN } = this.options;
    if (hits(dropEveryN, this.count)) return { kind: 'drop' };
    if (hits(serverErrorEveryN, this.count)) {
      return { kind: 'error', error: new ApiError('ServiceUnavailable', 'Injected fault: the service is unavailable.', 503) };
    }
    if (hits(throttleEveryN, this.count)) {
      const error = new ApiError('Throttling.User', 'Injected fault: request was denied due to user flow control.', 400, {
        'x-acs-retry-after': '1',
      });
      return { kind: 'error', error };
    }
    return { kind: 'none' };
  }
}
