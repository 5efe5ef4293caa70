/**
 * Get Resource Info against scripted answers: the SDK's error text.
 */
import { strict as assert } from 'node:assert';
import { failure, SESSION_ID } from '../../../../support/scripted-service';

describe('Get Resource Info (scripted answers)', () => {
    it('Get Resource Info: other errors read "Failed to get session info for session <id>: ..."', async () => {
      const error = await failure('getResourceInfo', {
        GetMcpResource: [{ Success: false, Code: 'Forbidden', Message: 'no', HttpStatusCode: 403 }],
      });
      assert.equal(error.message, `Failed to get session info for session ${SESSION_ID}: [Forbidden] no`);
    });
});
