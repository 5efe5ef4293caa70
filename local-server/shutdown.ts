/**
 * One way out for the long-running processes (`agentbay-local`, and the dev scripts `npm start`,
 * `npm run demo`): Ctrl-C, `kill`, a closed terminal and a closed output pipe all run the same
 * asynchronous stop, and whatever the stop could not finish (a crash, a second Ctrl-C) is cleaned up
 * synchronously when the process exits.
 *
 * A closed pipe matters because `npm start | tee log` followed by Ctrl-C kills `tee` first: the next
 * log line then fails with EPIPE, which without a listener is an uncaught error that skips every
 * cleanup and leaves the local server's temp directory behind.
 */
export type StopReason = 'SIGINT' | 'SIGTERM' | 'SIGHUP' | 'closed output';

export interface ShutdownOptions {
  /** Graceful stop (Node-RED, sessions, server). Its result is the exit code. */
  stop(reason: StopReason): Promise<number>;
  /** Synchronous last resort, run on every exit (must be idempotent and must not throw). */
  onExit(): void;
}

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
/**
 * Ctrl-C under `npm start` delivers SIGINT twice (the terminal signals the process group, and npm
 * forwards its own copy), so only a signal that comes this much later means "stop waiting".
 */
const REPEAT_GRACE_MS = 1000;

export function installShutdown(options: ShutdownOptions): void {
  let stopping = false;
  let stoppedAt = 0;
  const begin = (reason: StopReason): void => {
    if (stopping) {
      // A deliberate second signal: give up waiting; onExit still cleans up.
      if (reason !== 'closed output' && Date.now() - stoppedAt > REPEAT_GRACE_MS) process.exit(1);
      return;
    }
    stopping = true;
    stoppedAt = Date.now();
    options.stop(reason).then(
      (code) => process.exit(code),
      () => process.exit(1),
    );
  };
  for (const signal of SIGNALS) process.on(signal, () => begin(signal));
  const onStreamError = (error: NodeJS.ErrnoException): void => {
    // The reader is gone: keep quiet (further writes fail the same way) and stop as on Ctrl-C.
    if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') {
      begin('closed output');
      return;
    }
    throw error;
  };
  process.stdout.on('error', onStreamError);
  process.stderr.on('error', onStreamError);
  process.on('exit', () => {
    try {
      options.onExit();
    } catch {
      // exiting anyway; nothing left to report to
    }
  });
}
