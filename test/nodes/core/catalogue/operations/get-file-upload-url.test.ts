/**
 * The context file path end to end, in both runtimes without any ID wired: Get Context (create) →
 * Create Session syncing it → Get File Upload URL → PUT the bytes → Sync Context (download) →
 * the file is in the session; List Context Files lists it; Delete Context File removes it. The URLs
 * carry no API key.
 */
import { strict as assert } from 'node:assert';
import axios from 'axios';
import type { INodeExecutionData, INodeParameters } from 'n8n-workflow';
import type { LocalServer } from '../../../../../local-server/server';
import { clientFor, connectionFor, startTestServer } from '../../../../support/local-server';
import { executeN8nNode } from '../../../../support/n8n';
import { CONFIG_ID, helper, loadFlow, nextMessage, useNodeRedRuntime } from '../../../../support/node-red';

const SYNCED = '/home/wuying/data';

describe('Get File Upload URL → PUT → Sync Context → the file in the session', function () {
  this.timeout(90000);
  let server: LocalServer;
  before(async () => {
    server = await startTestServer({ contextSyncDelayMs: 50 });
  });
  after(async () => {
    await server.close();
  });

  it('n8n: chains the context and the session on the items', async () => {
    const run = async (operationId: string, items: INodeExecutionData[], parameters: INodeParameters = {}) =>
      (await executeN8nNode(operationId, { items, parameters, credentials: connectionFor(server) })).output[0];

    const got = await run('getContext', [{ json: {} }], { contextName: 'upload-chain-n8n', createIfMissing: true });
    const contextId = got[0].json.contextId as string;
    const session = await run('createSession', got, { options: { contextSyncs: JSON.stringify([{ contextId, path: SYNCED }]) } });
    assert.equal((session[0].json.context as { contextId: string }).contextId, contextId, 'Create Session passes the context on');
    try {
      const text = 'uploaded through a presigned URL\n';
      const url = await run('getFileUploadUrl', session, { filePath: `${SYNCED}/notes.txt` });
      const uploadUrl = url[0].json.url as string;
      assert.ok(!uploadUrl.includes(server.apiKey), 'the URL carries no API key');
      assert.ok(Number(url[0].json.expireTime) > Date.now() / 1000);
      await axios.put(uploadUrl, Buffer.from(text));

      const synced = await run('syncContext', url, { path: SYNCED, mode: 'download' });
      assert.deepEqual(
        { success: synced[0].json.success, finished: synced[0].json.finished, contextId: synced[0].json.contextId },
        { success: true, finished: true, contextId },
      );
      const tasks = synced[0].json.tasks as Array<{ taskType: string; status: string }>;
      assert.deepEqual(tasks.map((task) => [task.taskType, task.status]), [['download', 'Success']]);

      const read = await run('readFile', synced, { path: `${SYNCED}/notes.txt` });
      assert.equal(read[0].json.content, text);

      const status = await run('getContextSyncStatus', read, { taskType: 'download' });
      assert.equal(status[0].json.count, 1);
      assert.equal(status[0].json.finished, true);

      const files = await run('listContextFiles', read, { folder: SYNCED });
      assert.deepEqual((files[0].json.files as Array<{ filePath: string }>).map((file) => file.filePath), [`${SYNCED}/notes.txt`]);
      const removed = await run('deleteContextFile', read, { filePath: `${SYNCED}/notes.txt` });
      assert.equal(removed[0].json.deleted, true);
      const after = await run('listContextFiles', read, { folder: SYNCED });
      assert.equal(after[0].json.count, 0);
    } finally {
      await run('deleteSession', session);
    }
  });

  describe('Node-RED', () => {
    useNodeRedRuntime();

    it('chains the context on msg.agentbay.context through a session', async () => {
      // The session mounts the context at SYNCED; Get Context finds it by name and puts it on the message.
      const created = await clientFor(server).call('GetContext', { Name: 'upload-chain-nr', AllowCreate: 'true' });
      const contextId = String((created.Data as { Id: string }).Id);
      await loadFlow(server, [
        { id: 'get', type: 'agentbay-get-context', server: CONFIG_ID, contextName: 'upload-chain-nr', contextNameType: 'str', wires: [['session']] },
        { id: 'session', type: 'agentbay-create-session', server: CONFIG_ID, contextSyncs: JSON.stringify([{ contextId, path: SYNCED }]), contextSyncsType: 'json', wires: [['url']] },
        { id: 'url', type: 'agentbay-get-file-upload-url', server: CONFIG_ID, filePath: `${SYNCED}/nr.txt`, filePathType: 'str', wires: [['urlOut']] },
        { id: 'sync', type: 'agentbay-sync-context', server: CONFIG_ID, path: SYNCED, pathType: 'str', mode: 'download', modeType: 'agentbay-option', wires: [['read']] },
        { id: 'read', type: 'agentbay-read-file', server: CONFIG_ID, path: `${SYNCED}/nr.txt`, pathType: 'str', wires: [['delete', 'readOut']] },
        { id: 'delete', type: 'agentbay-delete-session', server: CONFIG_ID, wires: [['deleted']] },
        { id: 'urlOut', type: 'helper' },
        { id: 'readOut', type: 'helper' },
        { id: 'deleted', type: 'helper' },
      ]);
      const urlMessage = nextMessage('urlOut');
      helper.getNode('get').receive({ payload: 'go' });
      const withUrl = await urlMessage;
      assert.equal((withUrl.agentbay as { context: { contextId: string } }).context.contextId, contextId);
      assert.equal((withUrl.payload as { contextId: string }).contextId, contextId);
      await axios.put((withUrl.payload as { url: string }).url, Buffer.from('from node-red'));

      const read = nextMessage('readOut');
      const deleted = nextMessage('deleted');
      helper.getNode('sync').receive(withUrl);
      assert.equal(((await read).payload as { content: string }).content, 'from node-red');
      const gone = await deleted;
      assert.equal((gone.payload as { deleted: boolean }).deleted, true);
      assert.equal((gone.agentbay as { context: { contextId: string } }).context.contextId, contextId, 'the context outlives the session on the message');
    });
  });
});
