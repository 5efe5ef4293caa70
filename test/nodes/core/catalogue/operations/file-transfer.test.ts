/**
 * Write File and Read File on a service without the `format: "binary"` extension (the local server
 * with `binaryFileFormat: false`, which behaves as the cloud's text-only file tools): binary content
 * and large text go through the session's file-transfer context, and the file holds exactly the
 * bytes. With the extension, the same nodes keep using the file tools. Download File moves a file
 * outside the transfer folder back in place, and nothing is left in the folder or the context.
 */
import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import type { LocalServer } from '../../../../../local-server/server';
import type { SessionRef } from '../../../../../nodes/core/catalogue/session';
import { BINARY_CHUNK_BYTES } from '../../../../../nodes/core/catalogue/operations/file-paths';
import type { AgentBayClient } from '../../../../../nodes/core/client/client';
import { AgentBayError, InputValidationError } from '../../../../../nodes/core/client/errors';
import { clientFor, startTestServer } from '../../../../support/local-server';
import { failCore, runCore, SessionTracker, sha256 } from '../../../../support/core-session';

describe('Write File and Read File through the file-transfer context (service without format: binary)', function () {
  this.timeout(180000);
  let server: LocalServer;
  let client: AgentBayClient;
  let sessions: SessionTracker;
  let session: SessionRef;

  const run = (operationId: string, parameters: Record<string, unknown>) => runCore(client, operationId, parameters, session);
  const fail = (operationId: string, parameters: Record<string, unknown>) => failCore(client, operationId, parameters, session);
  /** SHA-256 of a session file, computed in the session (independent of the nodes' read path). */
  const sessionSha256 = async (path: string): Promise<string> =>
    String((await run('executeCommand', { command: `sha256sum ${path} | cut -d' ' -f1` })).output.json.stdout).trim();

  before(async () => {
    server = await startTestServer({ binaryFileFormat: false, contextSyncDelayMs: 0 });
    client = clientFor(server);
    sessions = new SessionTracker(() => client);
    session = await sessions.create();
  });
  after(async () => {
    await sessions?.deleteAll();
    client?.close();
    const left = server?.sessionCount() ?? 0;
    await server?.close();
    assert.equal(left, 0, 'every session was deleted');
  });

  it('the server really lacks the extension: a plain write_file with format binary stores the base64 text', async () => {
    const bytes = Buffer.from([0, 1, 2, 255]);
    await run('callMcpTool', { toolName: 'write_file', arguments: { path: '/tmp/raw.bin', content: bytes.toString('base64'), format: 'binary' } });
    const stdout = String((await run('executeCommand', { command: 'cat /tmp/raw.bin' })).output.json.stdout);
    assert.equal(stdout, bytes.toString('base64'));
  });

  it('writes binary data byte for byte through the context and reads it back exactly', async () => {
    const data = randomBytes(300 * 1024 + 7);
    const written = await run('writeFile', { path: '/home/wuying/out/blob.bin', content: data });
    assert.equal(written.output.json.transfer, 'context');
    assert.equal(written.output.json.encoding, 'binary');
    assert.equal(written.output.json.bytesWritten, data.length);
    assert.equal(written.output.json.chunks, 0);
    assert.equal(await sessionSha256('/home/wuying/out/blob.bin'), sha256(data));

    const read = await run('readFile', { path: 'out/blob.bin', format: 'binary' });
    assert.equal(read.output.json.transfer, 'context');
    assert.equal(read.output.json.size, data.length);
    const [file] = read.output.binary ?? [];
    assert.equal(file.key, 'data');
    assert.equal(sha256(file.data), sha256(data));
    assert.equal(await sessionSha256('/home/wuying/out/blob.bin'), sha256(data), 'the read moved the file back in place');
    const left = await run('listDirectory', { path: '/tmp/file_transfer' });
    assert.deepEqual(left.output.json.entries, [], 'no staging file is left in the transfer folder');
  });

  it('overwrites, appends and refuses create_new on an existing file, as write_file does', async () => {
    const first = randomBytes(1000);
    const second = randomBytes(2000);
    await run('writeFile', { path: '/tmp/modes.bin', content: randomBytes(5000) });
    await run('writeFile', { path: '/tmp/modes.bin', content: first });
    assert.equal(await sessionSha256('/tmp/modes.bin'), sha256(first), 'overwrite replaced the file');
    const appended = await run('writeFile', { path: '/tmp/modes.bin', content: second, mode: 'append' });
    assert.equal(appended.output.json.bytesWritten, second.length);
    assert.equal(await sessionSha256('/tmp/modes.bin'), sha256(Buffer.concat([first, second])));
    const error = await fail('writeFile', { path: '/tmp/modes.bin', content: first, mode: 'create_new' });
    assert.ok(error instanceof AgentBayError);
    assert.match(error.message, /already exists: \/tmp\/modes\.bin/);
  });

  it('writes and reads text over 1 MiB through the context', async () => {
    const text = 'zürich ✓ '.repeat(130_000);
    const written = await run('writeFile', { path: '/home/wuying/big.txt', content: text });
    assert.equal(written.output.json.transfer, 'context');
    assert.equal(written.output.json.bytesWritten, Buffer.byteLength(text));
    const read = await run('readFile', { path: '/home/wuying/big.txt' });
    assert.equal(read.output.json.transfer, 'context');
    assert.equal(read.output.json.content, text);
  });

  it('keeps small text on write_file', async () => {
    const written = await run('writeFile', { path: '/home/wuying/small.txt', content: 'hello' });
    assert.equal(written.output.json.transfer, 'tool');
    assert.equal((await run('readFile', { path: '/home/wuying/small.txt' })).output.json.content, 'hello');
  });

  it('refuses binary data for a path the transfer cannot reach, naming the field', async () => {
    const error = await fail('writeFile', { path: '/opt/app/x.bin', content: Buffer.from([1, 2, 3]) });
    assert.ok(error instanceof InputValidationError);
    assert.equal(error.field, 'path');
    assert.match(error.message, /Path \(path\) cannot take binary data on this service.*inside \/home\/wuying or \/tmp/);
  });

  it('Download File fails on a file over Max Size before any sync', async () => {
    await run('writeFile', { path: '/tmp/two-mb.bin', content: randomBytes(2 * 1024 * 1024) });
    const error = await fail('downloadFile', { path: '/tmp/two-mb.bin', maxSizeMb: 1 });
    assert.ok(error instanceof AgentBayError);
    assert.equal(error.code, 'FileTooLarge');
    assert.match(error.message, /2097152 bytes, more than the limit of 1048576 bytes/);
  });
});

describe('Write File and Read File on a service with format: binary', function () {
  this.timeout(120000);
  let server: LocalServer;
  let client: AgentBayClient;
  let sessions: SessionTracker;

  before(async () => {
    server = await startTestServer();
    client = clientFor(server);
    sessions = new SessionTracker(() => client);
  });
  after(async () => {
    await sessions?.deleteAll();
    client?.close();
    await server?.close();
  });

  it('keep using the file tools for binary data', async () => {
    const session = await sessions.create();
    const data = randomBytes(BINARY_CHUNK_BYTES + 100 * 1024);
    const written = await runCore(client, 'writeFile', { path: '/tmp/tool.bin', content: data }, session);
    assert.equal(written.output.json.transfer, 'tool');
    assert.ok(Number(written.output.json.chunks) > 1);
    const read = await runCore(client, 'readFile', { path: '/tmp/tool.bin', format: 'binary' }, session);
    assert.equal(read.output.json.transfer, 'tool');
    assert.equal(sha256(read.output.binary?.[0].data ?? Buffer.alloc(0)), sha256(data));
  });
});
