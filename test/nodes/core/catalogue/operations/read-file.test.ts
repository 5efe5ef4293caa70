/**
 * Read File against the local server through the runtime-neutral core: empty files, content
 * types, directories and missing files.
 */
import { strict as assert } from 'node:assert';
import { AgentBayError } from '../../../../../nodes/core/client/errors';
import { useCoreSession } from '../../../../support/core-session';

describe('Read File (core, local server)', function () {
  this.timeout(120000);
  const { run, fail } = useCoreSession();

    it('reads an empty file as "" without a read_file call', async () => {
      await run('executeCommand', { command: ': > /home/wuying/empty.txt' });
      const read = await run('readFile', { path: '/home/wuying/empty.txt' });
      assert.equal(read.output.json.content, '');
      assert.equal(read.output.json.size, 0);
      assert.deepEqual(read.progress, []);
    });

    it('guesses the content type from the extension', async () => {
      await run('writeFile', { path: '/home/wuying/pic.PNG', content: Buffer.from([1, 2, 3]) });
      const read = await run('readFile', { path: '/home/wuying/pic.PNG', format: 'binary' });
      assert.equal(read.output.binary?.[0].mimeType, 'image/png');
      assert.equal(read.output.json.mimeType, 'image/png');
    });

    it('refuses a directory with the SDK’s message, and reports a missing file with the tool’s', async () => {
      await run('createDirectory', { path: '/home/wuying/notes' });
      const directory = await fail('readFile', { path: '/home/wuying/notes' });
      assert.ok(directory instanceof AgentBayError);
      assert.equal(directory.message, 'Path does not exist or is a directory: /home/wuying/notes');
      const missing = await fail('readFile', { path: '/home/wuying/nope.txt' });
      assert.ok(missing instanceof AgentBayError);
      assert.match(missing.message, /No such file or directory: \/home\/wuying\/nope\.txt/);
    });
});
