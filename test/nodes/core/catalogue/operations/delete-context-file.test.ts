/**
 * Delete Context File's own behaviour: the file is gone from the context on the server, its
 * neighbour stays, and a missing file is the service's not-found error.
 */
import { strict as assert } from 'node:assert';
import type { LocalServer } from '../../../../../local-server/server';
import type { AgentBayClient } from '../../../../../nodes/core/client/client';
import { makeContext } from '../../../../support/contexts';
import { clientFor, startTestServer } from '../../../../support/local-server';
import { runOnContext, uploadToContext } from './context-fixtures';

describe('Delete Context File', function () {
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

  const paths = async (contextId: string): Promise<string[]> => {
    const answer = await client.call('DescribeContextFiles', { ContextId: contextId, ParentFolderPath: '/data', PageNumber: 1, PageSize: 50 });
    return (answer.Data as Array<{ FilePath: string }>).map((file) => file.FilePath).sort();
  };

  it('deletes the file from the context and returns its fields', async () => {
    const contextId = await makeContext(client, 'delete-context-file');
    await uploadToContext(client, contextId, '/data/gone.txt', Buffer.from('a'));
    await uploadToContext(client, contextId, '/data/kept.txt', Buffer.from('b'));
    assert.deepEqual(await paths(contextId), ['/data/gone.txt', '/data/kept.txt']);
    const json = (await runOnContext(client, 'deleteContextFile', contextId, { filePath: '/data/gone.txt' })).json;
    assert.deepEqual([json.deleted, json.contextId, json.filePath], [true, contextId, '/data/gone.txt']);
    assert.match(String(json.requestId), /.+/);
    assert.deepEqual(await paths(contextId), ['/data/kept.txt']);
  });

  it('a missing file fails with the service\'s code and message', async () => {
    const contextId = await makeContext(client, 'delete-context-file-missing');
    await rejectsWith(
      runOnContext(client, 'deleteContextFile', contextId, { filePath: '/data/none.txt' }),
      `[InvalidContextFile.NotFound] The file does not exist in context ${contextId} (file not exist): /data/none.txt`,
    );
  });
});
