/**
 * Create Context's own behaviour: a context the server then holds, put on the message; the same
 * name again gives that context back (the SDK's `context.create`); an empty name is refused.
 */
import { strict as assert } from 'node:assert';
import type { LocalServer } from '../../../../../local-server/server';
import type { AgentBayClient } from '../../../../../nodes/core/client/client';
import { makeContext } from '../../../../support/contexts';
import { clientFor, startTestServer } from '../../../../support/local-server';
import { InputValidationError } from '../../../../../nodes/core/client/errors';
import { runCore } from '../../../../support/core-session';

describe('Create Context', function () {
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

  it('creates a context the server holds, with its fields, and puts it on the message', async () => {
    const { output } = await runCore(client, 'createContext', { contextName: 'created-here' });
    const contextId = String(output.json.contextId);
    assert.match(contextId, /^SdkCtx-[a-z0-9]{17}$/);
    assert.equal(output.json.name, 'created-here');
    assert.equal(output.json.state, 'available');
    assert.match(String(output.json.createdAt), /^\d{4}-\d\d-\d\dT/);
    assert.match(String(output.json.requestId), /.+/);
    assert.deepEqual(output.context, { contextId, name: 'created-here', createdAt: output.json.createdAt, lastUsedAt: output.json.lastUsedAt, state: 'available' });
    const held = (await client.call('GetContext', { ContextId: contextId, AllowCreate: 'false' })).Data as { Id: string; Name: string };
    assert.deepEqual([held.Id, held.Name], [contextId, 'created-here']);
  });

  it('the same name again gives back the existing context', async () => {
    const existing = await makeContext(client, 'already-there');
    const { output } = await runCore(client, 'createContext', { contextName: 'already-there' });
    assert.equal(output.json.contextId, existing);
  });

  it('an empty name is refused naming the field', async () => {
    await assert.rejects(
      runCore(client, 'createContext', { contextName: '' }),
      (error: Error) => error instanceof InputValidationError && error.field === 'contextName' && /Context Name \(contextName\) is required/.test(error.message),
    );
  });
});
