/**
 * Get Session's own behaviour: the session's fields as the server holds them, its tools and
 * status following a pause, and an unknown session as the service's not-found error.
 */
import { strict as assert } from 'node:assert';
import type { SessionRef } from '../../../../../nodes/core/catalogue/session';
import type { AgentBayClient } from '../../../../../nodes/core/client/client';
import { failCore, runCore, useCoreSession } from '../../../../support/core-session';

describe('Get Session', function () {
  this.timeout(60000);
  const suite = useCoreSession();
  const client = (): AgentBayClient => suite.client();
  const session = (): SessionRef => suite.session();

  it('returns the fields the server holds for the session', async () => {
    const wire = (await client().call('GetSession', { SessionId: session().sessionId })).Data as Record<string, unknown>;
    const { output } = await runCore(client(), 'getSession', {}, session());
    assert.equal(output.json.sessionId, session().sessionId);
    assert.equal(output.json.status, 'RUNNING');
    assert.equal(output.json.resourceUrl, wire.ResourceUrl);
    assert.equal(output.json.appInstanceId, wire.AppInstanceId);
    assert.equal(output.json.resourceId, wire.ResourceId);
    const tools = output.json.tools as string[];
    for (const name of ['shell', 'read_file', 'write_file', 'create_directory']) assert.ok(tools.includes(name), `tools lists ${name}`);
    assert.deepEqual(output.json.contexts, []);
    assert.match(String(output.json.requestId), /.+/);
    assert.equal((output.session as SessionRef).sessionId, session().sessionId, 'the session goes on the message');
  });

  it('reports the status the session is in', async () => {
    await runCore(client(), 'pauseSession', {}, session());
    try {
      assert.equal((await runCore(client(), 'getSession', {}, session())).output.json.status, 'PAUSED');
    } finally {
      await runCore(client(), 'resumeSession', {}, session());
    }
    assert.equal((await runCore(client(), 'getSession', {}, session())).output.json.status, 'RUNNING');
  });

  it('an unknown session fails with the service\'s message', async () => {
    const error = await failCore(client(), 'getSession', {}, 'session-nonexistent');
    assert.equal(error.message, 'Failed to get session session-nonexistent: Session session-nonexistent not found');
  });
});
