/**
 * List Contexts over 25 contexts in both runtimes: one page with its size and token, the next page
 * by the token, and Return All walking every page.
 */
import { strict as assert } from 'node:assert';
import type { INodeExecutionData } from 'n8n-workflow';
import type { LocalServer } from '../../../../../local-server/server';
import { clientFor, connectionFor, startTestServer } from '../../../../support/local-server';
import { executeN8nNode } from '../../../../support/n8n';
import { CONFIG_ID, helper, loadFlow, nextMessage, useNodeRedRuntime } from '../../../../support/node-red';

interface Listed {
  contexts: Array<{ contextId: string; name: string }>;
  count: number;
  totalCount: number;
  nextToken: string;
  maxResults: number;
  truncated: boolean;
}

describe('List Contexts', function () {
  this.timeout(60000);
  let server: LocalServer;
  const names: string[] = [];
  before(async () => {
    server = await startTestServer();
    const client = clientFor(server);
    for (let index = 0; index < 25; index++) {
      names.push(`page-test-${String(index).padStart(2, '0')}`);
      await client.call('GetContext', { Name: names[index], AllowCreate: 'true' });
    }
  });
  after(async () => {
    await server.close();
  });

  const listN8n = async (parameters: Record<string, unknown>): Promise<Listed> => {
    const items: INodeExecutionData[] = [{ json: {} }];
    const { output } = await executeN8nNode('listContexts', { items, parameters: parameters as never, credentials: connectionFor(server) });
    return output[0][0].json as unknown as Listed;
  };

  it('n8n: returns one page of Limit contexts with a token that reaches the next page, and the last page has no token', async () => {
    const first = await listN8n({ limit: 10 });
    assert.equal(first.count, 10);
    assert.equal(first.maxResults, 10);
    assert.equal(first.totalCount, 25);
    assert.notEqual(first.nextToken, '');
    const second = await listN8n({ limit: 10, pageCursor: first.nextToken });
    const third = await listN8n({ limit: 10, pageCursor: second.nextToken });
    assert.deepEqual([second.count, third.count], [10, 5]);
    assert.equal(third.nextToken, '');
    const seen = [...first.contexts, ...second.contexts, ...third.contexts].map((context) => context.name);
    assert.deepEqual([...seen].sort(), [...names].sort(), 'the three pages hold every context once');
  });

  it('n8n: Return All walks every page', async () => {
    const all = await listN8n({ returnAll: true, limit: 7 });
    assert.equal(all.count, 25);
    assert.equal(all.truncated, false);
    assert.equal(all.nextToken, '');
    assert.deepEqual(all.contexts.map((context) => context.name).sort(), [...names].sort());
    assert.ok(all.contexts.every((context) => /^SdkCtx-/.test(context.contextId)));
  });

  describe('Node-RED', () => {
    useNodeRedRuntime();

    it('returns all 25 with Return All, and one page of 4 with a page size', async () => {
      await loadFlow(server, [
        { id: 'all', type: 'agentbay-list-contexts', server: CONFIG_ID, returnAll: true, returnAllType: 'bool', limit: '3', limitType: 'num', wires: [['outAll']] },
        { id: 'page', type: 'agentbay-list-contexts', server: CONFIG_ID, limit: '4', limitType: 'num', wires: [['outPage']] },
        { id: 'outAll', type: 'helper' },
        { id: 'outPage', type: 'helper' },
      ]);
      const all = nextMessage('outAll');
      const page = nextMessage('outPage');
      helper.getNode('all').receive({ payload: 'go' });
      helper.getNode('page').receive({ payload: 'go' });
      const allPayload = (await all).payload as Listed;
      const pagePayload = (await page).payload as Listed;
      assert.equal(allPayload.count, 25);
      assert.deepEqual(allPayload.contexts.map((context) => context.name).sort(), [...names].sort());
      assert.equal(pagePayload.count, 4);
      assert.equal(pagePayload.maxResults, 4);
      assert.notEqual(pagePayload.nextToken, '');
    });
  });
});
