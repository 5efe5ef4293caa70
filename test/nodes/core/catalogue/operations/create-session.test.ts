/**
 * Create Session with context syncs, through both runtimes against the local server: the guided
 * form's sync policy as the SDK's JSON, white and black lists honoured on download, the bounded
 * wait with its progress, and bad paths and policies refused before any session is made.
 */
import { strict as assert } from 'node:assert';
import { NodeOperationError, type INodeParameters } from 'n8n-workflow';
import type { LocalServer } from '../../../../../local-server/server';
import { guidedContextSync } from '../../../../../nodes/core/catalogue/context-syncs';
import { operationById } from '../../../../../nodes/core/catalogue/index';
import type { SessionRef } from '../../../../../nodes/core/catalogue/session';
import { prepareInput } from '../../../../../nodes/core/catalogue/validation';
import type { AgentBayClient } from '../../../../../nodes/core/client/client';
import { InputValidationError } from '../../../../../nodes/core/client/errors';
import { clientFor, connectionFor, startTestServer } from '../../../../support/local-server';
import { executeN8nNode } from '../../../../support/n8n';
import { CONFIG_ID, helper, loadFlow, nextMessage, useNodeRedRuntime, type Message } from '../../../../support/node-red';
import { failCore, runCore, SessionTracker } from '../../../../support/core-session';
import { filesIn, seededContext } from './context-fixtures';

const WORKSPACE = '/home/wuying/ws';
const SEED = { 'keep/a.txt': 'a', 'keep/skip/c.txt': 'c', 'other/b.txt': 'b' };

/** The SDK's `newSyncPolicy()` (context-sync.ts), which the guided form's defaults must equal. */
const SDK_DEFAULT_POLICY = {
  uploadPolicy: { autoUpload: true, uploadStrategy: 'UploadBeforeResourceRelease', uploadMode: 'File' },
  downloadPolicy: { autoDownload: true, downloadStrategy: 'DownloadAsync' },
  deletePolicy: { syncLocalFile: true },
  extractPolicy: { extract: true, deleteSrcFile: true, extractToCurrentFolder: false },
  recyclePolicy: { lifecycle: 'Lifecycle_Forever', paths: [''] },
  bwList: { whiteLists: [{ path: '', excludePaths: [] }] },
};

describe('Create Session: context syncs', function () {
  this.timeout(120000);
  let server: LocalServer;
  let client: AgentBayClient;
  let sessions: SessionTracker;
  let contextId: string;

  before(async () => {
    // Each sync task runs for at least 1.5 s, so a 1 s wait cannot see it finish.
    server = await startTestServer({ contextSyncDelayMs: 1500 });
    client = clientFor(server);
    sessions = new SessionTracker(() => client);
    contextId = await seededContext(client, 'create-session-lists', WORKSPACE, SEED);
  });
  afterEach(async () => {
    await sessions.deleteAll();
  });
  after(async () => {
    client?.close();
    await server?.close();
  });

  describe('the guided form builds the SDK sync policy', () => {
    const guided = (raw: Record<string, unknown>) => {
      const input = prepareInput(operationById('createSession'), raw);
      return guidedContextSync(input, 'SdkCtx-from-message');
    };

    it("defaults to the SDK's newSyncPolicy(), for a context by ID or from the message", () => {
      assert.deepEqual(guided({ syncContext: 'id', syncContextId: 'SdkCtx-1' }), { contextId: 'SdkCtx-1', path: '/home/wuying/workspace', policy: SDK_DEFAULT_POLICY });
      assert.deepEqual(guided({ syncContext: 'message', syncPath: '/tmp/data' }), { contextId: 'SdkCtx-from-message', path: '/tmp/data', policy: SDK_DEFAULT_POLICY });
      assert.equal(guided({}), undefined, 'no guided sync by default');
    });

    it('puts every field in its place of the policy', () => {
      const item = guided({
        syncContext: 'id',
        syncContextId: 'SdkCtx-1',
        autoUpload: false,
        uploadMode: 'Archive',
        autoDownload: false,
        syncDeletions: false,
        whiteList: 'src, notes',
        blackList: '["src/tmp"]',
        extract: false,
        extractDeleteSource: false,
        extractToCurrentFolder: true,
        recycleLifecycle: 'Lifecycle_30Days',
        recyclePaths: 'logs',
        mappingPath: 'c:\\Users\\Administrator\\workspace',
      });
      assert.deepEqual(item?.policy, {
        uploadPolicy: { autoUpload: false, uploadStrategy: 'UploadBeforeResourceRelease', uploadMode: 'Archive' },
        downloadPolicy: { autoDownload: false, downloadStrategy: 'DownloadAsync' },
        deletePolicy: { syncLocalFile: false },
        extractPolicy: { extract: false, deleteSrcFile: false, extractToCurrentFolder: true },
        recyclePolicy: { lifecycle: 'Lifecycle_30Days', paths: ['logs'] },
        bwList: {
          whiteLists: [
            { path: 'src', excludePaths: ['src/tmp'] },
            { path: 'notes', excludePaths: ['src/tmp'] },
          ],
        },
        mappingPolicy: { path: 'c:\\Users\\Administrator\\workspace' },
      });
    });
  });

  describe('Node-RED', () => {
    useNodeRedRuntime();

    it('downloads only what the white list covers and the black list leaves, and says it waited', async () => {
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
          whiteList: '["keep"]',
          whiteListType: 'json',
          blackList: '["keep/skip"]',
          blackListType: 'json',
          wires: [['created']],
        },
        { id: 'created', type: 'helper' },
      ]);
      const statuses: Array<{ text?: string }> = [];
      helper.getNode('create').on('call:status', ((call: { args: Array<{ text?: string }> }) => statuses.push(call.args[0])) as never);
      const created = nextMessage('created', 60000);
      helper.getNode('create').receive({});
      const msg = await created;
      const session = msg.agentbay?.session as unknown as SessionRef;
      sessions.track(session.sessionId);
      const payload = msg.payload as { contextSync: Array<{ contextId: string; path: string; status: string }> };
      assert.deepEqual(
        payload.contextSync.map((task) => [task.contextId, task.path, task.status]),
        [[contextId, WORKSPACE, 'Success']],
      );
      assert.deepEqual(await filesIn(client, session.sessionId, WORKSPACE), ['keep/a.txt']);
      assert.ok(statuses.some((status) => /^context sync: 0\/1 done, \d+ s of 180 s$/.test(status.text ?? '')), JSON.stringify(statuses));
    });

    it('mounts the context the message carries (msg.agentbay.context) with no ID wired', async () => {
      await loadFlow(server, [
        { id: 'create', type: 'agentbay-create-session', server: CONFIG_ID, syncContext: 'message', syncContextType: 'agentbay-option', syncPath: WORKSPACE, syncPathType: 'str', wires: [['created']] },
        { id: 'created', type: 'helper' },
      ]);
      const created = nextMessage('created', 60000);
      helper.getNode('create').receive({ agentbay: { context: { contextId, name: 'create-session-lists' } } });
      const msg = await created;
      const session = msg.agentbay?.session as unknown as SessionRef;
      sessions.track(session.sessionId);
      assert.deepEqual(await filesIn(client, session.sessionId, WORKSPACE), ['keep/a.txt', 'keep/skip/c.txt', 'other/b.txt']);
      assert.equal((msg.agentbay as { context?: { contextId: string } }).context?.contextId, contextId, 'the context stays on the message');
    });

    it('refuses a path outside the session before creating anything, naming the field', async () => {
      await loadFlow(server, [
        { id: 'create', type: 'agentbay-create-session', server: CONFIG_ID, syncContext: 'id', syncContextType: 'agentbay-option', syncContextId: contextId, syncContextIdType: 'str', syncPath: '/etc/agentbay', syncPathType: 'str', wires: [['created']] },
        { id: 'created', type: 'helper' },
        { id: 'errors', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
        { id: 'caught', type: 'helper' },
      ]);
      const caught = nextMessage('caught');
      helper.getNode('create').receive({});
      const msg: Message = await caught;
      assert.match(msg.error?.message ?? '', /^Path \(syncPath\) is outside the session \("\/etc\/agentbay"\): expected an absolute path inside \/home\/wuying or \/tmp/);
      assert.equal(server.sessionCount(), 0);
    });
  });

  describe('n8n', () => {
    it('downloads through the Sync Policy collection: white and black lists honoured', async () => {
      const { output } = await executeN8nNode('createSession', {
        credentials: connectionFor(server),
        parameters: { syncContext: 'id', syncContextId: contextId, syncPath: WORKSPACE, syncPolicy: { whiteList: 'keep, other', blackList: 'keep/skip' } },
      });
      const json = output[0][0].json as { sessionId: string; contextSync: Array<{ status: string }> };
      sessions.track(json.sessionId);
      assert.deepEqual(json.contextSync.map((task) => task.status), ['Success']);
      assert.deepEqual(await filesIn(client, json.sessionId, WORKSPACE), ['keep/a.txt', 'other/b.txt']);
    });

    it('mounts the context the item carries (json.context) with no ID wired', async () => {
      const { output } = await executeN8nNode('createSession', {
        credentials: connectionFor(server),
        items: [{ json: { context: { contextId, name: 'create-session-lists' } } }],
        parameters: { syncContext: 'message', syncPath: WORKSPACE },
      });
      const json = output[0][0].json as { sessionId: string; context?: { contextId: string } };
      sessions.track(json.sessionId);
      assert.deepEqual(await filesIn(client, json.sessionId, WORKSPACE), ['keep/a.txt', 'keep/skip/c.txt', 'other/b.txt']);
      assert.equal(json.context?.contextId, contextId, 'the context stays on the item');
    });

    it('refuses bad context syncs before creating anything, naming the item and field', async () => {
      const cases: Array<[INodeParameters, RegExp]> = [
        [{ options: { contextSyncs: JSON.stringify([{ contextId, path: 'home/wuying/ws' }]) } }, /^Context Syncs \(contextSyncs\)\[0\]\.path is not absolute/],
        [{ options: { contextSyncs: JSON.stringify([{ contextId, path: WORKSPACE, policy: { uploadPolicy: {}, period: 30 } }]) } }, /^Context Syncs \(contextSyncs\)\[0\]\.policy has the unknown key "period"/],
        [{ options: { contextSyncs: JSON.stringify([{ contextId, path: WORKSPACE, policy: { bwList: { whiteLists: [{ path: 'src/*.py' }] } } }]) } }, /bwList\.whiteLists\[0\]\.path holds the wildcard pattern "src\/\*\.py"/],
        [{ syncContext: 'id', syncContextId: contextId, syncPath: '/tmp/../etc' }, /^Path \(syncPath\) contains "\.\."/],
        [{ syncContext: 'id', syncContextId: contextId, syncPolicy: { blackList: 'cache/*' } }, /^Black List \(blackList\) holds the wildcard pattern/],
        [{ syncContext: 'message' }, /^Sync Context \(syncContext\) is Context From Message, but the message carries no context/],
      ];
      for (const [parameters, message] of cases) {
        await assert.rejects(executeN8nNode('createSession', { credentials: connectionFor(server), parameters }), (error: unknown) => {
          assert.ok(error instanceof NodeOperationError, String(error));
          assert.match(error.message, message);
          return true;
        });
      }
      assert.equal(server.sessionCount(), 0);
    });
  });

  describe('the bounded wait', () => {
    it('stops waiting at Context Sync Wait, shows its progress, and says the download is not finished', async () => {
      const { output, progress } = await runCore(client, 'createSession', { syncContext: 'id', syncContextId: contextId, syncPath: WORKSPACE, contextSyncWait: 1 });
      const session = output.session as SessionRef;
      sessions.track(session.sessionId);
      assert.ok(progress.some((text) => /^context sync: 0\/1 done, \d s of 1 s$/.test(text)), JSON.stringify(progress));
      assert.match(output.notice ?? '', /^context download not finished after 1 s \(1 of 1 pending\)$/);
      const [task] = (output.json as { contextSync: Array<{ status: string }> }).contextSync;
      assert.notEqual(task.status, 'Success');
    });

    it('refuses a wait outside 1 to 3600 s', async () => {
      const error = await failCore(client, 'createSession', { contextSyncWait: 0 });
      assert.ok(error instanceof InputValidationError);
      assert.match(error.message, /^Context Sync Wait \(Seconds\) \(contextSyncWait\)/);
    });
  });
});
