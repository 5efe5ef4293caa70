/**
 * Create Directory's own behaviour against a real session: the directory and its missing parents
 * exist afterwards, an existing one is no error, and a path that cannot be made is the tool's error.
 */
import { strict as assert } from 'node:assert';
import type { SessionRef } from '../../../../../nodes/core/catalogue/session';
import type { AgentBayClient } from '../../../../../nodes/core/client/client';
import { tool } from '../../../../support/contexts';
import { failCore, runCore, useCoreSession } from '../../../../support/core-session';

describe('Create Directory', function () {
  this.timeout(60000);
  const suite = useCoreSession();
  const client = (): AgentBayClient => suite.client();
  const session = (): SessionRef => suite.session();

  const isDirectory = async (path: string): Promise<boolean> => {
    const text = await tool(client(), session().sessionId, 'shell', { command: `test -d '${path}' && echo yes || echo no`, timeout_ms: 20000 });
    return (JSON.parse(text) as { stdout: string }).stdout.trim() === 'yes';
  };

  it('creates the directory with its missing parents and returns its fields', async () => {
    const path = '/tmp/create-directory/a/b/c';
    assert.equal(await isDirectory(path), false);
    const { output } = await runCore(client(), 'createDirectory', { path }, session());
    assert.equal(output.json.success, true);
    assert.equal(output.json.path, path);
    assert.match(String(output.json.requestId), /.+/);
    assert.equal(await isDirectory(path), true);
  });

  it('an existing directory is not an error', async () => {
    const path = '/tmp/create-directory/again';
    await runCore(client(), 'createDirectory', { path }, session());
    const { output } = await runCore(client(), 'createDirectory', { path }, session());
    assert.equal(output.json.success, true);
    assert.equal(await isDirectory(path), true);
  });

  it('a path under an existing file fails with the tool\'s message', async () => {
    await tool(client(), session().sessionId, 'shell', { command: "printf x > /tmp/create-directory-file", timeout_ms: 20000 });
    const error = await failCore(client(), 'createDirectory', { path: '/tmp/create-directory-file/sub' }, session());
    assert.equal(error.message, 'Not a directory: /tmp/create-directory-file/sub');
    assert.equal(await isDirectory('/tmp/create-directory-file/sub'), false);
  });

  it('an empty path is refused naming the field', async () => {
    const error = await failCore(client(), 'createDirectory', { path: '' }, session());
    assert.match(error.message, /Path \(path\)/);
  });
});
