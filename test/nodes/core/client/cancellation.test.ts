/**
 * Cancelling a flow while Create Session is in flight must not leak the session: the create is
 * let finish, then the new session is deleted and the node reports the cancellation.
 */
import { strict as assert } from 'node:assert';
import type { LocalServer } from '../../../../local-server/server';
import { operationById } from '../../../../nodes/core/catalogue/index';
import { englishOf } from '../../../../nodes/core/catalogue/runtime-texts';
import type { AgentBayClient } from '../../../../nodes/core/client/client';
import { runOperation } from '../../../../nodes/core/run-operation';
import { clientFor, startTestServer } from '../../../support/local-server';
import { waitFor } from '../../../support/wait';

describe('cancellation during Create Session', () => {
  let server: LocalServer;
  let client: AgentBayClient;
  before(async () => {
    server = await startTestServer();
    client = clientFor(server);
  });
  after(async () => {
    client.close();
    await server.close();
  });

  it('deletes the session the cancelled create made, and says so', async () => {
    server.setFaults({ latencyMs: 400 });
    const abort = new AbortController();
    const progress: string[] = [];
    const run = runOperation(operationById('createSession'), {
      rawParameters: {},
      sessionField: 'Session',
      getClient: () => client,
      progress: (text) => progress.push(englishOf(text)),
      signal: abort.signal,
    });
    setTimeout(() => abort.abort(), 100);
    await assert.rejects(run, (error: Error & { code?: string }) => {
      assert.equal(error.code, 'Aborted');
      assert.match(error.message, /^Cancelled while creating a session; session session-\w+ was deleted again$/);
      return true;
    });
    server.setFaults({});
    assert.deepEqual(progress, ['cancelled: deleting the new session']);
    await waitFor(() => server.sessionCount() === 0, 5000, 'no session to be left');
  });

  it('creates normally when nothing is cancelled', async () => {
    const abort = new AbortController();
    const { output } = await runOperation(operationById('createSession'), {
      rawParameters: {},
      sessionField: 'Session',
      getClient: () => client,
      progress: () => undefined,
      signal: abort.signal,
    });
    assert.equal(server.sessionCount(), 1);
    await client.call('DeleteSessionAsync', { SessionId: output.session!.sessionId });
  });
});
