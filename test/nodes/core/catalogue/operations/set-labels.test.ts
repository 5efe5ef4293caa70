/**
 * Set Labels' own behaviour: the labels replace the session's whole set on the server, the session
 * on the message carries them, bad labels are refused with the SDK's message, and an unknown
 * session is the service's not-found error.
 */
import { strict as assert } from 'node:assert';
import type { LocalServer } from '../../../../../local-server/server';
import type { SessionRef } from '../../../../../nodes/core/catalogue/session';
import type { AgentBayClient } from '../../../../../nodes/core/client/client';
import { InputValidationError } from '../../../../../nodes/core/client/errors';
import { failCore, runCore, SessionTracker } from '../../../../support/core-session';
import { clientFor, startTestServer } from '../../../../support/local-server';

describe('Set Labels', function () {
  this.timeout(60000);
  let server: LocalServer;
  let client: AgentBayClient;
  let sessions: SessionTracker;
  let session: SessionRef;
  before(async () => {
    server = await startTestServer();
    client = clientFor(server);
    sessions = new SessionTracker(() => client);
    session = await sessions.create({ before: 'set-labels' });
  });
  after(async () => {
    await sessions?.deleteAll();
    client?.close();
    await server?.close();
  });

  const serverLabels = async (): Promise<Record<string, string>> => {
    const data = (await client.call('GetLabel', { SessionId: session.sessionId })).Data as { Labels: string };
    return JSON.parse(data.Labels) as Record<string, string>;
  };

  it('replaces the labels on the server and puts them on the session', async () => {
    assert.equal((await serverLabels()).before, 'set-labels');
    const labels = { project: 'demo', stage: 'test' };
    const { output } = await runCore(client, 'setLabels', { labels }, session);
    assert.deepEqual(output.json.labels, labels);
    assert.match(String(output.json.requestId), /.+/);
    assert.deepEqual((output.session as SessionRef).labels, labels);
    assert.deepEqual(await serverLabels(), labels, 'the old labels are gone');
  });

  it('empty labels are refused with the SDK\'s message, and the server keeps its labels', async () => {
    const before = await serverLabels();
    const error = await failCore(client, 'setLabels', { labels: {} }, session);
    assert.ok(error instanceof InputValidationError);
    assert.equal(error.field, 'labels');
    assert.match(error.message, /Labels cannot be empty\. Please provide at least one label\./);
    assert.deepEqual(await serverLabels(), before);
  });

  it('an unknown session fails with the service\'s message', async () => {
    const error = await failCore(client, 'setLabels', { labels: { a: 'b' } }, 'session-nonexistent');
    assert.equal(error.message, 'Failed to set labels for session session-nonexistent: Session session-nonexistent not found');
  });
});
