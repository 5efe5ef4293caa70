/**
 * Get Status against scripted answers: the query placement, the SDK's error text.
 */
import { strict as assert } from 'node:assert';
import { AgentBayError } from '../../../../../nodes/core/client/errors';
import { failure, run, SESSION_ID, status } from '../../../../support/scripted-service';

describe('Get Status (scripted answers)', () => {
    it('Get Status: other errors read "Failed to get session detail <id>: ..."', async () => {
      const error = await failure('getStatus', {
        GetSessionDetail: [{ Success: false, Code: 'InternalError', Message: 'boom', HttpStatusCode: 500 }],
      });
      assert.equal(error.message, `Failed to get session detail ${SESSION_ID}: [InternalError] boom`);
      assert.equal((error as unknown as AgentBayError).code, 'InternalError');
    });

    it('Get Status sends SessionId in the query string and returns the status', async () => {
      const result = await run('getStatus', { GetSessionDetail: [status('PAUSED')] });
      assert.deepEqual(result.json, { sessionId: SESSION_ID, status: 'PAUSED', requestId: 'REQ-1' });
      assert.equal(result.transport.sent[0].query.get('SessionId'), SESSION_ID);
    });

});
