/**
 * Get File Info against the local server through the runtime-neutral core, and its answer parser.
 */
import { strict as assert } from 'node:assert';
import { parseFileInfo } from '../../../../../nodes/core/catalogue/operations/get-file-info';
import { useCoreSession } from '../../../../support/core-session';

describe('Get File Info (core, local server)', function () {
  this.timeout(120000);
  const { run } = useCoreSession();

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

});
