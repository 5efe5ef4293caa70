/**
 * Delete Context's own behaviour: the server no longer holds the context afterwards, and an unknown
 * context is the service's not-found error.
 */
import { strict as assert } from 'node:assert';
import type { LocalServer } from '../../../../../local-server/server';
import type { AgentBayClient } from '../../../../../nodes/core/client/client';
import { makeContext } from '../../../../support/contexts';
import { clientFor, startTestServer } from '../../../../support/local-server';
import { runOnContext } from './context-fixtures';

describe('Delete Context', function () {
  this.timeout(60000);
  let server: LocalServer;
  let client: AgentBayClient;
  before(async () => {
    server = await startTestServer();
    client = clientFor(server);
  });
  after(async () => {
    client?.close();
    await server?.close();
  });
  const rejectsWith = (run: Promise<unknown>, message: string) => assert.rejects(run, (error: Error) => error.message === message);

  it('deletes the context from the server and returns its fields', async () => {
    const contextId = await makeContext(client, 'to-delete');
    const kept = await makeContext(client, 'to-keep');
    const json = (await runOnContext(client, 'deleteContext', contextId, {})).json;
    assert.deepEqual([json.deleted, json.contextId], [true, contextId]);
    assert.match(String(json.requestId), /.+/);
    await assert.rejects(client.call('GetContext', { ContextId: contextId, AllowCreate: 'false' }), /InvalidContext\.NotFound/);
    assert.equal(((await client.call('GetContext', { ContextId: kept, AllowCreate: 'false' })).Data as { Id: string }).Id, kept);
  });

  it('an unknown context fails with the service\'s code and message', () =>
    rejectsWith(
      runOnContext(client, 'deleteContext', 'SdkCtx-0000000000000none', {}),
      'Failed to delete context SdkCtx-0000000000000none: [InvalidContext.NotFound] The context does not exist: SdkCtx-0000000000000none',
    ));
});
