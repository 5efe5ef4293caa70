/**
 * Delete Session's *Sync Context* really uploads, and waits for it, in both runtimes: a file
 * written in session A under a synced path, A deleted with Sync Context, is in session B created
 * with the same context. A's policy has Auto Upload off, so only the node's sync can carry the
 * file (the control without Sync Context proves it), and the node answers only once the upload is
 * done; A's white and black lists decide what goes.
 */
import { strict as assert } from 'node:assert';
import type { INodeExecutionData } from 'n8n-workflow';
import type { LocalServer } from '../../../../../local-server/server';
import type { SessionRef } from '../../../../../nodes/core/catalogue/session';
import type { AgentBayClient } from '../../../../../nodes/core/client/client';
import { makeContext } from '../../../../support/contexts';
import { clientFor, connectionFor, startTestServer } from '../../../../support/local-server';
import { executeN8nNode } from '../../../../support/n8n';
import { CONFIG_ID, helper, loadFlow, nextMessage, useNodeRedRuntime } from '../../../../support/node-red';
import { runCore, SessionTracker } from '../../../../support/core-session';
import { filesIn } from './context-fixtures';

const WORKSPACE = '/home/wuying/ws';
const WRITE_FILES = `mkdir -p ${WORKSPACE}/keep/skip ${WORKSPACE}/other && echo a > ${WORKSPACE}/keep/a.txt && echo c > ${WORKSPACE}/keep/skip/c.txt && echo b > ${WORKSPACE}/other/b.txt`;

describe('Delete Session: Sync Context uploads before deleting', function () {
  this.timeout(120000);
  let server: LocalServer;
  let client: AgentBayClient;
  let sessions: SessionTracker;
  let contexts = 0;

  before(async () => {
    server = await startTestServer({ contextSyncDelayMs: 1000 });
    client = clientFor(server);
    sessions = new SessionTracker(() => client);
  });
  afterEach(async () => {
    await sessions.deleteAll();
    assert.equal(server.sessionCount(), 0, 'no session left running');
  });
  after(async () => {
    client?.close();
    await server?.close();
  });

  const freshContext = (): Promise<string> => makeContext(client, `delete-session-sync-${++contexts}`);

  /** Session B: the same context at the same path, default policy; the files it got. */
  async function filesInNewSession(contextId: string): Promise<string[]> {
    const { output } = await runCore(client, 'createSession', { syncContext: 'id', syncContextId: contextId, syncPath: WORKSPACE });
    const session = output.session as SessionRef;
    sessions.track(session.sessionId);
    return filesIn(client, session.sessionId, WORKSPACE);
  }

  describe('Node-RED', () => {
    useNodeRedRuntime();

    async function runSessionA(contextId: string, syncContext: boolean): Promise<void> {
      await loadFlow(server, [
        {
          id: 'create',
          type: 'agentbay-create-session',
          server: CONFIG_ID,
          syncContext: 'id',
          syncContextType: 'agentbay-option',
          syncContextId: contextId,
          syncContextIdType: 'str',
          syncPath: WORKSPACE,
          syncPathType: 'str',
          autoUpload: 'false',
          autoUploadType: 'bool',
          wires: [['write']],
        },
        { id: 'write', type: 'agentbay-execute-command', server: CONFIG_ID, command: WRITE_FILES, commandType: 'agentbay-text', wires: [['delete']] },
        { id: 'delete', type: 'agentbay-delete-session', server: CONFIG_ID, syncContext: String(syncContext), syncContextType: 'bool', wires: [['deleted']] },
        { id: 'deleted', type: 'helper' },
      ]);
      const deleted = nextMessage('deleted', 60000);
      helper.getNode('create').receive({});
      assert.equal(((await deleted).payload as { deleted: boolean }).deleted, true);
    }

    it('a file written in session A is in session B after A is deleted with Sync Context', async () => {
      const contextId = await freshContext();
      await runSessionA(contextId, true);
      assert.deepEqual(await filesInNewSession(contextId), ['keep/a.txt', 'keep/skip/c.txt', 'other/b.txt']);
    });

    it('control: without Sync Context (and Auto Upload off) session B gets nothing', async () => {
      const contextId = await freshContext();
      await runSessionA(contextId, false);
      assert.deepEqual(await filesInNewSession(contextId), []);
    });
  });

  it('says so when the upload failed, and deletes all the same', async () => {
    const contextId = await freshContext();
    const { output } = await runCore(client, 'createSession', { syncContext: 'id', syncContextId: contextId, syncPath: WORKSPACE, autoUpload: false });
    const session = output.session as SessionRef;
    sessions.track(session.sessionId);
    // The context goes away under the session: its upload can only fail.
    await client.call('DeleteContext', { Id: contextId });
    const { output: deleted } = await runCore(client, 'deleteSession', { syncContext: true }, session);
    sessions.forget(session.sessionId);
    assert.equal((deleted.json as { deleted: boolean }).deleted, true);
    assert.match(deleted.notice ?? '', new RegExp(`^context upload failed for 1 of 1 \\(${contextId} at ${WORKSPACE}: .+\\); deleted anyway$`));
  });

  describe('n8n', () => {
    const credentials = () => connectionFor(server);
    const next = async (operationId: string, items: INodeExecutionData[], parameters: Record<string, unknown>) =>
      (await executeN8nNode(operationId, { credentials: credentials(), items, parameters: parameters as never })).output[0];

    it('uploads what session A’s white and black lists allow, then deletes; session B sees exactly that', async () => {
      const contextId = await freshContext();
      const created = await next('createSession', [{ json: {} }], {
        syncContext: 'id',
        syncContextId: contextId,
        syncPath: WORKSPACE,
        syncPolicy: { autoUpload: false, whiteList: 'keep', blackList: 'keep/skip' },
      });
      const sessionA = (created[0].json.session as unknown as SessionRef).sessionId;
      sessions.track(sessionA);
      const written = await next('executeCommand', created, { command: WRITE_FILES });
      // Not waiting for the deletion: what the node waited for is the upload alone.
      const deleted = await next('deleteSession', written, { syncContext: true, options: { waitForDeletion: false } });
      assert.equal(deleted[0].json.deleted, true);
      // The upload had finished when the node answered (a task runs at least 1 s on this server).
      const listed = await client.call('DescribeContextFiles', { ContextId: contextId, ParentFolderPath: `${WORKSPACE}/keep` });
      assert.deepEqual((listed.Data as Array<{ FileName: string }>).map((file) => file.FileName), ['a.txt']);
      sessions.forget(sessionA);
      assert.deepEqual(await filesInNewSession(contextId), ['keep/a.txt']);
    });
  });
});
