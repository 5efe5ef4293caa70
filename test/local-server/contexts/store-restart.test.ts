/**
 * The context store survives a restart of the local server with the same data directory, and
 * reads a damaged index as hostile input.
 */
import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { clientFor, startTestServer } from '../../support/local-server';
import { makeContext } from '../../support/contexts';

async function fileUrl(
  client: ReturnType<typeof clientFor>,
  action: 'GetContextFileUploadUrl' | 'GetContextFileDownloadUrl',
  contextId: string, filePath: string): Promise<string> {
  return String(((await client.call(action, { ContextId: contextId, FilePath: filePath })).Data as { Url: string }).Url);
}

describe('local server: contexts across a restart', function () {
  this.timeout(60_000);
  let dataDir: string;
  beforeEach(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'agentbay-ctx-restart-'));
  });
  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('keeps contexts, names and file bytes; old URLs stop working', async () => {
    const bytes = randomBytes(200_000);
    const first = await startTestServer({ dataDir });
    let contextId: string;
    let oldUrl: string;
    try {
      const client = clientFor(first);
      contextId = await makeContext(client, 'survivor');
      await client.call('ModifyContext', { Id: contextId, Name: 'survivor-renamed' });
      const put = await fetch(await fileUrl(client, 'GetContextFileUploadUrl', contextId, '/home/wuying/keep.bin'), { method: 'PUT', body: bytes });
      assert.equal(put.status, 200);
      oldUrl = await fileUrl(client, 'GetContextFileDownloadUrl', contextId, '/home/wuying/keep.bin');
    } finally {
      await first.close();
    }

    const second = await startTestServer({ dataDir });
    try {
      const client = clientFor(second);
      const got = (await client.call('GetContext', { Name: 'survivor-renamed', AllowCreate: 'false' })).Data as { Id: string; State: string };
      assert.equal(got.Id, contextId);
      assert.equal(got.State, 'available');
      const files = (await client.call('DescribeContextFiles', { ContextId: contextId, ParentFolderPath: '/home/wuying' })).Data as Array<{ FileName: string; Size: number }>;
      assert.deepEqual(files.map((f) => [f.FileName, f.Size]), [['keep.bin', bytes.length]]);
      const res = await fetch(await fileUrl(client, 'GetContextFileDownloadUrl', contextId, '/home/wuying/keep.bin'));
      assert.ok(Buffer.from(await res.arrayBuffer()).equals(bytes));
      // The signing secret is made at each start: a URL from the last run grants nothing.
      const stale = await fetch(oldUrl.replace(/^http:\/\/[^/]+/, second.url));
      assert.equal(stale.status, 403);
    } finally {
      await second.close();
    }
  });

  it('drops index entries that are malformed or hostile, keeping the rest', async () => {
    const first = await startTestServer({ dataDir });
    let good: string;
    try {
      good = await makeContext(clientFor(first), 'good');
    } finally {
      await first.close();
    }
    const indexFile = path.join(dataDir, 'contexts', 'index.json');
    const index = JSON.parse(await readFile(indexFile, 'utf8')) as { contexts: unknown[] };
    index.contexts.push(
      { id: '../../etc', name: 'evil', seq: 9, createdAt: 1, lastUsedAt: 1, files: [] },
      { id: 'SdkCtx-aaaaaaaaaaaaaaaaa', name: '__proto__', seq: 10, createdAt: 1, lastUsedAt: 1, files: [{ path: '/tmp/../etc/passwd', fileId: 'f-000000000000000000000000', size: 1, createdAt: 1, modifiedAt: 1 }] },
      'not an object',
    );
    await writeFile(indexFile, JSON.stringify(index));
    const orphan = path.join(dataDir, 'contexts', 'blobs', 'SdkCtx-zzzzzzzzzzzzzzzzz');
    await mkdir(orphan, { recursive: true });
    await writeFile(path.join(orphan, 'f-000000000000000000000000'), 'left by a crashed run');
    const second = await startTestServer({ dataDir });
    try {
      const listed = (await clientFor(second).call('ListContexts', { MaxResults: 100 })).Data as Array<{ Id: string; Name: string }>;
      assert.deepEqual(listed.map((c) => c.Name).sort(), ['__proto__', 'good']);
      assert.ok(listed.some((c) => c.Id === good));
      const files = (await clientFor(second).call('DescribeContextFiles', { ContextId: 'SdkCtx-aaaaaaaaaaaaaaaaa', ParentFolderPath: '/' })).Data as unknown[];
      assert.deepEqual(files, [], 'the file with a ".." path was dropped');
      await assert.rejects(stat(orphan), /ENOENT/, 'blobs of contexts the index does not know are removed');
    } finally {
      await second.close();
    }
  });
});
