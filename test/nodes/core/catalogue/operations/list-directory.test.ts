/**
 * List Directory against the local server through the runtime-neutral core, checking what
 * Create Directory, Move File and Delete File leave behind.
 */
import { strict as assert } from 'node:assert';
import { useCoreSession } from '../../../../support/core-session';

describe('List Directory with Create Directory, Move File and Delete File (core, local server)', function () {
  this.timeout(120000);
  const { run, fail } = useCoreSession();

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

});
