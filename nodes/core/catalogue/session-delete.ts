/**
 * Deleting a session, shared by Delete Session, Delete Idle Sessions and Create Session's own
 * clean-up. DeleteSessionAsync is safe to repeat, so the client retries it after a 5xx, a dropped
 * connection or a timeout; a NotFound on such a retry means an earlier attempt already deleted it.
 */
import type { AgentBayClient } from '../client/client';
import { AgentBayError } from '../client/errors';
import { str } from './session-api';
import { forgetToolList } from './tool-servers';

export interface DeleteOutcome {
  requestId: string;
  /** The session was already gone when a retry reached the service (an earlier attempt worked). */
  goneOnRetry: boolean;
}

export async function deleteSessionWithRetry(
  client: AgentBayClient,
  sessionId: string,
  signal?: AbortSignal,
): Promise<DeleteOutcome> {
  let retried = false;
  forgetToolList(client, sessionId);
  try {
    const envelope = await client.call('DeleteSessionAsync', { SessionId: sessionId }, {
      signal,
      onRetry: () => {
        retried = true;
      },
    });
    return { requestId: str(envelope.RequestId), goneOnRetry: false };
  } catch (error) {
    if (retried && error instanceof AgentBayError && error.isNotFound) return { requestId: error.requestId, goneOnRetry: true };
    throw error;
  }
}
