/**
 * Set Labels' own behaviour: the labels replace the session's whole set on the server, the session
 * on the message carries them, bad labels are refused with the SDK's message, and an unknown
 * session is the service's not-found error.
 */
import { strict as assert } from 'node:assert';
import { NodeOperationError, type IDataObject, type INodeParameters } from 'n8n-workflow';
import type { LocalServer } from '../../../../../local-server/server';
import type { SessionRef } from '../../../../../nodes/core/catalogue/session';
import type { AgentBayClient } from '../../../../../nodes/core/client/client';
import { InputValidationError } from '../../../../../nodes/core/client/errors';
import { failCore, runCore, SessionTracker } from '../../../../support/core-session';
import { clientFor, connectionFor, startTestServer } from '../../../../support/local-server';
import { executeN8nNode } from '../../../../support/n8n';

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
  describe('n8n', () => {
    const run = (operationId: string, json: IDataObject, parameters: INodeParameters) =>
      executeN8nNode(operationId, { items: [{ json }], parameters, credentials: connectionFor(server) });

    it('Set Labels refuses {} with the SDK message as a NodeOperationError, sending nothing', async () => {
      const session = await sessions.create({ keep: 'yes' });
      await assert.rejects(run('setLabels', { session: { ...session } }, { labels: '{}' }), (error: unknown) => {
        assert.ok(error instanceof NodeOperationError, 'NodeOperationError');
        assert.equal(error.message, 'Labels (labels): Labels cannot be empty. Please provide at least one label.');
        assert.equal(error.context.itemIndex, 0);
        return true;
      });
      const labels = (await run('getLabels', { session: { ...session } }, {})).output[0][0].json.labels;
      // Create Session also stamps agentbay-client-token and agentbay-created-at; the user's labels are unchanged.
      const userLabels = Object.fromEntries(Object.entries(labels as Record<string, string>).filter(([key]) => !key.startsWith('agentbay-')));
      assert.deepEqual(userLabels, { keep: 'yes' }, 'no SetLabel reached the server');
    });
  });
});
