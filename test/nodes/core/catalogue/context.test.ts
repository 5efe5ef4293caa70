/**
 * The context on the message, in both runtimes against the local server: Get Context puts it on
 * the message/item, the context nodes after it read it without any ID wired, Update Context
 * renames the carried one, Delete Context removes it, and a failed item keeps it.
 */
import { strict as assert } from 'node:assert';
import type { INodeExecutionData } from 'n8n-workflow';
import type { LocalServer } from '../../../../local-server/server';
import { toContextTarget } from '../../../../nodes/core/catalogue/context';
import { InputValidationError } from '../../../../nodes/core/client/errors';
import { clientFor, connectionFor, startTestServer } from '../../../support/local-server';
import { executeN8nNode } from '../../../support/n8n';
import { CONFIG_ID, helper, loadFlow, nextMessage, type Message, useNodeRedRuntime } from '../../../support/node-red';

describe('the context on the message', function () {
  this.timeout(60000);
  let server: LocalServer;
  before(async () => {
    server = await startTestServer();
  });
  after(async () => {
    await server.close();
  });

  describe('the Context field', () => {
    it('takes a context object, an ID or a name, and names the field for anything else', () => {
      assert.deepEqual(toContextTarget({ contextId: 'SdkCtx-abc', name: 'n', extra: 1 }, 'Context'), {
        ref: { contextId: 'SdkCtx-abc', name: 'n' },
      });
      assert.deepEqual(toContextTarget(' SdkCtx-0123456789abcdefg ', 'Context'), { ref: { contextId: 'SdkCtx-0123456789abcdefg' } });
      assert.deepEqual(toContextTarget('my-workspace', 'Context'), { name: 'my-workspace' });
      for (const bad of [undefined, '', 42, ['SdkCtx-a'], { name: 'no id' }, 'x'.repeat(257), 'tab\there']) {
        assert.throws(() => toContextTarget(bad, 'Context'), (error: unknown) => error instanceof InputValidationError && error.field === 'Context');
      }
    });
  });

  describe('n8n', () => {
    const credentials = () => connectionFor(server);
    const run = async (operationId: string, items: INodeExecutionData[], parameters = {}, continueOnFail = false) =>
      (await executeN8nNode(operationId, { items, parameters, credentials: credentials(), continueOnFail })).output[0];

    it('chains Generate Context Name → Get Context (create) → Update Context → Delete Context without wiring an ID', async () => {
      const named = await run('generateContextName', [{ json: {} }]);
      const name = named[0].json.contextName as string;
      const got = await run('getContext', named, { createIfMissing: true });
      const context = got[0].json.context as { contextId: string; name: string };
      assert.match(context.contextId, /^SdkCtx-/);
      assert.equal(context.name, name);
      assert.equal(got[0].json.contextId, context.contextId);

      const renamed = await run('updateContext', got, { newName: `${name}-renamed` });
      assert.deepEqual(
        { id: renamed[0].json.contextId, name: renamed[0].json.name },
        { id: context.contextId, name: `${name}-renamed` },
      );
      assert.equal((renamed[0].json.context as { name: string }).name, `${name}-renamed`, 'the carried context has the new name');
      const onServer = await clientFor(server).call('GetContext', { ContextId: context.contextId, AllowCreate: 'false' });
      assert.equal((onServer.Data as { Name: string }).Name, `${name}-renamed`);

      const deleted = await run('deleteContext', renamed);
      assert.equal(deleted[0].json.deleted, true);
      assert.equal(deleted[0].json.contextId, context.contextId);
      assert.equal(deleted[0].json.context, undefined, 'the deleted context leaves the item');
      await assert.rejects(clientFor(server).call('GetContext', { ContextId: context.contextId, AllowCreate: 'false' }), /NotFound/);
    });

    it('keeps the carried context on a Continue On Fail error item, and on items of context-less nodes', async () => {
      const carried = { contextId: 'SdkCtx-doesnotexist00000', name: 'gone' };
      const failed = await run('deleteContext', [{ json: { context: carried } }], {}, true);
      assert.match(String(failed[0].json.error), /Failed to delete context SdkCtx-doesnotexist00000/);
      assert.deepEqual(failed[0].json.context, carried);
      const passed = await run('generateContextName', [{ json: { context: carried } }]);
      assert.deepEqual(passed[0].json.context, carried);
    });

    it('looks a context given by name up, and fails clearly for an unknown one', async () => {
      const created = await run('createContext', [{ json: {} }], { contextName: 'by-name-n8n' });
      const renamed = await run('updateContext', [{ json: {} }], { contextRef: 'by-name-n8n', newName: 'by-name-n8n-2' });
      assert.equal(renamed[0].json.contextId, created[0].json.contextId);
      await assert.rejects(
        run('deleteContext', [{ json: {} }], { contextRef: 'no-such-context' }),
        /Failed to get context no-such-context: .*NotFound/,
      );
      await run('deleteContext', [{ json: {} }], { contextRef: created[0].json.contextId });
    });
  });

  describe('Node-RED', () => {
    useNodeRedRuntime();

    it('chains Generate Context Name → Get Context (create) → Update Context → Delete Context with the context on msg.agentbay.context', async () => {
      await loadFlow(server, [
        { id: 'name', type: 'agentbay-generate-context-name', wires: [['get']] },
        { id: 'get', type: 'agentbay-get-context', server: CONFIG_ID, createIfMissing: true, createIfMissingType: 'bool', wires: [['update', 'afterGet']] },
        { id: 'update', type: 'agentbay-update-context', server: CONFIG_ID, newName: 'renamed-in-node-red', newNameType: 'str', wires: [['delete', 'afterUpdate']] },
        { id: 'delete', type: 'agentbay-delete-context', server: CONFIG_ID, wires: [['afterDelete']] },
        { id: 'afterGet', type: 'helper' },
        { id: 'afterUpdate', type: 'helper' },
        { id: 'afterDelete', type: 'helper' },
      ]);
      const messages = ['afterGet', 'afterUpdate', 'afterDelete'].map((id) => nextMessage(id));
      helper.getNode('name').receive({ payload: 'go' });
      const [got, updated, deleted] = (await Promise.all(messages)) as Message[];
      const context = (got.agentbay as { context: { contextId: string; name: string } }).context;
      assert.match(context.contextId, /^SdkCtx-/);
      assert.match(context.name, /^\d{14}_[A-Za-z0-9]{8}$/);
      assert.equal((updated.agentbay as { context: { name: string } }).context.name, 'renamed-in-node-red');
      assert.equal((updated.payload as { contextId: string }).contextId, context.contextId);
      assert.equal((deleted.agentbay as { context?: unknown }).context, undefined);
      assert.equal((deleted.payload as { deleted: boolean }).deleted, true);
    });

    it('fails without a context with an error naming the Context field, before any request', async () => {
      await loadFlow(server, [
        { id: 'delete', type: 'agentbay-delete-context', server: 'missing-config' },
        { id: 'catcher', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
        { id: 'caught', type: 'helper' },
      ]);
      const caught = nextMessage('caught');
      helper.getNode('delete').receive({ payload: 'go' });
      const message = await caught;
      assert.match(String(message.error?.message), /^Context must be a context object/);
    });
  });
});
