/**
 * Search Files against the local server through the runtime-neutral core.
 */
import { strict as assert } from 'node:assert';
import { useCoreSession } from '../../../../support/core-session';

describe('Search Files (core, local server)', function () {
  this.timeout(120000);
  const { run } = useCoreSession();

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

});
