/**
 * Get Context Sync Status's own behaviour: the tasks of a session's context syncs as the server
 * records them, filtered by type and path, and an unknown session as the service's error.
 */
import { strict as assert } from 'node:assert';
import type { LocalServer } from '../../../../../local-server/server';
import type { AgentBayClient } from '../../../../../nodes/core/client/client';
import { createSessionWith, deleteAndWait, makeContext, settled, tool } from '../../../../support/contexts';
import { failCore, runCore } from '../../../../support/core-session';
import { clientFor, startTestServer } from '../../../../support/local-server';
import { uploadToContext } from './context-fixtures';

const SYNCED = '/home/wuying/synced';

interface Task {
  contextId: string;
  path: string;
  status: string;
  errorMessage: string;
  taskType: string;
}

describe('Get Context Sync Status', function () {
  this.timeout(60000);
  let server: LocalServer;
  let client: AgentBayClient;
  let contextId: string;
  let sessionId: string;
  before(async () => {
    server = await startTestServer({ contextSyncDelayMs: 50 });
    client = clientFor(server);
    contextId = await makeContext(client, 'sync-status');
    await uploadToContext(client, contextId, `${SYNCED}/seed.txt`, Buffer.from('seed'));
    sessionId = await createSessionWith(client, [{ ContextId: contextId, Path: SYNCED }]);
  });
  after(async () => {
    if (sessionId) await deleteAndWait(client, sessionId);
    client?.close();
    await server?.close();
  });

  it('returns the download task the session\'s context sync made, as the server records it', async () => {
    const recorded = await settled(client, sessionId);
    const { output } = await runCore(client, 'getContextSyncStatus', { taskType: 'download' }, sessionId);
    const tasks = output.json.tasks as Task[];
    assert.equal(output.json.count, 1);
    assert.equal(output.json.finished, true);
    assert.match(String(output.json.requestId), /.+/);
    assert.deepEqual(
      tasks.map(({ contextId: id, path, status, taskType }) => ({ id, path, status, taskType })),
      [{ id: contextId, path: SYNCED, status: 'Success', taskType: 'download' }],
    );
    assert.deepEqual(
      tasks.map((task) => task.status),
      recorded.filter((task) => task.taskType === 'download').map((task) => task.status),
    );
    const seeded = await tool(client, sessionId, 'read_file', { path: `${SYNCED}/seed.txt` });
    assert.equal(seeded, 'seed', 'the task it reports did bring the file in');
  });

  it('filters by type and path: no upload task yet, none for another path', async () => {
    const uploads = (await runCore(client, 'getContextSyncStatus', { taskType: 'upload' }, sessionId)).output.json;
    assert.deepEqual([uploads.tasks, uploads.count, uploads.finished], [[], 0, true]);
    const elsewhere = (await runCore(client, 'getContextSyncStatus', { path: '/elsewhere' }, sessionId)).output.json;
    assert.equal(elsewhere.count, 0);
  });

  it('an unknown session fails with the service\'s code and message', async () => {
    const error = await failCore(client, 'getContextSyncStatus', {}, 'session-nonexistent');
    assert.equal(error.message, 'Failed to get context info: [InvalidMcpSession.NotFound] The specified session does not exist. SessionId: session-nonexistent');
  });
});
