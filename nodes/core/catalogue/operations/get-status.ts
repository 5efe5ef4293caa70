import { defineOperation } from '../define';
import { requestIdOutput } from '../common-parameters';
import { asRecord, str } from '../session-api';
import { sessionCallError } from './session-helpers';

export const getStatus = defineOperation({
  id: 'getStatus',
  displayName: 'Get Status',
  summary: 'Returns the current state of a session (RUNNING, PAUSED, ...).',
  details: [
    'Reads the session state with GetSessionDetail, as the SDK’s `session.getStatus()` does. Typical states are RUNNING, PAUSING, PAUSED, RESUMING and DELETING; a deleted session reads FINISH while the service still keeps it.',
    'A session that no longer exists fails with `Session <id> not found`; other failures read `Failed to get session detail <id>: ...`.',
  ].join('\n\n'),
  session: 'required',
  parameters: [],
  outputs: [
    { name: 'sessionId', type: 'string', description: 'ID of the session.' },
    { name: 'status', type: 'string', description: 'State of the session: RUNNING, PAUSING, PAUSED, RESUMING, DELETING, FINISH (deleted), ...' },
    requestIdOutput,
  ],
  async execute(context) {
    const sessionId = context.session.sessionId;
    let envelope;
    try {
      envelope = await context.client.call('GetSessionDetail', { SessionId: sessionId }, { signal: context.signal });
    } catch (error) {
      // Not found reads `Session <id> not found` with no prefix, as the SDK reports it.
      throw sessionCallError(error, sessionId, `Failed to get session detail ${sessionId}: `, '');
    }
    return {
      json: { sessionId, status: str(asRecord(envelope.Data).Status), requestId: str(envelope.RequestId) },
    };
  },
});
