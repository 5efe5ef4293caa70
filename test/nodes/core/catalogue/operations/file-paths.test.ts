/**
 * The file operations' paths (operations/file-paths.ts) against the local server: paths that
 * try to leave the session (../, absolute paths outside, a symlink made with Execute Command)
 * and blank paths.
 */
import { strict as assert } from 'node:assert';
import { AgentBayError, InputValidationError } from '../../../../../nodes/core/client/errors';
import { useCoreSession } from '../../../../support/core-session';

describe('file paths that leave the session (core, local server)', function () {
  this.timeout(120000);
  const { run, fail } = useCoreSession();

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
