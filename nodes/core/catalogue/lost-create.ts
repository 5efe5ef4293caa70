/**
 * A CreateMcpSession whose answer was lost (timeout, dropped connection, 5xx, a body that is not
 * JSON) may still have made a session, which nobody would know about or delete. Every create
 * carries a unique client token as a label; after a lost answer the session is looked up by that
 * label (ListSession, bounded polling) instead of repeating the create, which could make a second.
 */
import { AgentBayError } from '../client/errors';
import { deleteSessionWithRetry } from './session-delete';
import { asRecord, str } from './session-api';
import type { OperationContext } from './types';
import { runtimeText } from './runtime-texts';

/** Label the package puts on every session it creates: a fresh UUID per create. */
export const CLIENT_TOKEN_LABEL = 'agentbay-client-token';
/** Label the package puts on every session it creates: the creation time, ISO 8601 UTC. */
export const CREATED_AT_LABEL = 'agentbay-created-at';

export const DEFAULT_LOOKUP_WINDOW_S = 30;
const FIRST_LOOKUP_DELAY_MS = 1000;
const MAX_LOOKUP_DELAY_MS = 8000;

export interface CreatedSession {
  requestId: string;
  /** The create's `Data`, or GetSession's for a session found by its token. */
  data: Record<string, unknown>;
  /** Found by the client token after the create's answer was lost. */
  recovered: boolean;
}

/**
 * Whether the create may have run although no usable answer came back. Throttling and other
 * error answers mean the service refused it; an abort never happens (the create is not aborted).
 */
export function createMayHaveRun(error: unknown): error is AgentBayError {
  // Throttled, or refused before a byte was sent: the service did not run it.
  if (!(error instanceof AgentBayError) || error.throttled || error.notSent) return false;
  if (error.code === 'Timeout' || error.code === 'NetworkError' || error.code === 'InvalidResponse') return true;
  return (error.httpStatus ?? 0) >= 500;
}

/** Session ids carrying the token, in creation order (ListSession never signalled: see `findLostSession`). */
async function sessionsWithToken(context: OperationContext, token: string, signal?: AbortSignal): Promise<string[]> {
  const envelope = await context.client.call(
    'ListSession',
    { Labels: JSON.stringify({ [CLIENT_TOKEN_LABEL]: token }), MaxResults: 10 },
    { signal },
  );
  const items = Array.isArray(envelope.Data) ? envelope.Data : [];
  return items.map((item) => str(asRecord(item).SessionId)).filter((id) => id !== '');
}

/** Keeps the first session (there should be only one) and deletes any other carrying the token. */
async function adopt(context: OperationContext, ids: string[]): Promise<CreatedSession> {
  const [sessionId, ...extra] = ids;
  for (const id of extra) await deleteSessionWithRetry(context.client, id).catch(() => undefined);
  try {
    const envelope = await context.client.call('GetSession', { SessionId: sessionId }, { signal: context.signal });
    return { requestId: str(envelope.RequestId), data: { ...asRecord(envelope.Data), SessionId: sessionId }, recovered: true };
  } catch (error) {
    if (error instanceof AgentBayError && error.code === 'Aborted') throw error;
    // The session exists; its details are a nicety. Returning it beats failing and orphaning it.
    return { requestId: '', data: { SessionId: sessionId }, recovered: true };
  }
}

/**
 * The flow was cancelled while looking: one last unsignalled look, and whatever carries the
 * token is deleted, so a cancelled create leaves nothing behind.
 */
async function releaseOnCancel(context: OperationContext, token: string): Promise<never> {
  const ids = await sessionsWithToken(context, token).catch(() => [] as string[]);
  for (const id of ids) await deleteSessionWithRetry(context.client, id).catch(() => undefined);
  throw new AgentBayError(
    `Cancelled while looking for the session of a create whose answer was lost (label ${CLIENT_TOKEN_LABEL}=${token}); ` +
      (ids.length > 0 ? `session ${ids.join(', ')} was deleted again` : 'no session was found'),
    { code: 'Aborted' },
  );
}

/**
 * Looks for the session made by the lost create: now, then after 1, 2, 4, 8, 8, ... s, for up to
 * `windowS` seconds. Returns it as if the create had answered, or throws: `SessionNotCreated`
 * when every look found nothing, `CreateOutcomeUnknown` when the looks themselves failed.
 */
export async function findLostSession(
  context: OperationContext,
  token: string,
  cause: AgentBayError,
  windowS: number,
): Promise<CreatedSession> {
  const windowMs = windowS * 1000;
  const started = context.clock.now().getTime();
  let delay = FIRST_LOOKUP_DELAY_MS;
  let lastLookupError: unknown;
  let looked = false;
  context.progress(runtimeText('createAnswerLost', { code: cause.code }));
  try {
    for (;;) {
      try {
        const ids = await sessionsWithToken(context, token, context.signal);
        looked = true;
        lastLookupError = undefined;
        if (ids.length > 0) return await adopt(context, ids);
      } catch (error) {
        if (error instanceof AgentBayError && error.code === 'Aborted') throw error;
        lastLookupError = error;
      }
      const elapsed = context.clock.now().getTime() - started;
      if (elapsed + delay > windowMs) break;
      context.progress(runtimeText('lookingForLostSession', { seconds: Math.round(elapsed / 1000) }));
      await context.clock.sleep(delay, context.signal);
      delay = Math.min(delay * 2, MAX_LOOKUP_DELAY_MS);
    }
  } catch (error) {
    if (error instanceof AgentBayError && error.code === 'Aborted') return releaseOnCancel(context, token);
    throw error;
  }
  const label = `${CLIENT_TOKEN_LABEL}=${token}`;
  if (lastLookupError !== undefined || !looked) {
    const reason = lastLookupError instanceof Error ? lastLookupError.message : String(lastLookupError);
    throw new AgentBayError(
      `Create Session: the answer was lost (${cause.message}) and the session could not be looked up within ${windowS} s ` +
        `(${reason}). A session may exist: find and delete it by the label ${label} (Delete Idle Sessions).`,
      { code: 'CreateOutcomeUnknown', requestId: cause.requestId, httpStatus: cause.httpStatus },
    );
  }
  throw new AgentBayError(
    `Create Session: the answer was lost (${cause.message}) and no session carries the label ${label} after ` +
      `looking for ${windowS} s: no session was made.`,
    { code: 'SessionNotCreated', requestId: cause.requestId, httpStatus: cause.httpStatus },
  );
}
