/**
 * Read Multiple Files against the local server through the runtime-neutral core, and its answer parser.
 */
import { strict as assert } from 'node:assert';
import { parseMultipleFiles } from '../../../../../nodes/core/catalogue/operations/read-multiple-files';
import { useCoreSession } from '../../../../support/core-session';

describe('Read Multiple Files (core, local server)', function () {
  this.timeout(120000);
  const { run } = useCoreSession();

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
