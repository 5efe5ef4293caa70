/**
 * The sessions a Create Session node made that are still open, so the node's close handler can
 * delete them when the flow stops or is redeployed. A session that any node deletes (its output
 * drops the session) is forgotten here, whichever node deleted it, so it is not deleted twice.
 */
import type { AgentBayClient } from '../core/client/client';
import { RELEASE_TIMEOUT_MS, releaseSession } from '../core/release-session';

/** Beyond this many open sessions per node, new ones are not tracked (and a warning says so). */
export const MAX_TRACKED_SESSIONS = 10_000;

/** Session id → the node's set that tracks it; lets any node forget a session it deleted. */
const trackerOf = new Map<string, OpenSessions>();

export class OpenSessions {
  /** Session id → the client that made it, still usable when the config node has been replaced. */
  private readonly sessions = new Map<string, AgentBayClient>();

  /** Returns false when the limit is reached and the session is not tracked. */
  track(sessionId: string, client: AgentBayClient): boolean {
    if (this.sessions.size >= MAX_TRACKED_SESSIONS) return false;
    this.sessions.set(sessionId, client);
    trackerOf.set(sessionId, this);
    return true;
  }

  get size(): number {
    return this.sessions.size;
  }

  /** The session was deleted (by any node): nothing to clean up for it any more. */
  static forget(sessionId: string): void {
    trackerOf.get(sessionId)?.sessions.delete(sessionId);
    trackerOf.delete(sessionId);
  }

  /**
   * Deletes every tracked session in parallel (DeleteSessionAsync, not waiting for the sessions
   * to be gone), within `timeoutMs` in all. Failures go to `warn`; this never throws.
   */
  async deleteAll(warn: (text: string) => void, timeoutMs = RELEASE_TIMEOUT_MS): Promise<void> {
    const open = [...this.sessions];
    this.sessions.clear();
    for (const [sessionId] of open) trackerOf.delete(sessionId);
    if (open.length === 0) return;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    const deletions = Promise.all(
      open.map(([sessionId, client]) =>
        releaseSession(client, sessionId, { timeoutMs }).catch((error: unknown) =>
          warn(`could not delete session ${sessionId}: ${error instanceof Error ? error.message : String(error)}`),
        ),
      ),
    );
    try {
      if ((await Promise.race([deletions, deadline])) === 'timeout') {
        warn(`gave up waiting for the deletion of ${open.length} session(s) after ${timeoutMs} ms`);
      }
    } finally {
      clearTimeout(timer);
    }
  }
}
