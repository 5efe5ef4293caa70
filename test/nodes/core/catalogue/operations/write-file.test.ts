/**
 * Write File against the local server through the runtime-neutral core, read back with Read
 * File: text and binary, modes, chunked writes that never split a surrogate pair.
 */
import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import { BINARY_CHUNK_BYTES } from '../../../../../nodes/core/catalogue/operations/file-paths';
import { textChunks } from '../../../../../nodes/core/catalogue/operations/write-file';
import { AgentBayError } from '../../../../../nodes/core/client/errors';
import { sha256, useCoreSession } from '../../../../support/core-session';

describe('Write File (core, local server)', function () {
  this.timeout(120000);
  const { run, fail } = useCoreSession();

    it('writes text and reads it back with size, encoding, fileName and mimeType', async () => {
      const text = 'héllo wörld ✓\nline two\n';
      const written = await run('writeFile', { path: '/home/wuying/notes/hello.txt', content: text });
      assert.equal(written.output.json.path, '/home/wuying/notes/hello.txt');
      assert.equal(written.output.json.bytesWritten, Buffer.byteLength(text));
      assert.equal(written.output.json.mode, 'overwrite');
      assert.equal(written.output.json.chunks, 1);
      assert.match(String(written.output.json.requestId), /\S/);
      assert.deepEqual(written.progress, [], 'one chunk shows no progress');

      const read = await run('readFile', { path: 'notes/hello.txt' });
      assert.deepEqual(read.output.json, {
        path: 'notes/hello.txt',
        fileName: 'hello.txt',
        mimeType: 'text/plain',
        encoding: 'utf-8',
        size: Buffer.byteLength(text),
        content: text,
        transfer: 'tool',
        requestId: read.output.json.requestId,
      });
      assert.equal(read.output.binary, undefined);
    });

    it('appends, and create_new refuses an existing file with the tool’s message', async () => {
      await run('writeFile', { path: '/tmp/log.txt', content: 'a\n' });
      await run('writeFile', { path: '/tmp/log.txt', content: 'b\n', mode: 'append' });
      assert.equal((await run('readFile', { path: '/tmp/log.txt' })).output.json.content, 'a\nb\n');
      const error = await fail('writeFile', { path: '/tmp/log.txt', content: 'c', mode: 'create_new' });
      assert.ok(error instanceof AgentBayError);
      assert.match(error.message, /already exists: \/tmp\/log\.txt/);
    });

    it('writes long multi-byte text in chunks (first with the mode, then appends) and reads it back in 61440-byte chunks', async () => {
      // 3-byte and 4-byte characters so byte chunks cut characters and text chunks could cut surrogate pairs.
      const unit = 'abc€😀\n';
      const text = unit.repeat(20000);
      const written = await run('writeFile', { path: '/home/wuying/big.txt', content: text, mode: 'create_new' });
      const expectedChunks = textChunks(text).length;
      assert.ok(expectedChunks > 1);
      assert.equal(written.output.json.chunks, expectedChunks);
      assert.equal(written.output.json.bytesWritten, Buffer.byteLength(text));
      assert.deepEqual(written.progress.at(-1), `writing ${expectedChunks}/${expectedChunks} chunks`);

      const read = await run('readFile', { path: '/home/wuying/big.txt' });
      const size = Buffer.byteLength(text);
      const chunks = Math.ceil(size / 61440);
      assert.equal(read.output.json.size, size);
      assert.equal(read.output.json.content, text);
      assert.equal(read.progress.length, chunks);
      assert.equal(read.progress[0], `reading 1/${chunks} chunks`);
    });

    it('never splits a surrogate pair between text chunks', () => {
      const text = `${'x'.repeat(61439)}😀tail`;
      const chunks = textChunks(text);
      assert.equal(chunks.join(''), text);
      assert.equal(chunks[0].length, 61439);
      assert.ok(chunks.every((chunk) => !/[\uD800-\uDBFF]$/.test(chunk)));
    });

    it('round-trips random bytes exactly (binary write with format:"binary" in 768 KiB chunks, binary read)', async () => {
      // Three chunks, the last one short: each chunk's base64 must decode on its own.
      const data = randomBytes(2 * BINARY_CHUNK_BYTES + 1001);
      const written = await run('writeFile', { path: '/home/wuying/blob.bin', content: data });
      assert.equal(written.output.json.encoding, 'binary');
      assert.equal(written.output.json.bytesWritten, data.length);
      assert.equal(written.output.json.chunks, 3);
      const read = await run('readFile', { path: '/home/wuying/blob.bin', format: 'binary' });
      assert.equal(read.output.json.encoding, 'binary');
      assert.equal(read.output.json.size, data.length);
      assert.equal(read.output.json.content, undefined);
      const [file] = read.output.binary ?? [];
      assert.equal(file.key, 'data');
      assert.equal(file.fileName, 'blob.bin');
      assert.equal(file.mimeType, 'application/octet-stream');
      assert.equal(sha256(file.data), sha256(data));
    });

});
