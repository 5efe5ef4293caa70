import { AgentBayError } from '../../client/errors';
import { timeoutSecondsParameter, waitParameter } from '../common-parameters';
import { pollUntil } from '../polling';
import { deleteSessionWithRetry } from '../session-delete';
import { getSessionStatus, str } from '../session-api';
import type { OperationContext, OperationDefinition, OperationInput, OperationOutput } from '../types';

/** SyncContext then wait for its upload tasks, as `context.sync()` does; failures are ignored (docs/protocol.md §4.2). */
async function syncContexts(context: OperationContext, sessionId: string): Promise<void> {
  try {
    context.progress('syncing contexts');
    await context.client.call('SyncContext', { SessionId: sessionId }, { signal: context.signal });
    await pollUntil({
      clock: context.clock,
      intervalMs: 1500,
      timeoutMs: 150 * 1500,
      label: 'context sync',
      progress: context.progress,
      signal: context.signal,
      check: async () => {
        const envelope = await context.client.call('GetContextInfo', { SessionId: sessionId }, { signal: context.signal });
        const raw = str((envelope.Data as Record<string, unknown> | undefined)?.ContextStatus);
        return raw.includes('"status\\":\\"Running') || raw.includes('"status":"Running') ? undefined : true;
      },
    });
  } catch (error) {
    if (error instanceof AgentBayError && error.code === 'Aborted') throw error;
  }
}

const NO_SESSION = 'no session on the message: nothing to delete';

async function execute(context: OperationContext, input: OperationInput): Promise<OperationOutput> {
  if (!context.session) {
    // Deleting nothing is not an error by default: a Catch node wired back here must not loop.
    if (input.errorIfNoSession === true) {
      throw new AgentBayError('Delete Session: the message carries no session (Error If No Session is on)', { code: 'NoSession' });
    }
    return { json: { deleted: false, reason: NO_SESSION }, session: null, notice: NO_SESSION };
  }
  const sessionId = context.session.sessionId;
  if (input.syncContext === true) await syncContexts(context, sessionId);

  let outcome;
  try {
    outcome = await deleteSessionWithRetry(context.client, sessionId, context.signal);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new AgentBayError(`Failed to delete session ${sessionId}: ${reason}`, {
      code: error instanceof AgentBayError ? error.code : 'Unknown',
      requestId: error instanceof AgentBayError ? error.requestId : '',
      httpStatus: error instanceof AgentBayError ? error.httpStatus : undefined,
      retryable: error instanceof AgentBayError && error.retryable,
    });
  }
  const requestId = outcome.requestId;

  if (input.waitForDeletion !== false) {
    const timeoutMs = Number(input.waitTimeout) * 1000;
    context.progress('waiting for deletion');
    await pollUntil({
      clock: context.clock,
      intervalMs: 1000,
      timeoutMs,
      label: `session ${sessionId} deletion`,
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
  return { json: { deleted: true, sessionId, requestId }, session: null };
}

export const deleteSession: OperationDefinition = {
  id: 'deleteSession',
  displayName: 'Delete Session',
  summary: 'Deletes a session and waits until it is gone; the session no longer rides on the message.',
  details: [
    'Deletes the session (DeleteSessionAsync), then checks its status every second until the service reports it gone, up to the wait timeout. The node shows that it is waiting.',
    'With **Sync Context** the session uploads its persistent contexts first; a failed sync does not stop the deletion.',
    'Put this node on every path that ends a flow, including the error path (Catch node in Node-RED, Error Trigger or Continue On Fail in n8n), so no session is left running.',
    'Deleting is safe to repeat, so after a 5xx answer, a dropped connection or a timeout the node retries the delete (each retry shows in the status and the log); a "not found" answer to such a retry means the earlier attempt worked.',
    'A message without a session is not an error: the node outputs `{deleted: false, reason}` and says so in its status, so a Catch node wired to it cannot loop. Turn on **Error If No Session** to make it an error instead (then keep this node out of that Catch node\'s scope).',
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
      description: 'Whether a message without a session is an error; off, the node outputs deleted: false and the reason.',
      kind: 'boolean',
      default: false,
      advanced: true,
      schema: { type: 'boolean' },
      expected: 'true or false',
    },
    waitParameter('waitForDeletion', 'Wait for Deletion', 'Whether to wait until the service reports the session gone.'),
    {
      ...timeoutSecondsParameter('waitTimeout', 'Wait Timeout (s)', 'How long to wait for the deletion to finish.', 300, 3600),
      showWhen: { waitForDeletion: [true] },
    },
  ],
  outputs: [
    { name: 'deleted', type: 'boolean', description: 'True when a session was deleted; false when the message had none.' },
    { name: 'reason', type: 'string', description: 'Why nothing was deleted (only when deleted is false).' },
    { name: 'sessionId', type: 'string', description: 'ID of the deleted session.' },
    { name: 'requestId', type: 'string', description: 'ID of the delete request.' },
  ],
  execute,
};
