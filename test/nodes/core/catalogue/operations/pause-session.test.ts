/**
 * Pause Session's own behaviour against the local server: it waits until PAUSED and the server
 * holds the session paused; a session already paused and an unknown one are the service's errors.
 * (The polling details, with scripted answers, are in pause-resume.test.ts.)
 */
import { strict as assert } from 'node:assert';
import type { SessionRef } from '../../../../../nodes/core/catalogue/session';
import type { AgentBayClient } from '../../../../../nodes/core/client/client';
import { failCore, runCore, useCoreSession } from '../../../../support/core-session';

describe('Pause Session', function () {
  this.timeout(60000);
  const suite = useCoreSession();
  const client = (): AgentBayClient => suite.client();
  const session = (): SessionRef => suite.session();

  const serverStatus = async (): Promise<unknown> =>
    ((await client().call('GetSession', { SessionId: session().sessionId })).Data as { Status: string }).Status;

  it('pauses a running session and returns PAUSED once the server holds it paused', async () => {
    assert.equal(await serverStatus(), 'RUNNING');
    const { output } = await runCore(client(), 'pauseSession', {}, session());
    assert.equal(output.json.sessionId, session().sessionId);
    assert.equal(output.json.status, 'PAUSED');
    assert.match(String(output.json.requestId), /.+/);
    assert.equal(await serverStatus(), 'PAUSED');
  });

  it('a paused session cannot be paused again: the service\'s code and message', async () => {
    const error = await failCore(client(), 'pauseSession', {}, session());
    assert.equal(error.message, `[InvalidSessionStatus] Session ${session().sessionId} is PAUSED; PauseSessionAsync needs a RUNNING session.`);
    await runCore(client(), 'resumeSession', {}, session());
    assert.equal(await serverStatus(), 'RUNNING');
  });

  it('an unknown session fails with the service\'s message', async () => {
    const error = await failCore(client(), 'pauseSession', {}, 'session-nonexistent');
    assert.equal(error.message, 'Failed to pause session session-nonexistent: Session session-nonexistent not found');
  });
});
