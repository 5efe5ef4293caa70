/**
 * Update Context's own behaviour: the server holds the new name afterwards, and an unknown context
 * is the service's not-found error.
 */
import { strict as assert } from 'node:assert';
import type { LocalServer } from '../../../../../local-server/server';
import type { AgentBayClient } from '../../../../../nodes/core/client/client';
import { makeContext } from '../../../../support/contexts';
import { clientFor, startTestServer } from '../../../../support/local-server';
import { runOnContext } from './context-fixtures';

describe('Update Context', function () {
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

  it('renames the context on the server and returns its fields', async () => {
    const contextId = await makeContext(client, 'old-name');
    const json = (await runOnContext(client, 'updateContext', contextId, { newName: 'new-name' })).json;
    assert.equal(json.contextId, contextId);
    assert.equal(json.name, 'new-name');
    assert.match(String(json.requestId), /.+/);
    const held = (await client.call('GetContext', { ContextId: contextId, AllowCreate: 'false' })).Data as { Name: string };
    assert.equal(held.Name, 'new-name');
  });

  it('an unknown context fails with the service\'s code and message', () =>
    rejectsWith(
      runOnContext(client, 'updateContext', 'SdkCtx-0000000000000none', { newName: 'x' }),
      'Failed to update context SdkCtx-0000000000000none: [InvalidContext.NotFound] The context does not exist: SdkCtx-0000000000000none',
    ));
});
