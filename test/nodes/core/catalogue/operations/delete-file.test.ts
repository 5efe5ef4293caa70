/**
 * Delete File's own behaviour against a real session: the file is gone afterwards, and a missing
 * file is the tool's error.
 */
import { strict as assert } from 'node:assert';
import type { SessionRef } from '../../../../../nodes/core/catalogue/session';
import type { AgentBayClient } from '../../../../../nodes/core/client/client';
import { tool } from '../../../../support/contexts';
import { failCore, runCore, useCoreSession } from '../../../../support/core-session';

describe('Delete File', function () {
  this.timeout(60000);
  const suite = useCoreSession();
  const client = (): AgentBayClient => suite.client();
  const session = (): SessionRef => suite.session();

  const exists = async (path: string): Promise<boolean> => {
    const text = await tool(client(), session().sessionId, 'shell', { command: `test -e '${path}' && echo yes || echo no`, timeout_ms: 20000 });
    return (JSON.parse(text) as { stdout: string }).stdout.trim() === 'yes';
  };

  it('deletes the file, keeps its neighbour, and returns its fields', async () => {
    await tool(client(), session().sessionId, 'shell', { command: 'mkdir -p /tmp/delete-file && printf a > /tmp/delete-file/gone.txt && printf b > /tmp/delete-file/kept.txt', timeout_ms: 20000 });
    const { output } = await runCore(client(), 'deleteFile', { path: '/tmp/delete-file/gone.txt' }, session());
    assert.equal(output.json.success, true);
    assert.equal(output.json.path, '/tmp/delete-file/gone.txt');
    assert.match(String(output.json.requestId), /.+/);
    assert.equal(await exists('/tmp/delete-file/gone.txt'), false);
    assert.equal(await exists('/tmp/delete-file/kept.txt'), true);
  });

  it('a missing file fails with the tool\'s message', async () => {
    const error = await failCore(client(), 'deleteFile', { path: '/tmp/delete-file/never-there.txt' }, session());
    assert.equal(error.message, 'No such file or directory: /tmp/delete-file/never-there.txt');
  });

  it('an empty path is refused naming the field', async () => {
    const error = await failCore(client(), 'deleteFile', { path: '' }, session());
    assert.match(error.message, /Path \(path\)/);
  });
});
