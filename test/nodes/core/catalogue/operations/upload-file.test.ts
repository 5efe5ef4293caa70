/**
 * Upload File and Download File through the session's file-transfer context, in both runtimes
 * against the local server: a 5 MB random file round-trips byte for byte (n8n binary data in and
 * out through the real execute path; Node-RED Buffers in msg.payload), the context is left empty,
 * and bad input (missing binary property, a path outside the session, too large) fails naming the
 * field before any request.
 */
import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import type { LocalServer } from '../../../../../local-server/server';
import type { AgentBayClient } from '../../../../../nodes/core/client/client';
import { clientFor, connectionFor, startTestServer } from '../../../../support/local-server';
import { binaryItem, executeN8nNode } from '../../../../support/n8n';
import { CONFIG_ID, helper, loadFlow, nextMessage, type Message } from '../../../../support/node-red';
import { SessionTracker, sha256 } from '../../../../support/core-session';
import { startForwardProxy } from '../../../../support/forward-proxy';
import type { SessionRef } from '../../../../../nodes/core/catalogue/session';
import type { INodeParameters } from 'n8n-workflow';

type Payload = Record<string, unknown>;
const FIVE_MB = 5 * 1024 * 1024;

/** The files the session's file-transfer context still holds (the nodes delete theirs). */
async function transferContextFiles(client: AgentBayClient, sessionId: string): Promise<unknown[]> {
  const internal = await client.call('GetAndLoadInternalContext', { SessionId: sessionId, 'ContextTypes.1': 'file_transfer' });
  const contextId = String((internal.Data as Array<{ ContextId: string }>)[0].ContextId);
  const listed = await client.call('DescribeContextFiles', { ContextId: contextId, ParentFolderPath: '/', PageSize: 100 });
  return (Array.isArray(listed.Data) ? listed.Data : []).filter((file) => (file as { FileType?: string }).FileType !== 'folder');
}

describe('Upload File and Download File (file-transfer context, both runtimes)', function () {
  this.timeout(180000);
  let server: LocalServer;
  let client: AgentBayClient;
  let sessions: SessionTracker;
  const serverLog: string[] = [];

  before(async () => {
    server = await startTestServer({ log: (line) => serverLog.push(line), contextSyncDelayMs: 0 });
    client = clientFor(server);
    sessions = new SessionTracker(() => client);
  });
  afterEach(() => sessions.deleteAll());
  after(async () => {
    await sessions?.deleteAll();
    client?.close();
    const left = server?.sessionCount() ?? 0;
    await server?.close();
    assert.equal(left, 0, 'every session was deleted');
  });

  describe('n8n', () => {
    it('round-trips 5 MB of random bytes from binary data to binary data', async () => {
      const session = await sessions.create();
      const data = randomBytes(FIVE_MB);
      const item = binaryItem({ session }, 'file', data);
      const uploaded = await executeN8nNode('uploadFile', {
        items: [item],
        parameters: { path: '/home/wuying/in/random.bin', contentBinaryProperty: 'file' },
        credentials: connectionFor(server),
      });
      const upJson = uploaded.output[0][0].json;
      assert.equal(upJson.path, '/home/wuying/in/random.bin');
      assert.equal(upJson.size, FIVE_MB);
      assert.equal(upJson.mimeType, 'application/octet-stream');
      assert.match(String(upJson.contextId), /\S/);

      const size = await executeN8nNode('executeCommand', {
        items: [{ json: { session } }],
        parameters: { command: 'stat -c %s /home/wuying/in/random.bin' },
        credentials: connectionFor(server),
      });
      assert.equal(String(size.output[0][0].json.stdout).trim(), String(FIVE_MB), 'the file is in the session at its path');

      const downloaded = await executeN8nNode('downloadFile', {
        items: [{ json: { session } }],
        parameters: { path: '/home/wuying/in/random.bin' },
        credentials: connectionFor(server),
      });
      const out = downloaded.output[0][0];
      assert.equal(out.json.size, FIVE_MB);
      assert.equal(out.json.fileName, 'random.bin');
      const binary = out.binary?.data;
      assert.ok(binary, 'the file is the binary property "data"');
      assert.equal(sha256(Buffer.from(binary.data, 'base64')), sha256(data));
      assert.deepEqual(await transferContextFiles(client, session.sessionId), [], 'the transfers left nothing in the context');
      assert.ok(downloaded.logs.some((line) => /waiting for context sync|syncing out of the session/.test(line)), 'progress is logged');
    });

    it('fetches the presigned URLs through the connection’s proxy, without the API key', async () => {
      const session = await sessions.create();
      const proxy = await startForwardProxy();
      try {
        const credentials = { ...connectionFor(server), proxy: proxy.url };
        const data = randomBytes(64 * 1024);
        await executeN8nNode('uploadFile', { items: [binaryItem({ session }, 'data', data)], parameters: { path: '/tmp/file_transfer/p.bin' }, credentials });
        const down = await executeN8nNode('downloadFile', { items: [{ json: { session } }], parameters: { path: '/tmp/file_transfer/p.bin' }, credentials });
        assert.equal(sha256(Buffer.from(down.output[0][0].binary?.data.data ?? '', 'base64')), sha256(data));
        const fileRequests = proxy.forwarded.map((line, index) => ({ line, headers: proxy.forwardedHeaders[index] })).filter(({ line }) => line.includes('/context-files/'));
        assert.deepEqual(fileRequests.map(({ line }) => line.split(' ')[0]), ['PUT', 'GET'], 'both transfers went through the proxy');
        for (const { line, headers } of fileRequests) {
          assert.ok(!line.includes(server.apiKey) && !JSON.stringify(headers).includes(server.apiKey), 'no API key with a presigned URL');
        }
      } finally {
        await proxy.close();
      }
    });

    it('refuses a missing binary property, a path outside the session and a file over Max Size before any request', async () => {
      const session = await sessions.create();
      const before = serverLog.length;
      const upload = (parameters: INodeParameters, data = Buffer.from('bytes')) =>
        executeN8nNode('uploadFile', { items: [binaryItem({ session }, 'data', data)], parameters, credentials: connectionFor(server) });
      await assert.rejects(upload({ path: '/home/wuying/a.bin', contentBinaryProperty: 'missing' }), /binary file 'missing'/);
      await assert.rejects(upload({ path: '/etc/passwd' }), /Path \(path\) is outside the session: expected an absolute path inside \/home\/wuying or \/tmp/);
      await assert.rejects(upload({ path: 'relative.bin' }), /Path \(path\) is not absolute/);
      await assert.rejects(upload({ path: '/home/wuying/../../etc/x' }), /Path \(path\) contains "\." or "\.\." components/);
      await assert.rejects(
        upload({ path: '/home/wuying/big.bin', options: { maxSizeMb: 1 } }, Buffer.alloc(1024 * 1024 + 1)),
        /Content \(content\) is too large: 1048577 bytes, the limit is 1048576 bytes/,
      );
      await assert.rejects(
        executeN8nNode('downloadFile', { items: [{ json: { session } }], parameters: { path: '/proc/self/environ' }, credentials: connectionFor(server) }),
        /Path \(path\) is outside the session/,
      );
      assert.deepEqual(serverLog.slice(before), [], 'no request reached the server');
    });
  });

  describe('Node-RED', () => {
    beforeEach(() => helper.startServer());
    afterEach(async () => {
      await helper.unload();
      await helper.stopServer();
    });

    it('round-trips a 5 MB Buffer from msg.payload through Upload File → Download File', async () => {
      const session: SessionRef = await sessions.create();
      await loadFlow(server, [
        { id: 'upload', type: 'agentbay-upload-file', server: CONFIG_ID, path: '/tmp/file_transfer/random.bin', pathType: 'str', wires: [['afterUpload', 'download']] },
        { id: 'download', type: 'agentbay-download-file', server: CONFIG_ID, path: '/tmp/file_transfer/random.bin', pathType: 'str', wires: [['afterDownload']] },
        { id: 'afterUpload', type: 'helper' },
        { id: 'afterDownload', type: 'helper' },
      ]);
      const statuses: Array<{ text?: string }> = [];
      helper.getNode('upload').on('call:status', ((call: { args: Array<{ text?: string }> }) => statuses.push(call.args[0])) as never);
      const data = randomBytes(FIVE_MB);
      const afterUpload = nextMessage('afterUpload', 120000);
      const afterDownload = nextMessage('afterDownload', 120000);
      helper.getNode('upload').receive({ payload: data, agentbay: { session } });
      const up = (await afterUpload).payload as Payload;
      assert.equal(up.size, FIVE_MB);
      assert.equal(up.path, '/tmp/file_transfer/random.bin');
      const down: Message = await afterDownload;
      const payload = down.payload as Payload;
      assert.ok(Buffer.isBuffer(payload.data), 'msg.payload.data is a Buffer');
      assert.equal(sha256(payload.data as Buffer), sha256(data));
      assert.equal(payload.size, FIVE_MB);
      assert.equal(down.agentbay?.session?.sessionId, session.sessionId, 'the session travels on');
      assert.ok(statuses.some((status) => status.text === 'syncing into the session'), 'the node shows its progress');
      assert.deepEqual(await transferContextFiles(client, session.sessionId), []);
    });

    it('fails with done(err) naming the field for a path outside the session, before any request', async () => {
      const session = await sessions.create();
      await loadFlow(server, [
        { id: 'upload', type: 'agentbay-upload-file', server: CONFIG_ID, path: '/var/x.bin', pathType: 'str', wires: [[]] },
        { id: 'errors', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
        { id: 'caught', type: 'helper' },
      ]);
      const before = serverLog.length;
      const caught = nextMessage('caught');
      helper.getNode('upload').receive({ payload: Buffer.from('x'), agentbay: { session } });
      const message = await caught;
      assert.match(String(message.error?.message), /Path \(path\) is outside the session/);
      assert.deepEqual(serverLog.slice(before), []);
    });
  });
});
