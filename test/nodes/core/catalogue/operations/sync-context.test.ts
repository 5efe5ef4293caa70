/**
 * Sync Context: an upload of one context and path, and of all contexts, waited for through the one
 * context-sync poller; a wait bound shorter than the sync ends the wait and says so; paths outside
 * the session are refused before any request, or by the service for paths it does not sync.
 */
import { strict as assert } from 'node:assert';
import type { INodeExecutionData, INodeParameters } from 'n8n-workflow';
import type { LocalServer } from '../../../../../local-server/server';
import { syncContext } from '../../../../../nodes/core/catalogue/operations/sync-context';
import { InputValidationError } from '../../../../../nodes/core/client/errors';
import { runOperation } from '../../../../../nodes/core/run-operation';
import { clientFor, connectionFor, startTestServer } from '../../../../support/local-server';
import { executeN8nNode } from '../../../../support/n8n';
import { CONFIG_ID, helper, loadFlow, nextMessage, useNodeRedRuntime } from '../../../../support/node-red';

const SYNCED = '/home/wuying/work';
const SYNC_MS = 2500;

describe('Sync Context', function () {
  this.timeout(90000);
  let server: LocalServer;
  before(async () => {
    server = await startTestServer({ contextSyncDelayMs: SYNC_MS });
  });
  after(async () => {
    await server.close();
  });

  const run = async (operationId: string, items: INodeExecutionData[], parameters: INodeParameters = {}, logs: string[] = []) =>
    (await executeN8nNode(operationId, { items, parameters, credentials: connectionFor(server), logs })).output[0];

  /** A session mounting a fresh context at SYNCED, with a file written there. */
  async function sessionWithContext(name: string): Promise<INodeExecutionData[]> {
    const got = await run('createContext', [{ json: {} }], { contextName: name });
    const contextId = got[0].json.contextId as string;
    const session = await run('createSession', got, { options: { contextSyncs: JSON.stringify([{ contextId, path: SYNCED }]) } });
    return run('writeFile', session, { path: `${SYNCED}/result.txt`, content: 'made in the session' });
  }

  it('n8n: uploads one context and path and waits until it is done; the file is then in the context', async () => {
    const items = await sessionWithContext('sync-one');
    try {
      const logs: string[] = [];
      const synced = await run('syncContext', items, { path: SYNCED, mode: 'upload' }, logs);
      const json = synced[0].json as { success: boolean; finished: boolean; tasks: Array<{ taskType: string; status: string; path: string }> };
      assert.deepEqual({ success: json.success, finished: json.finished }, { success: true, finished: true });
      // The session's create-time download is still listed beside the upload (the latest task per direction).
      assert.deepEqual(
        json.tasks.filter((task) => task.taskType === 'upload').map((task) => [task.path, task.status]),
        [[SYNCED, 'Success']],
      );
      assert.ok(logs.some((line) => /waiting for context sync \(1\/150\)/.test(line)), logs.join('\n'));
      const contextId = (items[0].json.context as { contextId: string }).contextId;
      const files = await clientFor(server).call('DescribeContextFiles', { ContextId: contextId, ParentFolderPath: SYNCED });
      assert.deepEqual((files.Data as Array<{ FilePath: string }>).map((file) => file.FilePath), [`${SYNCED}/result.txt`]);
    } finally {
      await run('deleteSession', items);
    }
  });

  it('n8n: a wait bound shorter than the sync stops waiting, reports finished false and says so; the status node then sees the task', async () => {
    const items = await sessionWithContext('sync-bound');
    try {
      const logs: string[] = [];
      const synced = await run('syncContext', items, { scope: 'all', options: { waitTimeoutSeconds: 1 } }, logs);
      assert.deepEqual({ success: synced[0].json.success, finished: synced[0].json.finished }, { success: false, finished: false });
      assert.ok(logs.some((line) => line.endsWith('sync still running after 1 s')), logs.join('\n'));
      assert.deepEqual([synced[0].json.contextId, synced[0].json.path], ['', '']);

      const status = await run('getContextSyncStatus', items, { taskType: 'upload' });
      const tasks = status[0].json.tasks as Array<{ status: string; contextId: string }>;
      assert.equal(tasks.length, 1);
      assert.equal(tasks[0].contextId, (items[0].json.context as { contextId: string }).contextId);
      assert.ok(['Pending', 'Running', 'Success'].includes(tasks[0].status), tasks[0].status);
    } finally {
      await run('deleteSession', items);
    }
  });

  describe('bad input', () => {
    const refuse = async (rawParameters: Record<string, unknown>, field: string, text: RegExp) => {
      await assert.rejects(
        runOperation(syncContext, {
          rawParameters,
          rawSession: { sessionId: 'session-unused' },
          sessionField: 'Session',
          rawContext: { contextId: 'SdkCtx-unused' },
          getClient: () => {
            throw new Error('a request was attempted before the input was checked');
          },
          progress: () => undefined,
        }),
        (error: Error) => error instanceof InputValidationError && error.field === field && text.test(error.message),
      );
    };

    it('refuses a relative path and a path climbing out with .., before any request', async () => {
      await refuse({ path: 'work/result.txt' }, 'path', /Path \(path\) is not in the expected form: expected an absolute path in the session/);
      await refuse({ path: '/home/wuying/../../etc' }, 'path', /Path \(path\) is not in the expected form/);
    });

    it('refuses This Context without a path, before any request', () => refuse({}, 'path', /Path \(path\) is required with Scope This Context/));

    it('n8n: the service refuses a path it does not sync the context at, with a clear error', async () => {
      const items = await sessionWithContext('sync-outside');
      try {
        await assert.rejects(run('syncContext', items, { path: '/etc/passwd' }), (error: Error) => /InvalidParameter/.test(error.message));
      } finally {
        await run('deleteSession', items);
      }
    });
  });

  describe('Node-RED', () => {
    useNodeRedRuntime();

    it('syncs all contexts of the session on the message and waits', async () => {
      const items = await sessionWithContext('sync-node-red');
      try {
        await loadFlow(server, [
          { id: 'sync', type: 'agentbay-sync-context', server: CONFIG_ID, scope: 'all', scopeType: 'agentbay-option', wires: [['out']] },
          { id: 'out', type: 'helper' },
        ]);
        const out = nextMessage('out');
        helper.getNode('sync').receive({ payload: 'go', agentbay: { session: items[0].json.session, context: items[0].json.context } });
        const payload = (await out).payload as { success: boolean; finished: boolean; tasks: Array<{ taskType: string; status: string }> };
        assert.deepEqual({ success: payload.success, finished: payload.finished }, { success: true, finished: true });
        assert.deepEqual(payload.tasks.filter((task) => task.taskType === 'upload').map((task) => task.status), ['Success']);
      } finally {
        await run('deleteSession', items);
      }
    });
  });
});
