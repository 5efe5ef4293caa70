import { describeOperation, implementOperation, type ContextOfShape, type InputOfShape } from '../define';
import { AgentBayError } from '../../client/errors';
import { timeoutSecondsParameter, waitParameter } from '../common-parameters';
import { SYNC_CONTEXT_WAIT, waitForContextSync } from '../context-sync';
import { pollUntil } from '../polling';
import { getSessionStatus, str } from '../session-api';
import { sessionCallError } from './session-helpers';
import type { OperationContext } from '../types';

/** SyncContext then wait for its upload tasks, as `context.sync()` does; failures are ignored (§4.2). */
async function syncContexts(context: OperationContext, sessionId: string): Promise<void> {
  try {
    context.progress('syncing contexts');
    await context.client.call('SyncContext', { SessionId: sessionId, Mode: 'upload' }, { signal: context.signal });
    await waitForContextSync(context, sessionId, SYNC_CONTEXT_WAIT);
  } catch (error) {
    if (error instanceof AgentBayError && error.code === 'Aborted') throw error;
  }
}

async function execute(context: ContextOfShape<typeof shape>, input: InputOfShape<typeof shape>) {
  const sessionId = context.session.sessionId;
  if (input.syncContext === true) await syncContexts(context, sessionId);

  let envelope;
  try {
    envelope = await context.client.call('DeleteSessionAsync', { SessionId: sessionId }, { signal: context.signal });
  } catch (error) {
    throw sessionCallError(error, sessionId, `Failed to delete session ${sessionId}: `);
  }
  const requestId = str(envelope.RequestId);

  if (input.waitForDeletion !== false) {
    const timeoutMs = (input.waitTimeout ?? 0) * 1000;
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

const shape = describeOperation({
  id: 'deleteSession',
  displayName: 'Delete Session',
  summary: 'Deletes a session and waits until it is gone; the session no longer rides on the message.',
  details: [
    'Deletes the session (DeleteSessionAsync), then checks its status every second until the service reports it gone, up to the wait timeout. The node shows that it is waiting.',
    'With **Sync Context** the session uploads its persistent contexts first; a failed sync does not stop the deletion.',
    'Put this node on every path that ends a flow, including the error path (Catch node in Node-RED, Error Trigger or Continue On Fail in n8n), so no session is left running.',
  ].join('\n\n'),
  session: 'required',
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
    waitParameter('waitForDeletion', 'Wait for Deletion', 'Whether to wait until the service reports the session gone.'),
    {
      ...timeoutSecondsParameter('waitTimeout', 'Wait Timeout (s)', 'How long to wait for the deletion to finish.', 300, 3600),
      showWhen: { waitForDeletion: [true] },
    },
  ],
  outputs: [
    { name: 'deleted', type: 'boolean', description: 'Always true on success.' },
    { name: 'sessionId', type: 'string', description: 'ID of the deleted session.' },
    { name: 'requestId', type: 'string', description: 'ID of the delete request.' },
  ],
});

export const deleteSession = implementOperation(shape, execute);
