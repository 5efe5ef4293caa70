/**
 * Edit File against the local server through the runtime-neutral core: dry run, apply, bad edits.
 */
import { strict as assert } from 'node:assert';
import { AgentBayError, InputValidationError } from '../../../../../nodes/core/client/errors';
import { useCoreSession } from '../../../../support/core-session';

describe('Edit File (core, local server)', function () {
  this.timeout(120000);
  const { run, fail } = useCoreSession();

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

});
