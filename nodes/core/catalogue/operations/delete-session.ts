import { AgentBayError } from '../../client/errors';
import { timeoutSecondsParameter, waitParameter } from '../common-parameters';
import { SYNC_CONTEXT_WAIT, waitForContextSync } from '../context-sync';
import { describeOperation, implementOperation, type ContextOfShape, type InputOfShape } from '../define';
import { pollUntil } from '../polling';
import { deleteSessionWithRetry } from '../session-delete';
import { getSessionStatus } from '../session-api';
import { sessionCallError } from './session-helpers';
import type { OperationContext } from '../types';
import { runtimeText } from '../runtime-texts';

/**
 * SyncContext then wait for its upload tasks, as `context.sync()` does; failures do not stop the
 * deletion (docs/protocol.md §4.2), but are returned so the node can say the upload did not happen.
 */
async function syncContexts(context: OperationContext, sessionId: string): Promise<string | undefined> {
  try {
    context.progress(runtimeText('syncingContexts'));
    await context.client.call('SyncContext', { SessionId: sessionId }, { signal: context.signal });
    const tasks = await waitForContextSync(context, sessionId, SYNC_CONTEXT_WAIT);
    const uploads = tasks.filter((task) => task.taskType === 'upload');
    const failed = uploads.filter((task) => task.status === 'Failed');
    if (failed.length > 0) {
      const first = failed[0];
      return `context upload failed for ${failed.length} of ${uploads.length} (${first.contextId} at ${first.path}: ${first.errorMessage || 'no reason given'}); deleted anyway`;
    }
    const unfinished = uploads.filter((task) => task.status !== 'Success').length;
    return unfinished > 0 ? `context upload not finished for ${unfinished} of ${uploads.length}; deleted anyway` : undefined;
  } catch (error) {
    if (error instanceof AgentBayError && error.code === 'Aborted') throw error;
    return `context sync failed (${error instanceof Error ? error.message : String(error)}); deleted anyway`;
  }
}

const NO_SESSION = 'no session on the message: nothing to delete';
const alreadyGone = (sessionId: string): string => `session ${sessionId} was already gone: nothing to delete`;

/** Both answers of the node: a deletion, or nothing to delete. */
interface DeleteResult {
  json: { deleted: boolean; alreadyGone?: boolean; reason?: string; sessionId?: string; requestId?: string };
  session: null;
  notice?: string;
}

async function execute(context: ContextOfShape<typeof shape>, input: InputOfShape<typeof shape>): Promise<DeleteResult> {
  if (!context.session) {
    // Deleting nothing is not an error by default: a Catch node wired back here must not loop.
    if (input.errorIfNoSession === true) {
      throw new AgentBayError('Delete Session: the message carries no session (Error If No Session is on)', { code: 'NoSession' });
    }
    return { json: { deleted: false, reason: NO_SESSION }, session: null, notice: NO_SESSION };
  }
  const sessionId = context.session.sessionId;
  const syncProblem = input.syncContext === true ? await syncContexts(context, sessionId) : undefined;

  let outcome;
  try {
    outcome = await deleteSessionWithRetry(context.client, sessionId, context.signal);
  } catch (error) {
    // Already gone at the first attempt (deleted by another path, reaped, or a second delete of the
    // same message): the flow's aim holds, and a Catch node wired back here must not loop on it.
    if (error instanceof AgentBayError && error.isNotFound && input.errorIfNoSession !== true) {
      const notice = alreadyGone(sessionId);
      return { json: { deleted: true, alreadyGone: true, sessionId, requestId: error.requestId }, session: null, notice };
    }
    throw sessionCallError(error, sessionId, `Failed to delete session ${sessionId}: `);
  }
  const requestId = outcome.requestId;

  if (input.waitForDeletion !== false) {
    const timeoutMs = (input.waitTimeout ?? 0) * 1000;
    context.progress(runtimeText('waitingForDeletion'));
    await pollUntil({
      clock: context.clock,
      intervalMs: 1000,
      timeoutMs,
      label: runtimeText('sessionDeletion', { sessionId }),
      progress: context.progress,
      signal: context.signal,
      check: async () => {
        try {
          const { status } = await getSessionStatus(context.client, sessionId, { signal: context.signal });
          return status === undefined || status === 'FINISH' ? true : undefined;
        } catch (error) {
          // The SDK keeps polling through other errors; so do we, until the timeout.
          if (error instanceof AgentBayError && error.code === 'Aborted') throw error;
          return undefined;
        }
      },
    });
  }
  return { json: { deleted: true, sessionId, requestId }, session: null, ...(syncProblem ? { notice: syncProblem } : {}) };
}

const shape = describeOperation({
  id: 'deleteSession',
  displayName: 'Delete Session',
  summary: 'Deletes a session and waits until it is gone; the session no longer rides on the message.',
  details: [
    'Deletes the session (DeleteSessionAsync), then checks its status every second until the service reports it gone, up to the wait timeout. The node shows that it is waiting.',
    'With **Sync Context** the session uploads its persistent contexts first and the node waits for the upload (as the SDK, up to 150 checks 1.5 s apart), whatever the contexts\' *Auto Upload* says; a failed or unfinished upload does not stop the deletion, and the node says so (yellow status, n8n log).',
    'Put this node on every path that ends a flow, including the error path (Catch node in Node-RED, Error Trigger or Continue On Fail in n8n), so no session is left running.',
    'Deleting is safe to repeat, so after a 5xx answer, a dropped connection or a timeout the node retries the delete (each retry shows in the status and the log); a "not found" answer to such a retry means the earlier attempt worked.',
    'A message without a session is not an error: the node outputs `{deleted: false, reason}` and says so in its status, so a Catch node wired to it cannot loop. Nor is a session the service no longer knows (its first delete answers "not found": deleted by another path, reaped, or deleted twice): the node outputs `{deleted: true, alreadyGone: true}` and says so. Turn on **Error If No Session** to make both an error instead (then keep this node out of that Catch node\'s scope); a mistyped session ID then fails rather than passing as gone.',
  ].join('\n\n'),
  session: 'optional',
  parameters: [
    {
      name: 'syncContext',
      displayName: 'Sync Context',
      description: 'Whether to upload the session’s persistent contexts before deleting it.',
      kind: 'boolean',
      default: false,
      schema: { type: 'boolean' },
      expected: 'true or false',
    },
    {
      name: 'errorIfNoSession',
      displayName: 'Error If No Session',
      description: 'Whether a message without a session, or a session the service no longer knows, is an error; off, the node outputs deleted: false and the reason, or alreadyGone: true.',
      kind: 'boolean',
      default: false,
      advanced: true,
      schema: { type: 'boolean' },
      expected: 'true or false',
    },
    waitParameter('waitForDeletion', 'Wait for Deletion', 'Whether to wait until the service reports the session gone.'),
    {
      ...timeoutSecondsParameter('waitTimeout', 'Wait Timeout (Seconds)', 'How long to wait for the deletion to finish.', 300, 3600),
      showWhen: { waitForDeletion: [true] },
    },
  ],
  outputs: [
    { name: 'deleted', type: 'boolean', description: 'True when the session is gone (deleted now, or already gone); false when the message had none.' },
    { name: 'alreadyGone', type: 'boolean', description: 'True when the service no longer knew the session at the first attempt (only then).', optional: true },
    { name: 'reason', type: 'string', description: 'Why nothing was deleted (only when deleted is false).', optional: true },
    { name: 'sessionId', type: 'string', description: 'ID of the deleted session.', optional: true },
    { name: 'requestId', type: 'string', description: 'ID of the delete request.', optional: true },
  ],
});

export const deleteSession = implementOperation(shape, execute);
