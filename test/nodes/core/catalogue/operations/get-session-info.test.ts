/**
 * Get Session Info's own behaviour: the raw connection fields exactly as the server answers
 * GetSession, and an unknown session as the service's not-found error.
 */
import { strict as assert } from 'node:assert';
import type { SessionRef } from '../../../../../nodes/core/catalogue/session';
import type { AgentBayClient } from '../../../../../nodes/core/client/client';
import { failCore, runCore, useCoreSession } from '../../../../support/core-session';

describe('Get Session Info', function () {
  this.timeout(60000);
  const suite = useCoreSession();
  const client = (): AgentBayClient => suite.client();
  const session = (): SessionRef => suite.session();

  it('returns the connection fields the server holds for the session', async () => {
    const wire = (await client().call('GetSession', { SessionId: session().sessionId })).Data as Record<string, unknown>;
    const { output } = await runCore(client(), 'getSessionInfo', {}, session());
    const { requestId, ...fields } = output.json;
    assert.match(String(requestId), /.+/);
    assert.deepEqual(fields, {
      sessionId: session().sessionId,
      appInstanceId: wire.AppInstanceId,
      resourceId: wire.ResourceId,
      resourceUrl: wire.ResourceUrl,
      vpcResource: false,
      networkInterfaceIp: '',
      httpPort: '',
      token: '',
    });
    assert.match(String(fields.resourceUrl), new RegExp(`/sessions/${session().sessionId}$`));
  });

  it('an unknown session fails with the service\'s message', async () => {
    const error = await failCore(client(), 'getSessionInfo', {}, 'session-nonexistent');
    assert.equal(error.message, 'Failed to get session session-nonexistent: Session session-nonexistent not found');
  });
});
