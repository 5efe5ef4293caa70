/**
 * Run Code → Write File wired the way a newcomer first wires it, with Write File's Content left at
 * its default: the file gets what the code printed (its stdout), in Node-RED and in n8n. An object
 * without a text stdout is still refused before any request, naming the field.
 */
import { strict as assert } from 'node:assert';
import { NodeOperationError, type IDataObject, type INodeExecutionData, type INodeParameters } from 'n8n-workflow';
import type { LocalServer } from '../../../../../local-server/server';
import type { AgentBayClient } from '../../../../../nodes/core/client/client';
import { clientFor, connectionFor, startTestServer } from '../../../../support/local-server';
import { executeN8nNode } from '../../../../support/n8n';
import { CONFIG_ID, helper, loadFlow, nextMessage, useNodeRedRuntime } from '../../../../support/node-red';
import { SessionTracker } from '../../../../support/core-session';

const CODE = 'for n in range(3):\n    print("line", n)\n"the last expression, not printed"';
const PRINTED = 'line 0\nline 1\nline 2\n';
const FILE = '/home/wuying/first-hour/output.txt';

describe('first hour: Run Code → Write File with the default Content', function () {
  this.timeout(120000);
  let server: LocalServer;
  let client: AgentBayClient;
  let sessions: SessionTracker;

  before(async () => {
    server = await startTestServer();
    client = clientFor(server);
    sessions = new SessionTracker(() => client);
  });
  afterEach(async () => {
    await sessions.deleteAll();
    assert.equal(server.sessionCount(), 0, 'every session made by the test was deleted');
  });
  after(async () => {
    client?.close();
    await server?.close();
  });

  describe('Node-RED', () => {
    useNodeRedRuntime();

    it('writes the code’s printed output: Write File takes msg.payload.stdout of the Run Code result', async () => {
      await loadFlow(server, [
        { id: 'create', type: 'agentbay-create-session', server: CONFIG_ID, wires: [['code']] },
        { id: 'code', type: 'agentbay-run-code', server: CONFIG_ID, code: CODE, codeType: 'agentbay-text', wires: [['write']] },
        // Only the path is set, as a user does on first use; Content stays at its default.
        { id: 'write', type: 'agentbay-write-file', server: CONFIG_ID, path: FILE, pathType: 'str', wires: [['read']] },
        { id: 'read', type: 'agentbay-read-file', server: CONFIG_ID, path: FILE, pathType: 'str', wires: [['delete', 'afterRead']] },
        { id: 'delete', type: 'agentbay-delete-session', server: CONFIG_ID, wires: [['afterDelete']] },
        { id: 'afterRead', type: 'helper' },
        { id: 'afterDelete', type: 'helper' },
        { id: 'errors', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
        { id: 'caught', type: 'helper' },
      ]);
      const read = nextMessage('afterRead');
      const deleted = nextMessage('afterDelete');
      const caught = nextMessage('caught');
      helper.getNode('create').receive({ payload: 'go' });
      const outcome = await Promise.race([read, caught.then((msg) => Promise.reject(new Error(`flow failed: ${msg.error?.message}`)))]);
      const sessionId = String(outcome.agentbay?.session?.sessionId);
      sessions.track(sessionId);
      assert.equal((outcome.payload as { content: string }).content, PRINTED);
      await deleted;
      sessions.forget(sessionId);
    });

    it('refuses an object without a text stdout before any request, naming Content', async () => {
      await loadFlow(server, [
        { id: 'create', type: 'agentbay-create-session', server: CONFIG_ID, wires: [['write']] },
        { id: 'write', type: 'agentbay-write-file', server: CONFIG_ID, path: FILE, pathType: 'str', wires: [[]] },
        { id: 'errors', type: 'catch', scope: ['write'], uncaught: false, wires: [['caught']] },
        { id: 'caught', type: 'helper' },
      ]);
      const caught = nextMessage('caught');
      // Create Session's result (no stdout) is what reaches Write File's default Content.
      helper.getNode('create').receive({ payload: 'go' });
      const msg = await caught;
      sessions.track(String(msg.agentbay?.session?.sessionId));
      assert.match(String(msg.error?.message), /Content \(content\) is an object without a text "stdout" field/);
    });
  });

  describe('n8n', () => {
    const run = async (operationId: string, items: INodeExecutionData[], parameters: INodeParameters = {}) =>
      (await executeN8nNode(operationId, { items, parameters, credentials: connectionFor(server) })).output[0];

    it('writes the code’s printed output: Content defaults to {{ $json.stdout }}', async () => {
      const created = await run('createSession', [{ json: {} }]);
      sessions.track(String(created[0].json.sessionId));
      const ran = await run('runCode', created, { code: CODE });
      assert.equal(ran[0].json.stdout, PRINTED);
      const written = await run('writeFile', ran, { path: FILE }); // Content left at its default
      assert.equal(written[0].json.bytesWritten, Buffer.byteLength(PRINTED));
      const read = await run('readFile', written, { path: FILE });
      assert.equal(read[0].json.content, PRINTED);
      const sessionId = String((read[0].json.session as IDataObject).sessionId);
      await run('deleteSession', [{ json: { sessionId } }]);
      sessions.forget(sessionId);
    });

    it('names Content when the previous item has no stdout', async () => {
      const created = await run('createSession', [{ json: {} }]);
      sessions.track(String(created[0].json.sessionId));
      await assert.rejects(
        run('writeFile', created, { path: FILE }),
        (error: unknown) => error instanceof NodeOperationError && /Content \(content\) is required/.test(error.message),
      );
    });
  });
});
