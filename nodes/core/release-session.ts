/**
 * Deletes a session the package itself made and must not leave behind (a temporary session, a
 * Node-RED flow's sessions when the flow stops), through the catalogue's Delete Session.
 */
import type { AgentBayClient, Clock } from './client/client';
import { systemClock } from './client/client';
import { deleteSession } from './catalogue/operations/delete-session';
import { prepareInput } from './catalogue/validation';
import type { RuntimeText } from './catalogue/runtime-texts';

/** Clean-up gets this long at most: it runs when a flow stops or a node finishes, so it must not hang. */
export const RELEASE_TIMEOUT_MS = 10_000;

export interface ReleaseOptions {
  timeoutMs?: number;
  clock?: Clock;
  progress?: (text: string | RuntimeText) => void;
}

/**
 * Sends DeleteSessionAsync without waiting for the session to be gone. It has its own time bound
 * and no caller's signal: it must also run when the caller was cancelled.
 */
export async function releaseSession(client: AgentBayClient, sessionId: string, options: ReleaseOptions = {}): Promise<void> {
  const signal = AbortSignal.timeout(options.timeoutMs ?? RELEASE_TIMEOUT_MS);
  await deleteSession.execute(
    { client, clock: options.clock ?? systemClock, session: { sessionId }, progress: options.progress ?? (() => undefined), signal },
    prepareInput(deleteSession, { waitForDeletion: false }),
  );
}
