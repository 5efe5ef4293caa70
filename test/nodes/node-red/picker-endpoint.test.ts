/**
 * Node-RED's pickers: the config node's admin endpoint lists sessions, images and a session's MCP tools
 * through the deployed connection, behind Node-RED's admin auth, and never answers with the key. A real
 * Node-RED with adminAuth (in a child process, test/support/editor-host.ts) and the local server.
 */
import { strict as assert } from 'node:assert';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { CONFIG_ID } from '../../support/node-red';

const PASSWORD = 'picker-test-password';

interface Ready {
  editorUrl: string;
  serverUrl: string;
  apiKey: string;
}

async function request(url: string, init: RequestInit = {}): Promise<{ status: number; text: string }> {
  const response = await fetch(url, init);
  return { status: response.status, text: await response.text() };
}

describe('Node-RED: picker lists from the config node (admin endpoint)', function () {
  this.timeout(120_000);
  let host: ChildProcess;
  let ready: Ready;
  let token: string;

  before(async () => {
    const flows = [
      { id: 'tab', type: 'tab', label: 'pickers' },
      { id: CONFIG_ID, type: 'agentbay-config', name: 'local', region: 'custom', customEndpoint: '' },
    ];
    const flowFile = join(mkdtempSync(join(tmpdir(), 'agentbay-picker-flow-')), 'flows.json');
    writeFileSync(flowFile, JSON.stringify(flows));
    host = spawn(process.execPath, [join(__dirname, '..', '..', 'support', 'editor-host.js'), flowFile, PASSWORD], { stdio: ['ignore', 'pipe', 'inherit'] });
    const firstLine = await new Promise<string>((resolve, reject) => {
      createInterface({ input: host.stdout! }).once('line', resolve);
      host.once('exit', (code) => reject(new Error(`editor host exited with ${code}`)));
    });
    ready = JSON.parse(firstLine) as Ready;
    const login = await request(`${ready.editorUrl}auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ client_id: 'node-red-editor', grant_type: 'password', scope: '*', username: 'admin', password: PASSWORD }).toString(),
    });
    assert.equal(login.status, 200, login.text);
    token = (JSON.parse(login.text) as { access_token: string }).access_token;
  });

  after(async () => {
    if (host && host.exitCode === null) {
      const exited = new Promise((resolve) => host.once('exit', resolve));
      host.kill('SIGTERM');
      await exited;
    }
  });

  const list = (path: string, authorised = true) =>
    request(`${ready.editorUrl}agentbay-config/${path}`, authorised ? { headers: { authorization: `Bearer ${token}` } } : {});

  /** Creates a session on the local server the way a flow would (the server's own API). */
  async function createSession(): Promise<string> {
    const created = await request(`${ready.serverUrl}/?Action=CreateMcpSession`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ Authorization: `Bearer ${ready.apiKey}`, ImageId: 'code_latest' }).toString(),
    });
    return (JSON.parse(created.text) as { Data: { SessionId: string } }).Data.SessionId;
  }

  it('refuses a caller who has not logged in to the editor', async () => {
    const answer = await list(`${CONFIG_ID}/sessions`, false);
    assert.equal(answer.status, 401);
  });

  it('lists the sessions, filtered by ID, without ever carrying the key', async () => {
    const first = await createSession();
    const second = await createSession();
    const all = await list(`${CONFIG_ID}/sessions`);
    assert.equal(all.status, 200, all.text);
    const values = (JSON.parse(all.text) as { choices: Array<{ value: string; name: string }> }).choices.map((choice) => choice.value);
    assert.ok(values.includes(first) && values.includes(second), all.text);
    const filtered = await list(`${CONFIG_ID}/sessions?filter=${encodeURIComponent(second)}`);
    assert.deepEqual((JSON.parse(filtered.text) as { choices: Array<{ value: string }> }).choices.map((choice) => choice.value), [second]);
    assert.ok(!all.text.includes(ready.apiKey));
  });

  it('lists the images and a session\'s MCP tools', async () => {
    const images = JSON.parse((await list(`${CONFIG_ID}/images?filter=code`)).text) as { choices: Array<{ value: string }> };
    assert.deepEqual(images.choices.map((choice) => choice.value), ['code_latest']);
    const session = await createSession();
    const tools = await list(`${CONFIG_ID}/mcp-tools?sessionId=${session}`);
    assert.equal(tools.status, 200, tools.text);
    const names = (JSON.parse(tools.text) as { choices: Array<{ value: string }> }).choices.map((choice) => choice.value);
    assert.ok(names.includes('shell') && names.includes('run_code'), tools.text);
  });

  it('answers unknown lists and connections with 404 and a service error with its message', async () => {
    assert.equal((await list(`${CONFIG_ID}/passwords`)).status, 404);
    assert.equal((await list('no-such-config/sessions')).status, 404);
    const missing = await list(`${CONFIG_ID}/mcp-tools?sessionId=session-missing`);
    assert.equal(missing.status, 502);
    assert.match(missing.text, /session-missing not found/);
    assert.ok(!missing.text.includes(ready.apiKey));
  });
});
