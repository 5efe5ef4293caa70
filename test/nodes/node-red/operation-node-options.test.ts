/**
 * Session node options in the real Node-RED runtime: Create Session waiting (visibly) for context
 * syncs, Delete Session without waiting, and Generate Context Name needing no connection.
 */
import { strict as assert } from 'node:assert';
import type { LocalServer } from '../../../local-server/server';
import { clientFor, startTestServer } from '../../support/local-server';
import { CONFIG_ID, helper, loadFlow, nextMessage, useNodeRedRuntime } from '../../support/node-red';
import { sleep } from '../../support/wait';

describe('Node-RED: session node options', function () {
  let server: LocalServer;
  before(async () => {
    server = await startTestServer({ contextSyncDelayMs: 1200 });
  });
  after(async () => {
    await server.close();
  });
  useNodeRedRuntime();

  it('waits for context syncs on create, showing that it waits, then deletes without waiting', async () => {
    const context = await clientFor(server).call('GetContext', { Name: 'node-red-options', AllowCreate: 'true' });
    const contextId = String((context.Data as { Id: string }).Id);
    const syncs = JSON.stringify([{ contextId, path: '/home/wuying/data', policy: { uploadPolicy: { autoUpload: true } } }]);
    await loadFlow(server, [
      { id: 'create', type: 'agentbay-create-session', server: CONFIG_ID, contextSyncs: syncs, contextSyncsType: 'json', wires: [['created', 'del']] },
      { id: 'del', type: 'agentbay-delete-session', server: CONFIG_ID, waitForDeletion: 'false', waitForDeletionType: 'bool', wires: [['deleted']] },
      { id: 'created', type: 'helper' },
      { id: 'deleted', type: 'helper' },
    ]);
    const statuses: Array<{ text?: string }> = [];
    helper.getNode('create').on('call:status', ((call: { args: Array<{ text?: string }> }) => statuses.push(call.args[0])) as never);
    const created = nextMessage('created');
    const deleted = nextMessage('deleted');
    helper.getNode('create').receive({});
    const payload = (await created).payload as { contextSync: Array<{ contextId: string; path: string; status: string }> };
    assert.deepEqual(
      payload.contextSync.map((task) => ({ contextId: task.contextId, path: task.path, status: task.status })),
      [{ contextId, path: '/home/wuying/data', status: 'Success' }],
    );
    assert.ok(statuses.some((status) => /^waiting for context sync/.test(status.text ?? '')), JSON.stringify(statuses));
    const deletedMsg = await deleted;
    assert.equal((deletedMsg.payload as { deleted: boolean }).deleted, true);
    // Without waiting, the node answers while the server is still deleting.
    const sessionId = (deletedMsg.payload as { sessionId: string }).sessionId;
    assert.match(sessionId, /^session-/);
  });

  it('generates context names without any connection configured', async () => {
    await loadFlow(server, [
      { id: 'name', type: 'agentbay-generate-context-name', length: '10', lengthType: 'num', wires: [['out']] },
      { id: 'out', type: 'helper' },
    ]);
    const out = nextMessage('out');
    helper.getNode('name').receive({ topic: 't' });
    const msg = await out;
    assert.match((msg.payload as { contextName: string }).contextName, /^\d{14}_[A-Za-z0-9]{10}$/);
    assert.equal(msg.topic, 't');
  });

  it('stopping the flow mid-command cancels the call without crashing, and the runtime carries on', async () => {
    const client = clientFor(server);
    const created = await client.call('CreateMcpSession', {});
    const sessionId = (created.Data as { SessionId: string }).SessionId;
    const flow = [
      { id: 'cmd', type: 'agentbay-execute-command', server: CONFIG_ID, command: 'sleep 20', commandType: 'agentbay-text', timeoutMs: '30000', timeoutMsType: 'num', wires: [['out']] },
      { id: 'out', type: 'helper' },
    ];
    await loadFlow(server, flow);
    let delivered = false;
    helper.getNode('out').on('input', (() => (delivered = true)) as never);
    helper.getNode('cmd').receive({ agentbay: { session: { sessionId } } });
    await sleep(500); // the command (sleep 30) is running when the flow stops
    await helper.unload(); // closes the node: its in-flight call is aborted (the root hooks fail the run on any unhandled rejection)
    await sleep(300);
    assert.equal(delivered, false, 'the cancelled command sends nothing on');

    await loadFlow(server, [{ ...flow[0], command: 'echo again' }, flow[1]]);
    const out = nextMessage('out');
    helper.getNode('cmd').receive({ agentbay: { session: { sessionId } } });
    assert.equal(((await out).payload as { stdout: string }).stdout, 'again\n');
    await client.call('DeleteSessionAsync', { SessionId: sessionId });
    client.close();
  });
});
