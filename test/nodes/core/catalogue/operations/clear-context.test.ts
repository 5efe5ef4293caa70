/**
 * Clear Context: the files go and the state returns to available while the node waits; a wait
 * shorter than the clearing fails with the bound in the error; not waiting answers `clearing`.
 * The server's clearing takes `contextSyncDelayMs`, set long here so the bound is what ends the wait.
 */
import { strict as assert } from 'node:assert';
import axios from 'axios';
import type { LocalServer } from '../../../../../local-server/server';
import { clientFor, connectionFor, startTestServer } from '../../../../support/local-server';
import { executeN8nNode } from '../../../../support/n8n';
import { CONFIG_ID, helper, loadFlow, nextMessage, useNodeRedRuntime } from '../../../../support/node-red';

const CLEARING_MS = 2500;

async function contextWithFile(server: LocalServer, name: string): Promise<string> {
  const client = clientFor(server);
  const created = await client.call('GetContext', { Name: name, AllowCreate: 'true' });
  const contextId = String((created.Data as { Id: string }).Id);
  const url = await client.call('GetContextFileUploadUrl', { ContextId: contextId, FilePath: '/home/wuying/data/a.txt' });
  await axios.put(String((url.Data as { Url: string }).Url), Buffer.from('to be cleared'));
  return contextId;
}

async function fileCount(server: LocalServer, contextId: string): Promise<number> {
  const listed = await clientFor(server).call('DescribeContextFiles', { ContextId: contextId, ParentFolderPath: '/home/wuying/data' });
  return Number(listed.Count);
}

describe('Clear Context', function () {
  this.timeout(60000);
  let server: LocalServer;
  before(async () => {
    server = await startTestServer({ contextSyncDelayMs: CLEARING_MS });
  });
  after(async () => {
    await server.close();
  });

  it('n8n: waits until the context is available again, showing the wait, and the files are gone', async () => {
    const contextId = await contextWithFile(server, 'clear-wait');
    assert.equal(await fileCount(server, contextId), 1);
    const logs: string[] = [];
    const { output } = await executeN8nNode('clearContext', {
      items: [{ json: { context: { contextId, name: 'clear-wait' } } }],
      parameters: { options: { waitTimeoutSeconds: 30 } },
      credentials: connectionFor(server),
      logs,
    });
    assert.deepEqual(
      { state: output[0][0].json.state, cleared: output[0][0].json.cleared, contextId: output[0][0].json.contextId },
      { state: 'available', cleared: true, contextId },
    );
    assert.ok(logs.some((line) => line.includes(`waiting for context ${contextId} to be cleared`)), logs.join('\n'));
    assert.equal(await fileCount(server, contextId), 0);
  });

  it('n8n: a wait shorter than the clearing fails with the bound in the error; Continue On Fail keeps the context', async () => {
    const contextId = await contextWithFile(server, 'clear-timeout');
    const { output } = await executeN8nNode('clearContext', {
      items: [{ json: { context: { contextId } } }],
      parameters: { options: { waitTimeoutSeconds: 1 } },
      credentials: connectionFor(server),
      continueOnFail: true,
    });
    assert.equal(output[0][0].json.error, `Context clearing timed out after 1 seconds: context ${contextId} is still clearing`);
    assert.deepEqual(output[0][0].json.context, { contextId });
  });

  describe('Node-RED', () => {
    useNodeRedRuntime();

    it('without waiting answers clearing at once; with a bound of 1 s it reports the timeout to Catch', async () => {
      const first = await contextWithFile(server, 'clear-nr-1');
      const second = await contextWithFile(server, 'clear-nr-2');
      await loadFlow(server, [
        { id: 'noWait', type: 'agentbay-clear-context', server: CONFIG_ID, waitForClear: false, waitForClearType: 'bool', wires: [['out']] },
        { id: 'bounded', type: 'agentbay-clear-context', server: CONFIG_ID, waitTimeoutSeconds: '1', waitTimeoutSecondsType: 'num' },
        { id: 'out', type: 'helper' },
        { id: 'catcher', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
        { id: 'caught', type: 'helper' },
      ]);
      const out = nextMessage('out');
      helper.getNode('noWait').receive({ payload: 'go', agentbay: { context: { contextId: first } } });
      const answered = (await out).payload as { state: string; cleared: boolean };
      assert.deepEqual({ state: answered.state, cleared: answered.cleared }, { state: 'clearing', cleared: false });

      const caught = nextMessage('caught');
      helper.getNode('bounded').receive({ payload: 'go', agentbay: { context: { contextId: second } } });
      const error = await caught;
      assert.equal(error.error?.message, `Context clearing timed out after 1 seconds: context ${second} is still clearing`);
      assert.equal((error.agentbay as { context: { contextId: string } }).context.contextId, second);
    });
  });
});
