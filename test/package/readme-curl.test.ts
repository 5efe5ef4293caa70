/**
 * The README's curl example, taken from the README text and run by bash against a started
 * `agentbay-local` (the file `npm run local-server` runs). Only the URL and key lines are given
 * this server's values, as a reader pastes the ones their server printed.
 */
import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { killLeftovers, LOCAL_SERVER_CLI, run, TEST_KEY, waitForOutput } from '../support/scripts';

const README = path.resolve(__dirname, '../../../README.md');

function curlExample(): string {
  const readme = readFileSync(README, 'utf8');
  const section = /<!-- curl-example:start[^>]*-->\s*```sh\n([\s\S]*?)```\s*<!-- curl-example:end -->/.exec(readme);
  assert.ok(section, 'the README has the curl example between its markers');
  return section[1];
}

describe('first hour: the README curl example', function () {
  this.timeout(60000);
  afterEach(killLeftovers);

  it('creates a session, runs a command in it and deletes it, key sent as a form parameter', async () => {
    const example = curlExample();
    assert.match(example, /^API=\S+/m);
    assert.match(example, /^KEY=\S+/m);
    assert.match(example, /--data-urlencode "Authorization=Bearer \$KEY"/, 'the key travels as the Authorization form parameter');

    const server = run(LOCAL_SERVER_CLI, ['--port', '0'], { AGENTBAY_LOCAL_API_KEY: TEST_KEY });
    await waitForOutput(server, 'Press Ctrl+C');
    const url = /URL:\s+(\S+)/.exec(server.stdout())?.[1] ?? '';
    const key = /API key:\s+(\S+)/.exec(server.stdout())?.[1] ?? '';
    assert.equal(key, TEST_KEY);
    const script = example.replace(/^API=\S+/m, `API=${url}/`).replace(/^KEY=\S+/m, `KEY=${key}`);

    const { stdout } = await promisify(execFile)('bash', ['-euo', 'pipefail', '-c', script], { encoding: 'utf8' });
    const answers = stdout.trim().split('\n').map((line) => JSON.parse(line) as { Success: boolean; Data?: { content: Array<{ text: string }> } });
    assert.equal(answers.length, 2, stdout);
    assert.deepEqual(answers.map((answer) => answer.Success), [true, true], stdout);
    const shell = JSON.parse(answers[0].Data?.content[0].text ?? '{}') as { stdout: string; exit_code: number };
    assert.equal(shell.stdout, 'hello from the sandbox\n');
    assert.equal(shell.exit_code, 0);
    // The server logs one line per request: the session was created, used and deleted.
    assert.match(server.stdout(), /CreateMcpSession -> 200/);
    await waitForOutput(server, 'DeleteSessionAsync');
    assert.match(server.stdout(), /DeleteSessionAsync session-\S+ -> 200/);
  });
});
