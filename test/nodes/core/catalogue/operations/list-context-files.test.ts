/**
 * List Context Files' own behaviour: the entries of a folder as the context holds them (files and
 * sub-folders, sizes), paging, and an unknown context as the service's not-found error.
 */
import { strict as assert } from 'node:assert';
import type { LocalServer } from '../../../../../local-server/server';
import type { AgentBayClient } from '../../../../../nodes/core/client/client';
import { makeContext } from '../../../../support/contexts';
import { clientFor, startTestServer } from '../../../../support/local-server';
import { runOnContext, uploadToContext } from './context-fixtures';

interface Entry {
  fileName: string;
  filePath: string;
  fileType: string;
  size: number;
}

describe('List Context Files', function () {
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

  it('lists the folder\'s entries with their fields, and pages them', async () => {
    const contextId = await makeContext(client, 'list-files');
    await uploadToContext(client, contextId, '/data/one.txt', Buffer.from('1'));
    await uploadToContext(client, contextId, '/data/three.txt', Buffer.from('333'));
    await uploadToContext(client, contextId, '/data/sub/deep.txt', Buffer.from('deep'));
    const json = (await runOnContext(client, 'listContextFiles', contextId, { folder: '/data' })).json;
    assert.equal(json.contextId, contextId);
    assert.match(String(json.requestId), /.+/);
    const files = (json.files as Entry[]).map(({ fileName, filePath, fileType, size }) => ({ fileName, filePath, fileType, size }));
    const wire = await client.call('DescribeContextFiles', { ContextId: contextId, ParentFolderPath: '/data', PageNumber: 1, PageSize: 50 });
    assert.equal(json.count, Number(wire.Count));
    const byPath = (a: { filePath: string }, b: { filePath: string }) => a.filePath.localeCompare(b.filePath);
    assert.deepEqual(
      files.filter((file) => file.fileType === 'file').sort(byPath),
      [
        { fileName: 'one.txt', filePath: '/data/one.txt', fileType: 'file', size: 1 },
        { fileName: 'three.txt', filePath: '/data/three.txt', fileType: 'file', size: 3 },
      ],
    );
    assert.deepEqual(files.filter((file) => file.fileType === 'folder').map((file) => file.fileName), ['sub']);
    const page = (await runOnContext(client, 'listContextFiles', contextId, { folder: '/data', page: 1, pageSize: 1 })).json;
    assert.equal((page.files as Entry[]).length, 1);
    assert.equal(page.count, json.count);
  });

  it('an unknown context fails with the service\'s code and message', () =>
    rejectsWith(
      runOnContext(client, 'listContextFiles', 'SdkCtx-0000000000000none', { folder: '/' }),
      '[InvalidContext.NotFound] The context does not exist: SdkCtx-0000000000000none',
    ));
});
