/**
 * The file operations against the local server through the runtime-neutral core: each
 * operation's output shape, chunked reads and writes, text and binary, and paths that try to
 * leave the session (`../`, absolute paths outside, a symlink made with Execute Command).
 */
import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import { parseFileInfo } from '../../nodes/core/catalogue/operations/get-file-info';
import { parseMultipleFiles } from '../../nodes/core/catalogue/operations/read-multiple-files';
import { textChunks } from '../../nodes/core/catalogue/operations/write-file';
import { AgentBayError, InputValidationError } from '../../nodes/core/client/errors';
import { sha256, useCoreSession } from './helpers';

describe('file operations (core, local server)', function () {
  this.timeout(120000);
  const { run, fail } = useCoreSession();

  describe('write and read', () => {
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

    it('reads an empty file as "" without a read_file call', async () => {
      await run('executeCommand', { command: ': > /home/wuying/empty.txt' });
      const read = await run('readFile', { path: '/home/wuying/empty.txt' });
      assert.equal(read.output.json.content, '');
      assert.equal(read.output.json.size, 0);
      assert.deepEqual(read.progress, []);
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

    it('round-trips random bytes exactly (binary write with format:"binary", binary read)', async () => {
      const data = randomBytes(200_000);
      const written = await run('writeFile', { path: '/home/wuying/blob.bin', content: data });
      assert.equal(written.output.json.encoding, 'binary');
      assert.equal(written.output.json.bytesWritten, data.length);
      assert.equal(written.output.json.chunks, Math.ceil(Math.ceil(data.length / 3) * 4 / 61440));
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

    it('guesses the content type from the extension', async () => {
      await run('writeFile', { path: '/home/wuying/pic.PNG', content: Buffer.from([1, 2, 3]) });
      const read = await run('readFile', { path: '/home/wuying/pic.PNG', format: 'binary' });
      assert.equal(read.output.binary?.[0].mimeType, 'image/png');
      assert.equal(read.output.json.mimeType, 'image/png');
    });

    it('refuses a directory with the SDK’s message, and reports a missing file with the tool’s', async () => {
      const directory = await fail('readFile', { path: '/home/wuying/notes' });
      assert.ok(directory instanceof AgentBayError);
      assert.equal(directory.message, 'Path does not exist or is a directory: /home/wuying/notes');
      const missing = await fail('readFile', { path: '/home/wuying/nope.txt' });
      assert.ok(missing instanceof AgentBayError);
      assert.match(missing.message, /No such file or directory: \/home\/wuying\/nope\.txt/);
    });
  });

  describe('directories, moves and deletes', () => {
    it('creates, lists, moves and deletes', async () => {
      const created = await run('createDirectory', { path: '/home/wuying/project/src' });
      assert.deepEqual({ ...created.output.json, requestId: '' }, { success: true, path: '/home/wuying/project/src', requestId: '' });
      await run('writeFile', { path: '/home/wuying/project/README.md', content: '# demo\n' });
      await run('writeFile', { path: '/home/wuying/project/src/main.py', content: 'print(1)\n' });

      const listed = await run('listDirectory', { path: '/home/wuying/project' });
      assert.deepEqual(listed.output.json.entries, [
        { name: 'README.md', isDirectory: false },
        { name: 'src', isDirectory: true },
      ]);
      assert.equal(listed.output.json.count, 2);

      const moved = await run('moveFile', { source: '/home/wuying/project/README.md', destination: '/home/wuying/project/src/README.md' });
      assert.equal(moved.output.json.success, true);
      assert.equal(moved.output.json.destination, '/home/wuying/project/src/README.md');
      const after = await run('listDirectory', { path: '/home/wuying/project/src' });
      assert.deepEqual(
        (after.output.json.entries as Array<{ name: string }>).map((entry) => entry.name),
        ['README.md', 'main.py'],
      );

      const deleted = await run('deleteFile', { path: '/home/wuying/project/src/README.md' });
      assert.equal(deleted.output.json.success, true);
      const gone = await fail('getFileInfo', { path: '/home/wuying/project/src/README.md' });
      assert.match(gone.message, /No such file or directory/);
    });

    it('lists an empty directory as no entries', async () => {
      await run('createDirectory', { path: '/tmp/empty-dir' });
      const listed = await run('listDirectory', { path: '/tmp/empty-dir' });
      assert.deepEqual(listed.output.json.entries, []);
    });

    it('moving onto an existing destination fails with the tool’s message', async () => {
      await run('writeFile', { path: '/tmp/m1', content: '1' });
      await run('writeFile', { path: '/tmp/m2', content: '2' });
      const error = await fail('moveFile', { source: '/tmp/m1', destination: '/tmp/m2' });
      assert.ok(error instanceof AgentBayError);
      assert.match(error.message, /Destination already exists: \/tmp\/m2/);
    });
  });

  describe('info, search, edit, read multiple', () => {
    it('Get File Info parses every line at its first colon (modTime stays whole)', async () => {
      await run('writeFile', { path: '/home/wuying/info.txt', content: '12345' });
      const { output } = await run('getFileInfo', { path: '/home/wuying/info.txt' });
      assert.equal(output.json.name, 'info.txt');
      assert.equal(output.json.path, '/home/wuying/info.txt');
      assert.equal(output.json.size, 5);
      assert.equal(output.json.isDirectory, false);
      assert.match(String(output.json.modTime), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/);
      assert.ok(!Number.isNaN(Date.parse(String(output.json.modTime))));
      assert.match(String(output.json.mode), /^-rw/);
      const directory = await run('getFileInfo', { path: '/home/wuying' });
      assert.equal(directory.output.json.isDirectory, true);
    });

    it('parseFileInfo keeps owner/group and refuses an empty answer', () => {
      const info = parseFileInfo('name: a\npath: /a\nsize: 7\nisDirectory: false\nmodTime: 2025-01-02 03:04:05\nmode: -rw-r--r--\nowner: wuying\ngroup: users', 'r1');
      assert.equal(info.modTime, '2025-01-02 03:04:05');
      assert.equal(info.owner, 'wuying');
      assert.equal(info.group, 'users');
      assert.equal(info.size, 7);
      assert.throws(() => parseFileInfo('  ', 'r2'), /Empty response from get_file_info/);
    });

    it('Search Files finds by wildcard, honours exclude patterns and returns [] when nothing matches', async () => {
      await run('writeFile', { path: '/home/wuying/search/a.py', content: 'a' });
      await run('writeFile', { path: '/home/wuying/search/sub/b.py', content: 'b' });
      await run('writeFile', { path: '/home/wuying/search/skip/c.py', content: 'c' });
      await run('writeFile', { path: '/home/wuying/search/notes.txt', content: 'n' });
      const all = await run('searchFiles', { path: '/home/wuying/search', pattern: '*.py' });
      assert.deepEqual([...(all.output.json.matches as string[])].sort(), [
        '/home/wuying/search/a.py',
        '/home/wuying/search/skip/c.py',
        '/home/wuying/search/sub/b.py',
      ]);
      const some = await run('searchFiles', { path: '/home/wuying/search', pattern: '*.py', excludePatterns: 'skip' });
      assert.deepEqual([...(some.output.json.matches as string[])].sort(), ['/home/wuying/search/a.py', '/home/wuying/search/sub/b.py']);
      assert.equal(some.output.json.count, 2);
      const none = await run('searchFiles', { path: '/home/wuying/search', pattern: '*.rs' });
      assert.deepEqual(none.output.json.matches, []);
    });

    it('Edit File previews with a dry run, then applies; a missing oldText fails', async () => {
      await run('writeFile', { path: '/home/wuying/config.py', content: 'debug = True\nport = 80\n' });
      const edits = JSON.stringify([{ oldText: 'debug = True', newText: 'debug = False' }]);
      const preview = await run('editFile', { path: '/home/wuying/config.py', edits, dryRun: true });
      assert.equal(preview.output.json.success, true);
      assert.equal(preview.output.json.dryRun, true);
      assert.match(String(preview.output.json.diff), /-debug = True\n\+debug = False/);
      assert.equal((await run('readFile', { path: '/home/wuying/config.py' })).output.json.content, 'debug = True\nport = 80\n');

      await run('editFile', { path: '/home/wuying/config.py', edits });
      assert.equal((await run('readFile', { path: '/home/wuying/config.py' })).output.json.content, 'debug = False\nport = 80\n');

      const error = await fail('editFile', { path: '/home/wuying/config.py', edits: [{ oldText: 'nothing like this', newText: 'x' }] });
      assert.ok(error instanceof AgentBayError);
      assert.match(error.message, /not found/);
    });

    it('Edit File validates the edits before any request', async () => {
      const error = await fail('editFile', { path: '/home/wuying/config.py', edits: '[{"old":"a"}]' });
      assert.ok(error instanceof InputValidationError);
      assert.equal(error.field, 'edits');
      assert.match(error.message, /Edits \(edits\)/);
    });

    it('Read Multiple Files returns path → text, even for content with "---" and "key: value" lines', async () => {
      await run('writeFile', { path: '/home/wuying/m/a.txt', content: 'alpha\n---\nkey: value\n' });
      await run('writeFile', { path: '/home/wuying/m/b.txt', content: 'beta' });
      const { output } = await run('readMultipleFiles', { paths: '/home/wuying/m/a.txt, /home/wuying/m/b.txt' });
      assert.deepEqual(output.json.contents, {
        '/home/wuying/m/a.txt': 'alpha\n---\nkey: value',
        '/home/wuying/m/b.txt': 'beta',
      });
      assert.equal(output.json.count, 2);
    });

    it('parseMultipleFiles follows the SDK rule when the answer names no requested path', () => {
      const text = '/x/a.txt: first line\nmore\n\n---\n/x/b.txt: \nsecond\n';
      assert.deepEqual(parseMultipleFiles(text, ['a.txt']), { '/x/a.txt': 'first line\nmore', '/x/b.txt': 'second' });
    });
  });

  describe('paths that leave the session', () => {
    for (const path of ['../../etc/passwd', '/etc/passwd', '/home/wuying/../../etc/shadow']) {
      it(`Read File ${path} is refused`, async () => {
        const error = await fail('readFile', { path });
        assert.ok(error instanceof AgentBayError);
        assert.match(error.message, /outside the session/);
      });
    }

    it('Write File, List Directory, Move and Delete outside the session are refused', async () => {
      assert.match((await fail('writeFile', { path: '../evil.txt', content: 'x' })).message, /outside the session/);
      assert.match((await fail('listDirectory', { path: '/etc' })).message, /outside the session/);
      assert.match((await fail('moveFile', { source: '/tmp/m1', destination: '/etc/m1' })).message, /outside the session/);
      assert.match((await fail('deleteFile', { path: '/etc/hostname' })).message, /outside the session/);
    });

    it('a symlink to /etc made with Execute Command does not lead out of the session', async () => {
      const made = await run('executeCommand', { command: 'ln -s /etc /home/wuying/etc-link && echo made' });
      assert.equal(made.output.json.exitCode, 0, String(made.output.json.stderr));
      const error = await fail('readFile', { path: '/home/wuying/etc-link/passwd' });
      assert.ok(error instanceof AgentBayError);
      assert.match(error.message, /outside the session/);
      const multiple = await run('readMultipleFiles', { paths: ['/home/wuying/etc-link/passwd'] });
      const contents = multiple.output.json.contents as Record<string, string>;
      assert.match(contents['/home/wuying/etc-link/passwd'], /^Error - .*outside the session/);
      assert.doesNotMatch(JSON.stringify(contents), /root:/);
    });

    it('blank and missing paths are refused before any request, naming the field', async () => {
      const blank = await fail('readFile', { path: '   ' });
      assert.ok(blank instanceof InputValidationError);
      assert.equal(blank.field, 'path');
      assert.match(blank.message, /Path \(path\) is only whitespace: expected an absolute path in the session such as \/home\/wuying\/report\.txt/);
      const missing = await fail('moveFile', { source: '/tmp/a' });
      assert.ok(missing instanceof InputValidationError);
      assert.equal(missing.field, 'destination');
      const noContent = await fail('writeFile', { path: '/tmp/a' });
      assert.ok(noContent instanceof InputValidationError);
      assert.equal(noContent.field, 'content');
      const noPaths = await fail('readMultipleFiles', { paths: [] });
      assert.ok(noPaths instanceof InputValidationError);
      assert.equal(noPaths.field, 'paths');
    });
  });
});
