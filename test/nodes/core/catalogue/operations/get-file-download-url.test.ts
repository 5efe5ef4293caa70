/**
 * Get File Download URL's own behaviour: the URL gives back the exact bytes the context holds,
 * carries no API key and expires in the future; a missing file is the service's not-found error;
 * in n8n, a file uploaded through Get File Upload URL comes back byte for byte.
 */
import axios from 'axios';
import { randomBytes } from 'node:crypto';
import type { INodeExecutionData, INodeParameters } from 'n8n-workflow';
import { strict as assert } from 'node:assert';
import type { LocalServer } from '../../../../../local-server/server';
import type { AgentBayClient } from '../../../../../nodes/core/client/client';
import { makeContext } from '../../../../support/contexts';
import { clientFor, connectionFor, startTestServer } from '../../../../support/local-server';
import { executeN8nNode } from '../../../../support/n8n';
import { runOnContext, uploadToContext } from './context-fixtures';

describe('Get File Download URL', function () {
  this.timeout(60000);
  let server: LocalServer;
  let client: AgentBayClient;
  before(async () => {
    server = await startTestServer();
    client = clientFor(server);
  });
  after(async () => {
    client?.close();
    await server?.close();
  });
  const rejectsWith = (run: Promise<unknown>, message: string) => assert.rejects(run, (error: Error) => error.message === message);

  it('returns a URL giving the file\'s exact bytes, with its fields', async () => {
    const contextId = await makeContext(client, 'download-url');
    const bytes = randomBytes(3000);
    await uploadToContext(client, contextId, '/data/blob.bin', bytes);
    const json = (await runOnContext(client, 'getFileDownloadUrl', contextId, { filePath: '/data/blob.bin' })).json;
    assert.deepEqual([json.contextId, json.filePath], [contextId, '/data/blob.bin']);
    assert.match(String(json.requestId), /.+/);
    assert.ok(Number(json.expireTime) > Date.now() / 1000, 'the URL expires in the future');
    assert.ok(!String(json.url).includes(server.apiKey), 'the URL carries no API key');
    const downloaded = await axios.get<ArrayBuffer>(String(json.url), { responseType: 'arraybuffer' });
    assert.ok(Buffer.from(downloaded.data).equals(bytes));
  });

  it('a missing file fails with the service\'s code and message', async () => {
    const contextId = await makeContext(client, 'download-url-missing');
    await rejectsWith(
      runOnContext(client, 'getFileDownloadUrl', contextId, { filePath: '/data/none.txt' }),
      `[InvalidContextFile.NotFound] The file does not exist in context ${contextId} (file not exist): /data/none.txt`,
    );
  });

  it('n8n: the download URL returns the exact bytes', async () => {
    const run = async (operationId: string, items: INodeExecutionData[], parameters: INodeParameters = {}) =>
      (await executeN8nNode(operationId, { items, parameters, credentials: connectionFor(server) })).output[0];
    const bytes = randomBytes(70000);
    const got = await run('createContext', [{ json: {} }], { contextName: 'download-bytes' });
    const up = await run('getFileUploadUrl', got, { filePath: '/home/wuying/blob.bin' });
    await axios.put(up[0].json.url as string, bytes);
    const down = await run('getFileDownloadUrl', got, { filePath: '/home/wuying/blob.bin' });
    const answer = await axios.get<ArrayBuffer>(down[0].json.url as string, { responseType: 'arraybuffer' });
    assert.ok(Buffer.from(answer.data).equals(bytes));
    await assert.rejects(run('getFileDownloadUrl', got, { filePath: '/home/wuying/missing.bin' }), /InvalidContextFile\.NotFound/);
  });
});
