/** `npm run demo` is the headless proof the examples work: run it as users do and check its verdict. */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { exampleFlows } from '../../scripts/node-red-host';

describe('demo (examples in a real headless Node-RED against the local server)', function () {
  this.timeout(240_000);

  it('runs every example flow to the end and leaves no session behind', () => {
    // A proxy nothing listens on, as a corporate one that cannot reach this machine's loopback: the demo
    // must call its local server directly all the same.
    const env = { ...process.env, HTTP_PROXY: 'http://127.0.0.1:9', http_proxy: 'http://127.0.0.1:9', NO_PROXY: 'example.com', no_proxy: '' };
    const result = spawnSync(process.execPath, [join(__dirname, '..', '..', 'scripts', 'demo.js')], { encoding: 'utf8', timeout: 230_000, env });
    assert.equal(result.status, 0, `demo failed:\n${result.stdout}\n${result.stderr}`);
    // The flows run at once, but each one's output is one block under its own header.
    const blocks = new Map<string, string>();
    for (const match of result.stdout.matchAll(/^== (\S+) ==\n((?: {2}.*(?:\n|$))*)/gm)) {
      assert.equal(blocks.has(match[1]), false, `one block for ${match[1]}`);
      blocks.set(match[1], match[2]);
    }
    assert.deepEqual([...blocks.keys()].sort(), exampleFlows().map((example) => example.name).sort(), result.stdout);
    assert.match(blocks.get('files-and-code') ?? '', /stdout: '2 lines: hi from Node-RED\\n'/);
    assert.match(blocks.get('session-tools') ?? '', /parsed: \{ stdout: '42\\n', stderr: '', exit_code: 0 \}/);
    // The browser examples open http://example.com/; the demo's local server lets browsers reach loopback only.
    const playwright = blocks.get('browser-drive-with-playwright') ?? '';
    assert.match(playwright, /title: 'Blocked by the local AgentBay server'/);
    assert.match(playwright, /^ {2}deleted:$/m);
    const screenshot = blocks.get('browser-screenshot-every-hour') ?? '';
    assert.match(screenshot, /mimeType: 'image\/png'/);
    assert.match(screenshot, /^ {2}deleted:$/m);
    // Observe, Act and Extract need the cloud's model: the local server says so, and the session is still deleted.
    const agent = blocks.get('browser-agent') ?? '';
    assert.match(agent, /not available on the local server/);
    assert.match(agent, /^ {2}deleted:$/m);
    const contexts = blocks.get('contexts-and-file-transfer') ?? '';
    assert.match(contexts, /^ {2}deleted:\n {4}\{\n {6}deleted: true/m, 'the context chain runs to Delete Context');
    const lifecycle = blocks.get('session-lifecycle') ?? '';
    const script = blocks.get('run-script-collect-output') ?? '';
    assert.match(lifecycle, /^ {2}created:$/m);
    assert.match(lifecycle, /^ {2}deleted:\n {4}\{\n {6}deleted: true/m);
    assert.match(script, /^ {2}output file:\n {4}metric,value\n {4}count,8\n {4}mean,3\.875\n {4}max,9$/m);
    assert.match(script, /^ {2}deleted:$/m);
    const reuse = blocks.get('reuse-workspace-across-runs') ?? '';
    assert.match(reuse, /^ {2}runs\.log: run at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/m, 'the first run writes one line into the synced workspace');
    assert.match(reuse, /^ {2}deleted:\n {4}\{\n {6}deleted: true/m);
    assert.doesNotMatch(lifecycle, /output file|metric,value/, 'no line of the other flow inside the block');
    assert.doesNotMatch(script, /session info/, 'no line of the other flow inside the block');
    assert.match(result.stdout, /Demo OK: \d+ flow\(s\) ran to the end, no session left behind\./);
  });
});
