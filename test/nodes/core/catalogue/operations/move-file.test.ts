/**
 * Move File against the local server through the runtime-neutral core.
 */
import { strict as assert } from 'node:assert';
import { AgentBayError } from '../../../../../nodes/core/client/errors';
import { useCoreSession } from '../../../../support/core-session';

describe('Move File (core, local server)', function () {
  this.timeout(120000);
  const { run, fail } = useCoreSession();

    it('moving onto an existing destination fails with the tool’s message', async () => {
      await run('writeFile', { path: '/tmp/m1', content: '1' });
      await run('writeFile', { path: '/tmp/m2', content: '2' });
      const error = await fail('moveFile', { source: '/tmp/m1', destination: '/tmp/m2' });
      assert.ok(error instanceof AgentBayError);
      assert.match(error.message, /Destination already exists: \/tmp\/m2/);
    });
});
