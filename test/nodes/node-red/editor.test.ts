/// <reference lib="dom" />
/**
 * The generated editor files in the real Node-RED editor, driven by headless Chromium: every node
 * type is in the AgentBay palette, every edit dialog opens and saves without a script error and
 * with a field for each parameter, multi-line text survives the dialog, and the editor API never
 * hands out the API key.
 */
import { strict as assert } from 'node:assert';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { chromium, type Browser, type Page } from 'playwright-core';
import { operations } from '../../../nodes/core/catalogue/index';
import { nodeRedType } from '../../../nodes/core/catalogue/naming';
import { isMultiline } from '../../../nodes/node-red/typed-inputs';

const CHROMIUM = '/usr/bin/chromium';
const CONFIG_ID = 'editor-cfg';
const SCRIPT = 'import sys\n\nprint("line one")\nprint("line two")\n';

describe('Node-RED editor (headless Chromium)', function () {
  this.timeout(180_000);
  let host: ChildProcess;
  let browser: Browser;
  let page: Page;
  let ready: { editorUrl: string; serverUrl: string; apiKey: string };
  const pageErrors: string[] = [];

  before(async function () {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install chromium (CI installs it)`);
    const command = {
      z: 'tab',
      type: 'agentbay-execute-command',
      server: CONFIG_ID,
      session: 'agentbay.session',
      sessionType: 'msg',
      command: 'ls -la',
      commandType: 'agentbay-text',
      x: 500,
      wires: [[]],
    };
    const flows: Array<Record<string, unknown>> = [
      { id: 'tab', type: 'tab', label: 'editor test' },
      { id: CONFIG_ID, type: 'agentbay-config', name: 'local', region: 'custom', customEndpoint: '', timeoutMs: '60000' },
      ...operations.map((operation, index) => ({
        id: `n${index}`,
        z: 'tab',
        type: nodeRedType(operation),
        server: CONFIG_ID,
        x: 200,
        y: 40 + index * 40,
        wires: [[]],
      })),
      { id: 'script', z: 'tab', type: 'agentbay-write-file', server: CONFIG_ID, path: '/home/wuying/a.py', pathType: 'str', content: SCRIPT, contentType: 'str', x: 500, y: 40, wires: [[]] },
      // Timeout (ms) is at most 50000: a literal beyond it is refused, a msg path is left to run time.
      { ...command, id: 'out-of-range', timeoutMs: '50001', timeoutMsType: 'num', y: 80 },
      { ...command, id: 'from-msg', timeoutMs: 'payload.timeout', timeoutMsType: 'msg', y: 120 },
      { ...command, id: 'in-range', timeoutMs: '50000', timeoutMsType: 'num', y: 160 },
    ];
    const flowFile = join(mkdtempSync(join(tmpdir(), 'agentbay-editor-flow-')), 'flows.json');
    writeFileSync(flowFile, JSON.stringify(flows));
    host = spawn(process.execPath, [join(__dirname, '..', '..', 'support', 'editor-host.js'), flowFile], { stdio: ['ignore', 'pipe', 'inherit'] });
    const firstLine = await new Promise<string>((resolve, reject) => {
      createInterface({ input: host.stdout! }).once('line', resolve);
      host.once('exit', (code) => reject(new Error(`editor host exited with ${code}`)));
    });
    ready = JSON.parse(firstLine) as typeof ready;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    page.on('pageerror', (error) => pageErrors.push(String(error)));
    await page.goto(ready.editorUrl);
    await page.waitForFunction(() => typeof (window as unknown as { RED?: { nodes?: { node(id: string): unknown } } }).RED?.nodes?.node === 'function' && !!(window as unknown as { RED: { nodes: { node(id: string): unknown } } }).RED.nodes.node('n0'), undefined, { timeout: 60_000 });
  });

  after(async () => {
    await browser?.close();
    if (host && host.exitCode === null) {
      const exited = new Promise((resolve) => host.once('exit', resolve));
      host.kill('SIGTERM');
      await exited;
    }
  });

  /** Opens a node's edit dialog and waits until its form (which always ends with a Name row) is there. */
  async function openDialog(nodeId: string): Promise<void> {
    await page.evaluate((id) => {
      type Red = { editor: { edit(node: unknown): void }; nodes: { node(id: string): unknown } };
      const RED = (window as unknown as { RED: Red }).RED;
      RED.editor.edit(RED.nodes.node(id));
    }, nodeId);
    await page.waitForSelector('#dialog-form #node-input-name', { state: 'attached', timeout: 30_000 });
  }

  /** Clicks Done and waits until the tray has gone (the node is saved by then; an edit opened earlier is ignored). */
  async function closeDialog(): Promise<void> {
    await page.click('#node-dialog-ok');
    await page.waitForFunction(() => document.querySelectorAll('.red-ui-tray').length === 0, undefined, { timeout: 30_000 });
  }

  it('shows every node type in the AgentBay palette category', async () => {
    const paletteTypes = await page.evaluate(() =>
      Array.from(document.querySelectorAll('#red-ui-palette-container-AgentBay .red-ui-palette-node')).map((element) => element.getAttribute('data-palette-type')),
    );
    assert.deepEqual(paletteTypes.sort(), operations.map(nodeRedType).sort());
  });

  it('gives every AgentBay node a palette label no core node uses', async () => {
    const labels = await page.evaluate(() =>
      Array.from(document.querySelectorAll('.red-ui-palette-node')).map((element) => ({
        type: element.getAttribute('data-palette-type') ?? '',
        // The palette breaks long labels over lines; compare the words.
        label: (element.querySelector('.red-ui-palette-label')?.textContent ?? '').replace(/\s+/g, ' ').trim(),
      })),
    );
    const ours = labels.filter((entry) => entry.type.startsWith('agentbay-'));
    const others = new Set(labels.filter((entry) => !entry.type.startsWith('agentbay-')).map((entry) => entry.label));
    assert.equal(ours.length, operations.length);
    // Node-RED's own file nodes are in this editor, so the old `read file` label would collide here.
    assert.ok(others.has('read file') && others.has('write file'), 'core file nodes are in the palette');
    for (const { type, label } of ours) {
      assert.match(label, /^agentbay /, `${type} palette label`);
      assert.ok(!others.has(label), `${type} palette label "${label}" is also a core node's`);
    }
  });

  for (const [index, operation] of operations.entries()) {
    it(`opens and saves the ${operation.displayName} dialog with a field per parameter`, async () => {
      await openDialog(`n${index}`);
      const fields = await page.evaluate(() =>
        Array.from(document.querySelectorAll('#dialog-form [id^="node-input-"]')).map((element) => element.id),
      );
      const expected = operation.parameters.map((parameter) => `node-input-${parameter.name}`);
      if (operation.session !== 'none') expected.push('node-input-session');
      for (const id of expected) assert.ok(fields.includes(id), `${id} in ${fields.join(', ')}`);
      for (const parameter of operation.parameters.filter(isMultiline)) {
        assert.ok(fields.includes(`node-input-${parameter.name}-source`), `source picker for ${parameter.name}`);
      }
      await closeDialog();
      assert.deepEqual(pageErrors, []);
    });
  }

  it('keeps multi-line text intact through the dialog', async () => {
    await openDialog('script');
    await closeDialog();
    const saved = await page.evaluate(() => {
      type Red = { nodes: { node(id: string): { content: string; contentType: string } } };
      const node = (window as unknown as { RED: Red }).RED.nodes.node('script');
      return { content: node.content, contentType: node.contentType };
    });
    assert.deepEqual(saved, { content: SCRIPT, contentType: 'agentbay-text' });
  });

  /** Node-RED's own verdict on a node: `valid === false` is what draws the red triangle. */
  async function validity(id: string): Promise<boolean | undefined> {
    const { valid, errors } = await page.evaluate((nodeId) => {
      type Red = { nodes: { node(id: string): { valid?: boolean; validationErrors?: string[] } } };
      const node = (window as unknown as { RED: Red }).RED.nodes.node(nodeId);
      return { valid: node.valid, errors: node.validationErrors ?? [] };
    }, id);
    if (valid === false) assert.deepEqual(errors, ['timeoutMs'], 'only the timeout is refused');
    return valid;
  }

  it('marks a node with an out-of-range literal invalid, and accepts msg-typed and in-range values', async () => {
    assert.equal(await validity('out-of-range'), false);
    assert.equal(await validity('from-msg'), true);
    assert.equal(await validity('in-range'), true);
  });

  it('flags a bad literal in the open dialog and clears the triangle once it is fixed', async () => {
    await openDialog('in-range');
    const setTimeout = (value: string) =>
      page.evaluate((text) => {
        const field = (window as unknown as { $: (selector: string) => { typedInput(method: string, value?: string): unknown } }).$('#node-input-timeoutMs');
        field.typedInput('value', text);
      }, value);
    await setTimeout('0');
    await closeDialog();
    assert.equal(await validity('in-range'), false, 'a timeout of 0 is below the minimum of 1');
    await openDialog('in-range');
    await setTimeout('1000');
    await closeDialog();
    assert.equal(await validity('in-range'), true);
  });

  it('never sends the API key to the editor', async () => {
    const flows = await page.evaluate(async () => (await fetch('flows', { headers: { 'Node-RED-API-Version': 'v2' } })).text());
    assert.ok(flows.includes(CONFIG_ID), 'the flows were read');
    assert.ok(!flows.includes(ready.apiKey), 'the key is not in the flows the editor gets');
    const credentials = await page.evaluate(async (id) => (await fetch(`credentials/agentbay-config/${id}`)).text(), CONFIG_ID);
    assert.ok(credentials.includes('has_apiKey'), credentials);
    assert.ok(!credentials.includes(ready.apiKey), 'only has_apiKey, never the key');
  });

  it('suggests the connection\'s sessions in a Session field typed as a string', async () => {
    const created = await fetch(`${ready.serverUrl}/?Action=CreateMcpSession`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ Authorization: `Bearer ${ready.apiKey}` }).toString(),
    });
    const sessionId = ((await created.json()) as { Data: { SessionId: string } }).Data.SessionId;
    const getStatus = `n${operations.findIndex((operation) => operation.id === 'getStatus')}`;
    await openDialog(getStatus);
    await page.evaluate(() => {
      const $ = (window as unknown as { $: (selector: string) => { typedInput(...args: unknown[]): unknown } }).$;
      $('#node-input-session').typedInput('type', 'str');
      $('#node-input-session').typedInput('value', '');
    });
    await page.locator('.form-row:has(#node-input-session) input.red-ui-typedInput-input').first().click();
    await page.keyboard.type('session-');
    await page.waitForSelector(`.red-ui-autoComplete-container li:has-text("${sessionId}")`, { timeout: 30_000 });
    await page.keyboard.press('Escape');
    await page.click('#node-dialog-cancel');
    await page.waitForFunction(() => document.querySelectorAll('.red-ui-tray').length === 0, undefined, { timeout: 30_000 });
  });
});
