/**
 * Download File against the local server, beyond the round trip (upload-file.test.ts): a file
 * outside the transfer folder is moved there for the sync and back, so it stays where it was with
 * its bytes, and neither the folder nor the context keeps anything; missing files and directories
 * fail with a clear error.
 */
import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import { AgentBayError } from '../../../../../nodes/core/client/errors';
import { sha256, useCoreSession } from '../../../../support/core-session';

describe('Download File (file-transfer context)', function () {
  this.timeout(120000);
  const { run, fail } = useCoreSession();

  const sessionSha256 = async (path: string): Promise<string> =>
    String((await run('executeCommand', { command: `sha256sum ${path} | cut -d' ' -f1` })).output.json.stdout).trim();

  it('downloads a file outside the transfer folder and leaves it in place, with nothing left in the folder or context', async () => {
    const data = randomBytes(700 * 1024);
    await run('writeFile', { path: '/home/wuying/keep/report.pdf', content: data });
    const result = await run('downloadFile', { path: '/home/wuying/keep/report.pdf' });
    assert.equal(result.output.json.size, data.length);
    assert.equal(result.output.json.mimeType, 'application/pdf');
    assert.equal(result.output.json.fileName, 'report.pdf');
    const [file] = result.output.binary ?? [];
    assert.equal(file.key, 'data');
    assert.equal(sha256(file.data), sha256(data));
    assert.ok(result.progress.includes('syncing out of the session'), result.progress.join());
    assert.equal(await sessionSha256('/home/wuying/keep/report.pdf'), sha256(data), 'the file is back at its path');
    assert.deepEqual((await run('listDirectory', { path: '/tmp/file_transfer' })).output.json.entries, []);
  });

  it('fails on a missing file and on a directory, leaving nothing staged', async () => {
    const missing = await fail('downloadFile', { path: '/home/wuying/nothing-here.bin' });
    assert.ok(missing instanceof AgentBayError);
    assert.match(missing.message, /nothing-here\.bin/);
    await run('createDirectory', { path: '/home/wuying/a-dir' });
    const directory = await fail('downloadFile', { path: '/home/wuying/a-dir' });
    assert.ok(directory instanceof AgentBayError);
    assert.match(directory.message, /is a directory: \/home\/wuying\/a-dir/);
    const folder = await run('executeCommand', { command: 'ls -A /tmp/file_transfer 2>/dev/null | wc -l' });
    assert.equal(String(folder.output.json.stdout).trim(), '0');
  });
});
