/**
 * Contexts on the local server, over real HTTP with the package's client and real sandboxes:
 * persistence across sessions, file URLs, sync rules, clearing, pagination and errors.
 */
import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import type { LocalServer } from '../../../local-server/server';
import type { AgentBayClient } from '../../../nodes/core/client/client';
import { clientFor, startTestServer } from '../../support/local-server';
import { contextTasks, createSessionWith, deleteAndWait, expectError, makeContext, settled, tool } from '../../support/contexts';
import { sleep, waitFor } from '../../support/wait';

async function urlOf(
  client: AgentBayClient,
  action: 'GetContextFileUploadUrl' | 'GetContextFileDownloadUrl',
  contextId: string, filePath: string): Promise<string> {
  const res = await client.call(action, { ContextId: contextId, FilePath: filePath });
  const data = res.Data as { Url: string; ExpireTime: number };
  assert.ok(data.ExpireTime > Date.now() / 1000, 'ExpireTime is in the future (Unix seconds)');
  return data.Url;
}

describe('local server: contexts', function () {
  this.timeout(120_000);
  let server: LocalServer;
  let client: AgentBayClient;

  before(async () => {
    server = await startTestServer({ contextSyncDelayMs: 50 });
    client = clientFor(server);
  });
  after(async () => {
    await server.close();
  });

  it('keeps a file written in session A (deleted with sync) for session B with the same context', async () => {
    const contextId = await makeContext(client, 'carry-over');
    const a = await createSessionWith(client, [{ ContextId: contextId, Path: '/home/wuying/project' }]);
    await settled(client, a);
    await tool(client, a, 'shell', { command: 'mkdir -p /home/wuying/project/sub && printf "from A" > /home/wuying/project/sub/note.txt', timeout_ms: 10000 });
    // As the SDK's delete(syncContext=true): SyncContext, wait through GetContextInfo, then delete.
    await client.call('SyncContext', { SessionId: a, Mode: 'upload' });
    const uploads = await settled(client, a, { TaskType: 'upload' });
    assert.deepEqual(uploads.map((t) => [t.contextId, t.path, t.status, t.errorMessage]), [[contextId, '/home/wuying/project', 'Success', '']]);
    await deleteAndWait(client, a);

    const b = await createSessionWith(client, [{ ContextId: contextId, Path: '/home/wuying/project' }]);
    const downloads = await settled(client, b);
    assert.deepEqual(downloads.map((t) => [t.taskType, t.status]), [['download', 'Success']]);
    assert.equal(await tool(client, b, 'read_file', { path: '/home/wuying/project/sub/note.txt' }), 'from A');
    await deleteAndWait(client, b);
  });

  it('uploads a session on release (autoUpload) even without SyncContext, and not when autoUpload is off', async () => {
    const auto = await makeContext(client, 'auto-upload');
    const manual = await makeContext(client, 'manual-upload');
    const off = JSON.stringify({ uploadPolicy: { autoUpload: false } });
    const s = await createSessionWith(client, [
      { ContextId: auto, Path: '/home/wuying/auto' },
      { ContextId: manual, Path: '/tmp/manual', Policy: off },
    ]);
    await settled(client, s);
    await tool(client, s, 'write_file', { path: '/home/wuying/auto/a.txt', content: 'auto', mode: 'overwrite' });
    await tool(client, s, 'write_file', { path: '/tmp/manual/m.txt', content: 'manual', mode: 'overwrite' });
    await deleteAndWait(client, s);
    const listed = async (id: string, folder: string): Promise<string[]> =>
      ((await client.call('DescribeContextFiles', { ContextId: id, ParentFolderPath: folder })).Data as Array<{ FileName: string }>).map((e) => e.FileName);
    assert.deepEqual(await listed(auto, '/home/wuying/auto'), ['a.txt']);
    assert.deepEqual(await listed(manual, '/tmp/manual'), []);
  });

  it('puts a file uploaded by URL into a session on a download sync, and serves its exact bytes back', async () => {
    const contextId = await makeContext(client, 'by-url');
    const bytes = randomBytes(3 * 1024 * 1024 + 17);
    const put = await fetch(await urlOf(client, 'GetContextFileUploadUrl', contextId, '/tmp/in/blob.bin'), { method: 'PUT', body: bytes });
    assert.equal(put.status, 200);

    const got = await fetch(await urlOf(client, 'GetContextFileDownloadUrl', contextId, '/tmp/in/blob.bin'));
    assert.equal(got.status, 200);
    assert.ok(Buffer.from(await got.arrayBuffer()).equals(bytes), 'the download URL returns the uploaded bytes');

    const s = await createSessionWith(client, [{ ContextId: contextId, Path: '/tmp/in', Policy: JSON.stringify({ downloadPolicy: { autoDownload: false } }) }]);
    assert.deepEqual(await contextTasks(client, s), [], 'autoDownload off: nothing on create');
    await client.call('SyncContext', { SessionId: s, ContextId: contextId, Path: '/tmp/in', Mode: 'download' });
    const tasks = await settled(client, s);
    assert.deepEqual(tasks.map((t) => [t.taskType, t.status]), [['download', 'Success']]);
    const text = await tool(client, s, 'shell', { command: 'sha256sum /tmp/in/blob.bin', timeout_ms: 10000 });
    const { createHash } = await import('node:crypto');
    assert.match(text, new RegExp(createHash('sha256').update(bytes).digest('hex')));
    await deleteAndWait(client, s);
  });

  it('reports a failed sync task with its error', async () => {
    const contextId = await makeContext(client, 'fails');
    await fetch(await urlOf(client, 'GetContextFileUploadUrl', contextId, '/home/wuying/f/x.txt'), { method: 'PUT', body: 'x' });
    const s = await createSessionWith(client, [{ ContextId: contextId, Path: '/home/wuying/f', Policy: JSON.stringify({ downloadPolicy: { autoDownload: false } }) }]);
    await tool(client, s, 'shell', { command: 'mkdir -p /home/wuying/f/x.txt', timeout_ms: 10000 });
    await client.call('SyncContext', { SessionId: s, ContextId: contextId, Path: '/home/wuying/f', Mode: 'download' });
    const [task] = await settled(client, s);
    assert.equal(task.status, 'Failed');
    assert.match(task.errorMessage, /x\.txt.*not a regular file/);
    assert.ok(task.finishTime >= task.startTime && task.startTime > 0);
    await deleteAndWait(client, s);
  });

  it('honours white lists and their exclude paths, both ways', async () => {
    const contextId = await makeContext(client, 'lists');
    const policy = JSON.stringify({ bwList: { whiteLists: [{ path: '/keep', excludePaths: ['/keep/secret'] }] } });
    const s = await createSessionWith(client, [{ ContextId: contextId, Path: '/home/wuying/w', Policy: policy }]);
    await settled(client, s);
    await tool(client, s, 'shell', {
      command: 'mkdir -p /home/wuying/w && cd /home/wuying/w && mkdir -p keep/secret other && echo a > keep/a.txt && echo s > keep/secret/s.txt && echo o > other/o.txt',
      timeout_ms: 10000,
    });
    await client.call('SyncContext', { SessionId: s, ContextId: contextId, Path: '/home/wuying/w', Mode: 'upload' });
    await settled(client, s);
    const list = async (folder: string): Promise<string[]> =>
      ((await client.call('DescribeContextFiles', { ContextId: contextId, ParentFolderPath: folder })).Data as Array<{ FilePath: string }>).map((e) => e.FilePath);
    assert.deepEqual(await list('/home/wuying/w'), ['/home/wuying/w/keep']);
    assert.deepEqual(await list('/home/wuying/w/keep'), ['/home/wuying/w/keep/a.txt']);

    // Downloads filter too: a file put in the context outside the white list stays out of the session.
    await fetch(await urlOf(client, 'GetContextFileUploadUrl', contextId, '/home/wuying/w/other/url.txt'), { method: 'PUT', body: 'u' });
    await fetch(await urlOf(client, 'GetContextFileUploadUrl', contextId, '/home/wuying/w/keep/url.txt'), { method: 'PUT', body: 'k' });
    await client.call('SyncContext', { SessionId: s, Mode: 'download' });
    await settled(client, s);
    const ls = await tool(client, s, 'shell', { command: 'cd /home/wuying/w && ls keep other', timeout_ms: 10000 });
    assert.match(ls, /url\.txt/);
    assert.doesNotMatch(ls.split('other:')[1] ?? '', /url\.txt/);
    await deleteAndWait(client, s);
  });

  it('downloads from the mapping policy path into the session path', async () => {
    const contextId = await makeContext(client, 'mapped');
    await fetch(await urlOf(client, 'GetContextFileUploadUrl', contextId, '/tmp/elsewhere/m.txt'), { method: 'PUT', body: 'mapped' });
    const policy = JSON.stringify({ mappingPolicy: { path: '/tmp/elsewhere' } });
    const s = await createSessionWith(client, [{ ContextId: contextId, Path: '/home/wuying/here', Policy: policy }]);
    await settled(client, s);
    assert.equal(await tool(client, s, 'read_file', { path: '/home/wuying/here/m.txt' }), 'mapped');
    await deleteAndWait(client, s);
  });

  it('pages 25 contexts with MaxResults and NextToken', async () => {
    const made = new Set<string>();
    for (let i = 0; i < 25; i += 1) made.add(await makeContext(client, `page-${String(i).padStart(2, '0')}`));
    const seen: string[] = [];
    let token = '';
    let pages = 0;
    let total = 0;
    do {
      const res = await client.call('ListContexts', token ? { MaxResults: 10, NextToken: token } : { MaxResults: 10 });
      const data = res.Data as Array<{ Id: string; Name: string; CreateTime: string; State: string }>;
      assert.ok(data.length <= 10);
      seen.push(...data.map((c) => c.Id));
      total = Number(res.TotalCount);
      token = String(res.NextToken ?? '');
      pages += 1;
    } while (token && pages < 20);
    assert.equal(seen.length, total);
    assert.equal(new Set(seen).size, seen.length, 'no context twice');
    for (const id of made) assert.ok(seen.includes(id), `${id} listed`);
    assert.equal(pages, Math.ceil(total / 10));
  });

  it('clears a context: clearing, then available with no files', async () => {
    const contextId = await makeContext(client, 'to-clear');
    await fetch(await urlOf(client, 'GetContextFileUploadUrl', contextId, '/tmp/c/file.txt'), { method: 'PUT', body: 'c' });
    await client.call('ClearContext', { Id: contextId });
    const state = async (): Promise<string> => String(((await client.call('GetContext', { ContextId: contextId, AllowCreate: 'false' })).Data as { State: string }).State);
    assert.equal(await state(), 'clearing');
    assert.equal(await waitFor(async () => { const now = await state(); return now !== 'clearing' && now; }, 5000, 'the clear to finish', 50), 'available');
    const files = (await client.call('DescribeContextFiles', { ContextId: contextId, ParentFolderPath: '/tmp/c' })).Data as unknown[];
    assert.deepEqual(files, []);
  });

  it('renames and deletes contexts and files', async () => {
    const contextId = await makeContext(client, 'rename-me');
    await client.call('ModifyContext', { Id: contextId, Name: 'renamed' });
    const got = (await client.call('GetContext', { Name: 'renamed', AllowCreate: 'false' })).Data as { Id: string };
    assert.equal(got.Id, contextId);
    await fetch(await urlOf(client, 'GetContextFileUploadUrl', contextId, '/tmp/d.txt'), { method: 'PUT', body: 'd' });
    await client.call('DeleteContextFile', { ContextId: contextId, FilePath: '/tmp/d.txt' });
    await expectError(client.call('GetContextFileDownloadUrl', { ContextId: contextId, FilePath: '/tmp/d.txt' }), 'InvalidContextFile.NotFound', /file not exist/);
    await client.call('DeleteContext', { Id: contextId });
    await expectError(client.call('GetContext', { ContextId: contextId, AllowCreate: 'false' }), 'InvalidContext.NotFound', /does not exist/);
  });

  it('gives the session a file-transfer context through GET GetAndLoadInternalContext', async () => {
    const s = String(((await client.call('CreateMcpSession', { ImageId: 'linux_latest' })).Data as { SessionId: string }).SessionId);
    const res = await client.call('GetAndLoadInternalContext', { SessionId: s, 'ContextTypes.1': 'file_transfer' });
    const [item] = res.Data as Array<{ ContextId: string; ContextPath: string; ContextType: string }>;
    assert.equal(item.ContextType, 'file_transfer');
    const remote = `${item.ContextPath}/up.txt`;
    await fetch(await urlOf(client, 'GetContextFileUploadUrl', item.ContextId, remote), { method: 'PUT', body: 'via transfer' });
    await client.call('SyncContext', { SessionId: s, ContextId: item.ContextId, Path: remote, Mode: 'download' });
    const [task] = await settled(client, s, { ContextId: item.ContextId, Path: remote });
    assert.equal(task.status, 'Success');
    assert.equal(await tool(client, s, 'read_file', { path: remote }), 'via transfer');
    const listed = (await client.call('ListContexts', { MaxResults: 100 })).Data as Array<{ Id: string }>;
    assert.ok(!listed.some((c) => c.Id === item.ContextId), 'the file-transfer context is not listed');
    await deleteAndWait(client, s);
  });

  it('refuses unknown contexts, Name with ContextId, and paths outside the session, naming the field', async () => {
    await expectError(client.call('GetContext', { ContextId: 'SdkCtx-00000000000000000', AllowCreate: 'false' }), 'InvalidContext.NotFound', /SdkCtx-0+/);
    await expectError(client.call('GetContext', { Name: 'nope-never-made', AllowCreate: 'false' }), 'InvalidContext.NotFound', /nope-never-made/);
    await expectError(client.call('ClearContext', { Id: 'invalid-context-id-12345' }), 'InvalidContext.NotFound', /invalid-context-id/);
    await expectError(client.call('GetContext', { Name: 'x', ContextId: 'SdkCtx-00000000000000000', AllowCreate: 'false' }), 'InvalidParameter', /Name and ContextId/);
    const contextId = await makeContext(client, 'errors');
    await expectError(createSessionWith(client, [{ ContextId: contextId, Path: '/etc' }]), 'InvalidParameter', /PersistenceDataList\[0\]\.Path.*outside the session/);
    await expectError(createSessionWith(client, [{ ContextId: 'SdkCtx-00000000000000000', Path: '/tmp/x' }]), 'InvalidContext.NotFound', /PersistenceDataList\[0\]\.ContextId/);
    await expectError(client.call('GetContextFileUploadUrl', { ContextId: contextId, FilePath: '/tmp/../etc/passwd' }), 'InvalidParameter', /FilePath/);
    const s = await createSessionWith(client, [{ ContextId: contextId, Path: '/tmp/e' }]);
    await expectError(client.call('SyncContext', { SessionId: s, ContextId: contextId, Path: '/home/wuying/other' }), 'InvalidParameter', /Path: context .* is not synced/);
    await expectError(client.call('SyncContext', { SessionId: s, ContextId: contextId }), 'InvalidParameter', /ContextId and Path/);
    await deleteAndWait(client, s);
  });

  describe('file URLs', () => {
    it('answers tampered URLs, the wrong method and a too-large body with JSON errors', async () => {
      const contextId = await makeContext(client, 'urls');
      const up = await urlOf(client, 'GetContextFileUploadUrl', contextId, '/tmp/u.txt');
      assert.doesNotMatch(up, new RegExp(server.apiKey), 'no API key in the URL');
      const tampered = [
        up.replace(/sig=([0-9a-f])/, (_m, c: string) => `sig=${c === '0' ? '1' : '0'}`),
        up.replace('%2Fu.txt', '%2Fv.txt'),
        up.replace(/expires=(\d+)/, (_m, n: string) => `expires=${Number(n) + 1000}`),
        up.replace('op=upload', 'op=download'),
      ];
      for (const url of tampered) {
        const res = await fetch(url, { method: url.includes('op=download') ? 'GET' : 'PUT', body: url.includes('op=download') ? undefined : 'x' });
        assert.equal(res.status, 403, url);
        const body = (await res.json()) as { Code: string; Success: boolean };
        assert.equal(body.Code, 'AccessDenied');
        assert.equal(body.Success, false);
      }
      const wrongMethod = await fetch(up);
      assert.equal(wrongMethod.status, 403);
      assert.match(((await wrongMethod.json()) as { Message: string }).Message, /PUT only/);
    });

    it('refuses expired URLs and bodies over the limit', async () => {
      const small = await startTestServer({ contextUrlTtlMs: 300, maxContextFileBytes: 1024 });
      try {
        const c = clientFor(small);
        const contextId = await makeContext(c, 'expiring');
        const big = await fetch(await urlOf(c, 'GetContextFileUploadUrl', contextId, '/tmp/big'), { method: 'PUT', body: Buffer.alloc(4096) });
        assert.equal(big.status, 413);
        assert.equal(((await big.json()) as { Code: string }).Code, 'RequestTooLarge');
        const url = await urlOf(c, 'GetContextFileUploadUrl', contextId, '/tmp/late');
        await sleep(1300); // past the URL's 1 s lifetime
        const late = await fetch(url, { method: 'PUT', body: 'x' });
        assert.equal(late.status, 403);
        assert.match(((await late.json()) as { Message: string }).Message, /expired/);
      } finally {
        await small.close();
      }
    });
  });
});
