/**
 * The test suite's one way to wait. `waitFor` polls until something holds (bounded, and the
 * failure says what did not happen); `sleep` only lets time pass for checks that something did
 * NOT happen in that time (a loop that must not start, a retry that must not come).
 */

/**
 * Polls `check` until it returns a truthy value, which it returns; fails after `timeoutMs` naming
 * `what` (a function is read at that moment, so it can show the output so far). An error thrown
 * by `check` ends the wait at once (e.g. the process being waited on has exited).
 */
export async function waitFor<T>(
  check: () => T | Promise<T>,
  timeoutMs = 5000,
  what: string | (() => string) = 'condition',
  intervalMs = 25,
): Promise<Exclude<T, false | null | undefined | 0 | ''>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as Exclude<T, false | null | undefined | 0 | ''>;
    if (Date.now() >= deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${typeof what === 'function' ? what() : what}`);
    await sleep(intervalMs);
  }
}

/** Lets `ms` pass. Only for absence checks; to wait for something to happen use waitFor. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
