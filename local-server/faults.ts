/**
 * Fault and latency injection for tests and benchmarks. Off unless options are set. Counting is
 * per Action request (every `/` request whose body was read), starting at 1, so
 * `throttleEveryN: 3` hits the 3rd, 6th, ... request; with `onlyActions`, only those Actions count
 * and get faults. `setFaults` resets the counter so tests are deterministic.
 *
 * Faults come in two kinds. "Before" faults (drop, 5xx, throttle, an error inside a 200 answer)
 * answer instead of the Action, so it never runs. "After" faults let the Action run and then lose its answer (5xx, dropped socket,
 * a body that is not JSON, an answer held back past the client's timeout): the client cannot tell
 * whether it ran, which is what a lost CreateMcpSession looks like.
 */
import { ApiError } from './protocol/errors';

export interface FaultOptions {
  /** Only these Actions count and get faults (latency included). Default: every Action. */
  onlyActions?: string[];
  /** At most this many faults in all (latency aside), e.g. 1 for "the first delete fails once". Default: no limit. */
  maxFaults?: number;
  /** Delay before every answer (before the Action runs). */
  latencyMs?: number;
  /** Every Nth request: HTTP 400, Code `Throttling.User`, header `x-acs-retry-after`. */
  throttleEveryN?: number;
  /** The `x-acs-retry-after` seconds of throttled answers. Default 1. */
  throttleRetryAfterSeconds?: number;
  /** Every Nth request: HTTP 503, Code `ServiceUnavailable`. */
  serverErrorEveryN?: number;
  /** Every Nth request: the socket is destroyed without an answer. */
  dropEveryN?: number;
  /**
   * Every Nth request: HTTP 200 whose envelope says it failed, `Success:false`, Code `InternalError`,
   * `HttpStatusCode` 500 (an error a gateway reports in the body rather than the status line).
   */
  successFalseEveryN?: number;
  /** Every Nth request runs, then gets HTTP 503 `ServiceUnavailable` instead of its answer. */
  serverErrorAfterEveryN?: number;
  /** Every Nth request runs, then its socket is destroyed without an answer. */
  dropAfterEveryN?: number;
  /** Every Nth request runs, then gets HTTP 502 with an HTML body (a proxy's error page). */
  notJsonAfterEveryN?: number;
  /** Every Nth request runs, then its answer is held back `slowAfterMs` (past a client's timeout). */
  slowAfterEveryN?: number;
  /** How long `slowAfterEveryN` holds an answer back. Default 5000 ms. */
  slowAfterMs?: number;
}

export type FaultDecision =
  | { kind: 'none' }
  | { kind: 'drop' }
  | { kind: 'error'; error: ApiError }
  | { kind: 'errorIn200'; error: ApiError }
  | { kind: 'errorAfter'; error: ApiError }
  | { kind: 'dropAfter' }
  | { kind: 'notJsonAfter' }
  | { kind: 'slowAfter'; ms: number };

function hits(every: number | undefined, count: number): boolean {
  return every !== undefined && every > 0 && count % every === 0;
}

const serviceUnavailable = (): ApiError => new ApiError('ServiceUnavailable', 'Injected fault: the service is unavailable.', 503);

/** How many requests counted towards faults (only the `onlyActions` Actions, when given) and how many got one. */
export interface FaultStats {
  requests: number;
  faults: number;
  /** Most counted Action requests being handled at the same time (a test of client concurrency). */
  maxInFlight: number;
}

export class FaultInjector {
  private options: FaultOptions = {};
  private count = 0;
  private injected = 0;
  private inFlight = 0;
  private maxInFlight = 0;

  constructor(options: FaultOptions = {}) {
    this.set(options);
  }

  set(options: FaultOptions): void {
    this.options = { ...options, onlyActions: options.onlyActions ? [...options.onlyActions] : undefined };
    this.count = 0;
    this.injected = 0;
    this.maxInFlight = this.inFlight;
  }

  private applies(action: string): boolean {
    return this.options.onlyActions === undefined || this.options.onlyActions.includes(action);
  }

  /** Since the last `set`: lets a test check the fault it asked for was injected, and how often the Action came. */
  stats(): FaultStats {
    return { requests: this.count, faults: this.injected, maxInFlight: this.maxInFlight };
  }

  /** A counted Action request starts being handled; call the returned function when it is answered. */
  enter(action: string): () => void {
    if (!this.applies(action)) return () => undefined;
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    let left = false;
    return () => {
      if (left) return;
      left = true;
      this.inFlight -= 1;
    };
  }

  latencyFor(action: string): number {
    return this.applies(action) ? Math.max(0, this.options.latencyMs ?? 0) : 0;
  }

  /**
   * Called once per Action request; the first matching fault wins, in the order drop, 5xx,
   * throttle, error in a 200 answer, then the after-faults (drop, 5xx, not JSON, slow).
   */
  next(action: string): FaultDecision {
    if (!this.applies(action)) return { kind: 'none' };
    this.count += 1;
    if (this.options.maxFaults !== undefined && this.injected >= this.options.maxFaults) return { kind: 'none' };
    const decision = this.decide();
    if (decision.kind !== 'none') this.injected += 1;
    return decision;
  }

  private decide(): FaultDecision {
    const o = this.options;
    if (hits(o.dropEveryN, this.count)) return { kind: 'drop' };
    if (hits(o.serverErrorEveryN, this.count)) return { kind: 'error', error: serviceUnavailable() };
    if (hits(o.throttleEveryN, this.count)) {
      const error = new ApiError('Throttling.User', 'Injected fault: request was denied due to user flow control.', 400, {
        'x-acs-retry-after': String(o.throttleRetryAfterSeconds ?? 1),
      });
      return { kind: 'error', error };
    }
    if (hits(o.successFalseEveryN, this.count)) {
      return { kind: 'errorIn200', error: new ApiError('InternalError', 'Injected fault: the service failed internally.', 500) };
    }
    if (hits(o.dropAfterEveryN, this.count)) return { kind: 'dropAfter' };
    if (hits(o.serverErrorAfterEveryN, this.count)) return { kind: 'errorAfter', error: serviceUnavailable() };
    if (hits(o.notJsonAfterEveryN, this.count)) return { kind: 'notJsonAfter' };
    if (hits(o.slowAfterEveryN, this.count)) return { kind: 'slowAfter', ms: Math.max(0, o.slowAfterMs ?? 5000) };
    return { kind: 'none' };
  }
}
