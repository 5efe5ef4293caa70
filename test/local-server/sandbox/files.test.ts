import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { errText, harness, json, okText, type Harness } from '../../support/sandbox';

describe('file tools', function () {
  let h: Harness;
  before(async () => {
    h = await harness('bubblewrap');
  });
  after(async () => h.cleanup());

  const host = (virtualHome: string): string => path.join(h.ws.rootDir, 'home/wuying', virtualHome);

  it('round-trips a 1 MB random binary file in chunks (base64 write, offset/length reads)', async () => {
    const data = randomBytes(1024 * 1024 + 123);
    const CHUNK = 61440;
    for (let off = 0; off < data.length; off += CHUNK) {
      okText(await h.ws.callTool('write_file', {
        path: 'bin/blob.dat',
        content: data.subarray(off, off + CHUNK).toString('base64'),
        mode: off === 0 ? 'overwrite' : 'append',
        format: 'binary',
      }));
    }
    assert.ok(readFileSync(host('bin/blob.dat')).equals(data), 'host file equals the data');
    const info = okText(await h.ws.callTool('get_file_info', { path: 'bin/blob.dat' }));
    assert.match(info, new RegExp(`^size: ${data.length}$`, 'm'));
    const parts: Buffer[] = [];
    for (let off = 0; off < data.length; off += CHUNK) {
      const b64 = okText(await h.ws.callTool('read_file', { path: 'bin/blob.dat', offset: off, length: CHUNK, format: 'binary' }));
      assert.match(b64, /^[A-Za-z0-9+/]*={0,2}$/);
      parts.push(Buffer.from(b64, 'base64'));
    }
    assert.ok(parts.length > 10);
    assert.ok(Buffer.concat(parts).equals(data), 'chunks reassemble the file');
  });

  it('text reads in byte chunks never split a UTF-8 character', async () => {
    const s = 'añ€😀'.repeat(50);
    okText(await h.ws.callTool('write_file', { path: 'utf8.txt', content: s }));
    const size = Buffer.byteLength(s);
    let joined = '';
    for (let off = 0; off < size; off += 7) {
      joined += okText(await h.ws.callTool('read_file', { path: 'utf8.txt', offset: off, length: 7 }));
    }
    assert.equal(joined, s);
  });

  it('write modes: append, create_new refuses an existing file; invalid base64 is refused', async () => {
    okText(await h.ws.callTool('write_file', { path: 'm.txt', content: 'a' }));
    okText(await h.ws.callTool('write_file', { path: 'm.txt', content: 'b', mode: 'append' }));
    assert.equal(readFileSync(host('m.txt'), 'utf8'), 'ab');
    assert.equal(errText(await h.ws.callTool('write_file', { path: 'm.txt', content: 'c', mode: 'create_new' })), 'File already exists: /home/wuying/m.txt');
    assert.match(errText(await h.ws.callTool('write_file', { path: 'm.txt', content: 'c', mode: 'bogus' })), /'mode' must be one of "overwrite", "append", "create_new"/);
    assert.match(errText(await h.ws.callTool('write_file', { path: 'x.bin', content: 'no*base64!', format: 'binary' })), /not valid base64/);
    assert.equal(okText(await h.ws.callTool('write_file', { path: 'deep/a/b/c.txt', content: 'z' })), 'Successfully wrote to /home/wuying/deep/a/b/c.txt');
  });

  it('reports a missing file with its virtual path', async () => {
    assert.equal(errText(await h.ws.callTool('read_file', { path: 'nope.txt' })), 'No such file or directory: /home/wuying/nope.txt');
    assert.equal(errText(await h.ws.callTool('read_file', { path: '/tmp' })), 'Is a directory: /tmp');
  });

  it('refuses FIFOs instead of blocking on them', async () => {
    const r = await h.ws.callTool('shell', { command: 'mkfifo /tmp/fifo', timeout_ms: 5000 });
    assert.equal(r.isError, false);
    const started = Date.now();
    assert.equal(errText(await h.ws.callTool('read_file', { path: '/tmp/fifo' })), 'Not a regular file: /tmp/fifo');
    assert.equal(errText(await h.ws.callTool('write_file', { path: '/tmp/fifo', content: 'x' })), 'Not a regular file: /tmp/fifo');
    assert.ok(Date.now() - started < 2000);
  });

  it('list_directory: [DIR]/[FILE] lines sorted by name', async () => {
    okText(await h.ws.callTool('create_directory', { path: '/tmp/ls/sub/deeper' }));
    for (const f of ['b.txt', 'a.txt', 'Z.txt']) okText(await h.ws.callTool('write_file', { path: `/tmp/ls/${f}`, content: f }));
    assert.equal(okText(await h.ws.callTool('list_directory', { path: '/tmp/ls' })), '[FILE] Z.txt\n[FILE] a.txt\n[FILE] b.txt\n[DIR] sub');
  });

  it('edit_file: dryRun shows a diff and writes nothing; a real edit writes; a missing oldText fails', async () => {
    writeFileSync(host('e.txt'), 'one\ntwo\nthree\n');
    const edits = [{ oldText: 'two', newText: 'TWO' }, { oldText: 'three', newText: '3' }];
    const diff = okText(await h.ws.callTool('edit_file', { path: 'e.txt', edits, dryRun: true }));
    assert.equal(diff, '--- /home/wuying/e.txt\toriginal\n+++ /home/wuying/e.txt\tmodified\n@@ -1,4 +1,4 @@\n one\n-two\n-three\n+TWO\n+3\n \n');
    assert.equal(readFileSync(host('e.txt'), 'utf8'), 'one\ntwo\nthree\n');
    okText(await h.ws.callTool('edit_file', { path: 'e.txt', edits, dryRun: false }));
    assert.equal(readFileSync(host('e.txt'), 'utf8'), 'one\nTWO\n3\n');
    const msg = errText(await h.ws.callTool('edit_file', { path: 'e.txt', edits: [{ oldText: 'one', newText: '1' }, { oldText: 'absent', newText: 'x' }] }));
    assert.match(msg, /not found.*edit 2 of 2.*"absent"/);
    assert.equal(readFileSync(host('e.txt'), 'utf8'), 'one\nTWO\n3\n', 'nothing written when an edit fails');
  });

  it('search_files: wildcards, substring, excludes as array or comma string', async () => {
    for (const f of ['s/app.py', 's/lib/util.py', 's/lib/README.md', 's/node_modules/x.py', 's/build/gen.py']) {
      okText(await h.ws.callTool('write_file', { path: f, content: '' }));
    }
    const search = async (args: Record<string, unknown>): Promise<string[]> =>
      okText(await h.ws.callTool('search_files', { path: 's', ...args })).split('\n').filter((l) => l !== '');
    assert.deepEqual((await search({ pattern: '*.py' })).sort(), [
      '/home/wuying/s/app.py', '/home/wuying/s/build/gen.py', '/home/wuying/s/lib/util.py', '/home/wuying/s/node_modules/x.py',
    ]);
    assert.deepEqual(await search({ pattern: '*.PY', excludePatterns: ['node_modules', 'build'] }), ['/home/wuying/s/app.py', '/home/wuying/s/lib/util.py']);
    assert.deepEqual(await search({ pattern: '*.py', excludePatterns: 'node_modules, build,lib' }), ['/home/wuying/s/app.py']);
    assert.deepEqual(await search({ pattern: 'readme' }), ['/home/wuying/s/lib/README.md']);
    assert.deepEqual(await search({ pattern: 'u?il.py' }), ['/home/wuying/s/lib/util.py']);
    assert.deepEqual(await search({ pattern: '*.none' }), []);
  });

  it('read_multiple_files: "<path>: " blocks separated by ---, errors inline', async () => {
    okText(await h.ws.callTool('write_file', { path: '/tmp/r1.txt', content: 'first\nline' }));
    okText(await h.ws.callTool('write_file', { path: '/tmp/r2.txt', content: 'second' }));
    const out = okText(await h.ws.callTool('read_multiple_files', { paths: ['/tmp/r1.txt', '/tmp/missing', '/tmp/r2.txt'] }));
    assert.equal(out, '/tmp/r1.txt: \nfirst\nline\n\n---\n/tmp/missing: Error - No such file or directory: /tmp/missing\n---\n/tmp/r2.txt: \nsecond\n');
  });

  it('get_file_info: key: value lines with ISO modTime and ls-style mode', async () => {
    writeFileSync(host('info.txt'), 'hello');
    const lines = okText(await h.ws.callTool('get_file_info', { path: 'info.txt' })).split('\n');
    assert.equal(lines[0], 'name: info.txt');
    assert.equal(lines[1], 'path: /home/wuying/info.txt');
    assert.equal(lines[2], 'size: 5');
    assert.equal(lines[3], 'isDirectory: false');
    assert.match(lines[4]!, /^modTime: \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.match(lines[5]!, /^mode: -rw-r--r--$/);
    assert.match(okText(await h.ws.callTool('get_file_info', { path: '/tmp' })), /isDirectory: true\n.*\nmode: d/);
  });

  it('move_file and delete_file (files and empty directories only)', async () => {
    okText(await h.ws.callTool('write_file', { path: 'mv/a.txt', content: 'a' }));
    okText(await h.ws.callTool('write_file', { path: 'mv/b.txt', content: 'b' }));
    assert.match(errText(await h.ws.callTool('move_file', { source: 'mv/a.txt', destination: 'mv/b.txt' })), /Destination already exists/);
    okText(await h.ws.callTool('move_file', { source: 'mv/a.txt', destination: '/tmp/a-moved.txt' }));
    assert.equal(readFileSync(path.join(h.ws.rootDir, 'tmp/a-moved.txt'), 'utf8'), 'a');
    assert.match(errText(await h.ws.callTool('delete_file', { path: 'mv' })), /^Directory not empty: \/home\/wuying\/mv/);
    okText(await h.ws.callTool('delete_file', { path: 'mv/b.txt' }));
    okText(await h.ws.callTool('delete_file', { path: 'mv' }));
    assert.equal(existsSync(host('mv')), false);
    assert.match(errText(await h.ws.callTool('delete_file', { path: '/home/wuying' })), /session root/);
    assert.match(errText(await h.ws.callTool('move_file', { source: '/tmp', destination: 'x' })), /session root/);
  });

  it('get_file_change: baseline first, then create/modify/delete events', async () => {
    okText(await h.ws.callTool('create_directory', { path: 'watch' }));
    okText(await h.ws.callTool('write_file', { path: 'watch/keep.txt', content: '1' }));
    okText(await h.ws.callTool('write_file', { path: 'watch/gone.txt', content: '1' }));
    assert.equal(okText(await h.ws.callTool('get_file_change', { path: 'watch' })), '[]');
    okText(await h.ws.callTool('write_file', { path: 'watch/keep.txt', content: '22' }));
    okText(await h.ws.callTool('write_file', { path: 'watch/new.txt', content: 'n' }));
    okText(await h.ws.callTool('write_file', { path: 'watch/empty.txt', content: '' }));
    okText(await h.ws.callTool('create_directory', { path: 'watch/sub' }));
    okText(await h.ws.callTool('delete_file', { path: 'watch/gone.txt' }));
    const events = json<{ eventType: string; path: string; pathType: string }[]>(okText(await h.ws.callTool('get_file_change', { path: 'watch' })));
    const seen = events.map((e) => `${e.eventType} ${e.path} ${e.pathType}`);
    // As inotify on the cloud sandbox reports them (the SDK's watcher counts them): a new file with
    // content is a create then a modify; an empty file or a directory only a create.
    assert.deepEqual([...seen].sort(), [
      'create /home/wuying/watch/empty.txt file',
      'create /home/wuying/watch/new.txt file',
      'create /home/wuying/watch/sub directory',
      'delete /home/wuying/watch/gone.txt file',
      'modify /home/wuying/watch/keep.txt file',
      'modify /home/wuying/watch/new.txt file',
    ]);
    assert.ok(seen.indexOf('create /home/wuying/watch/new.txt file') < seen.indexOf('modify /home/wuying/watch/new.txt file'), 'create comes first');
  });

  it('get_metrics: the documented keys with numbers', async () => {
    const m = json(okText(await h.ws.callTool('get_metrics', {})));
    for (const k of ['cpu_count', 'cpu_used_pct', 'disk_total', 'disk_used', 'mem_total', 'mem_used', 'rx_rate_kbyte_per_s', 'tx_rate_kbyte_per_s', 'rx_used_kbyte', 'tx_used_kbyte']) {
      assert.equal(typeof m[k], 'number', k);
    }
    assert.ok((m.cpu_count as number) >= 1);
    assert.ok((m.mem_total as number) > (m.mem_used as number));
    assert.equal(typeof m.timestamp, 'string');
  });

  it('validates arguments against the published schemas and answers unknown tools', async () => {
    assert.equal(errText(await h.ws.callTool('read_file', { path: 'x', offset: -1 })), "Invalid arguments for read_file: field 'offset' must be >= 0");
    assert.equal(errText(await h.ws.callTool('read_multiple_files', { paths: ['a', 3] })), "Invalid arguments for read_multiple_files: field 'paths[1]' must be string");
    assert.equal(errText(await h.ws.callTool('edit_file', { path: 'x', edits: [{ oldText: 'a' }] })), "Invalid arguments for edit_file: missing required field 'edits[0].newText'");
    assert.equal(errText(await h.ws.callTool('search_files', { path: 'x', pattern: '*', excludePatterns: 5 })), "Invalid arguments for search_files: field 'excludePatterns' must be array or string");
    assert.equal(errText(await h.ws.callTool('list_directory', 'not json')), 'Invalid arguments for list_directory: expected a JSON object');
    assert.equal(okText(await h.ws.callTool('list_directory', '{"path":"/tmp/ls/sub"}')), '[DIR] deeper');
    assert.equal(errText(await h.ws.callTool('no_such_tool', {})), 'Unknown tool: no_such_tool');
  });

  it('tools() lists every tool once, with server and schema', () => {
    const tools = h.factory.tools();
    const names = tools.map((t) => t.name);
    assert.equal(new Set(names).size, names.length);
    for (const n of ['shell', 'run_code', 'read_file', 'write_file', 'list_directory', 'create_directory', 'edit_file', 'move_file', 'get_file_info', 'search_files', 'read_multiple_files', 'delete_file', 'get_metrics']) {
      assert.ok(names.includes(n), n);
    }
    const byName = new Map(tools.map((t) => [t.name, t]));
    assert.equal(byName.get('shell')!.server, 'wuying_shell');
    assert.equal(byName.get('run_code')!.server, 'wuying_codespace');
    assert.equal(byName.get('read_file')!.server, 'wuying_filesystem');
    assert.equal(byName.get('get_metrics')!.server, 'wuying_system');
    for (const t of tools) {
      assert.equal(t.tool, t.name);
      assert.equal(t.inputSchema.type, 'object');
    }
    // Callers get copies: mutating one must not change the catalogue.
    (tools[0]!.inputSchema as { type: string }).type = 'mutated';
    assert.equal(h.factory.tools()[0]!.inputSchema.type, 'object');
  });
});
