/**
 * Get Context's lookups and its bad input: by name, by ID, create if missing; an unknown context
 * is a clear error from the service; name and ID together, an ID that is not one, and Create if
 * Missing with an ID are refused before any request.
 */
import { strict as assert } from 'node:assert';
import type { INodeParameters } from 'n8n-workflow';
import type { LocalServer } from '../../../../../local-server/server';
import { getContext } from '../../../../../nodes/core/catalogue/operations/get-context';
import { InputValidationError } from '../../../../../nodes/core/client/errors';
import { runOperation } from '../../../../../nodes/core/run-operation';
import { connectionFor, startTestServer } from '../../../../support/local-server';
import { executeN8nNode } from '../../../../support/n8n';
import { CONFIG_ID, helper, loadFlow, nextMessage, useNodeRedRuntime } from '../../../../support/node-red';

describe('Get Context', function () {
  this.timeout(60000);
  let server: LocalServer;
  before(async () => {
    server = await startTestServer();
  });
  after(async () => {
    await server.close();
  });
  const run = async (parameters: INodeParameters) =>
    (await executeN8nNode('getContext', { items: [{ json: {} }], parameters, credentials: connectionFor(server) })).output[0][0].json;

  it('n8n: creates a missing context only with Create if Missing, then finds it by name and by ID', async () => {
    await assert.rejects(run({ contextName: 'lookup-me' }), (error: Error) => /Failed to get context lookup-me: \[InvalidContext\.NotFound\]/.test(error.message));
    const created = await run({ contextName: 'lookup-me', createIfMissing: true });
    assert.match(String(created.contextId), /^SdkCtx-/);
    assert.equal(created.state, 'available');
    assert.match(String(created.createdAt), /^\d{4}-\d\d-\d\dT/);
    const byName = await run({ contextName: 'lookup-me' });
    const byId = await run({ contextName: '', contextId: created.contextId as string });
    assert.equal(byName.contextId, created.contextId);
    assert.equal(byId.name, 'lookup-me');
    assert.deepEqual(byId.context, { contextId: created.contextId, name: 'lookup-me', createdAt: created.createdAt, lastUsedAt: byId.lastUsedAt, state: 'available' });
  });

  it('n8n: an unknown ID is a clear error naming it', async () => {
    await assert.rejects(run({ contextId: 'SdkCtx-0000000000000none' }), (error: Error) =>
      /Failed to get context SdkCtx-0000000000000none: \[InvalidContext\.NotFound\]/.test(error.message),
    );
  });

  describe('bad input, refused before any request', () => {
    const refuse = async (rawParameters: Record<string, unknown>, field: string, text: RegExp) => {
      await assert.rejects(
        runOperation(getContext, {
          rawParameters,
          sessionField: 'Session',
          getClient: () => {
            throw new Error('a request was attempted before the input was checked');
          },
          progress: () => undefined,
        }),
        (error: Error) => error instanceof InputValidationError && error.field === field && text.test(error.message),
      );
    };

    it('name and ID both given names both fields', () =>
      refuse({ contextName: 'a', contextId: 'SdkCtx-abc' }, 'contextName', /Context Name \(contextName\) and Context ID \(contextId\) are both set/));
    it('neither given names both fields', () => refuse({}, 'contextName', /Context Name \(contextName\) or Context ID \(contextId\) is required/));
    it('an ID that is not a context ID', () => refuse({ contextId: 'my-name' }, 'contextId', /must be a context ID such as SdkCtx-/));
    it('Create if Missing with an ID', () => refuse({ contextId: 'SdkCtx-abc', createIfMissing: true }, 'createIfMissing', /works only with a Context Name/));
    it('a name with a control character', () => refuse({ contextName: 'a\u0007b' }, 'contextName', /without control characters/));
  });

  describe('Node-RED', () => {
    useNodeRedRuntime();

    it('sends name and ID together to Catch with both fields named, and a red status', async () => {
      await loadFlow(server, [
        { id: 'get', type: 'agentbay-get-context', server: CONFIG_ID, contextName: 'x', contextNameType: 'str', contextId: 'SdkCtx-abc', contextIdType: 'str' },
        { id: 'catcher', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
        { id: 'caught', type: 'helper' },
      ]);
      const caught = nextMessage('caught');
      helper.getNode('get').receive({ payload: 'go' });
      assert.match(String((await caught).error?.message), /Context Name \(contextName\) and Context ID \(contextId\) are both set/);
    });
  });
});
