/**
 * The shipped browser workflows (docs/n8n-workflows/browser-*.json) in the real n8n 2.x, run by its CLI as a user
 * imports them: only the Schedule Trigger swapped for a manual one (the CLI runs a workflow from a manual start) and
 * the fields a user edits pointed at a page this test serves on loopback. The playwright-core workflow's Code node runs
 * in n8n's own task runner, set up as the workflow's sticky note tells a self-hosting user: playwright-core installed
 * beside n8n (test/n8n-e2e/n8n-host-package.json), NODE_FUNCTION_ALLOW_EXTERNAL=playwright-core and
 * N8N_RUNNERS_INSECURE_MODE=true (the secure runner's frozen prototypes and --disallow-code-generation-from-strings
 * stop playwright-core: its connection times out, and its TimeoutError crashes the runner).
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LocalServer } from '../../local-server/server';
import { browserProcesses, imageHeader, PAGE_TITLE, serveTestPage, type TestPage } from '../support/browser';
import { startTestServer } from '../support/local-server';
import { freePort, installedN8nVersion, N8N_INSTALLS, N8nHost, type N8nExecution } from '../support/n8n-host';
import { waitFor } from '../support/wait';

const packageRoot = join(__dirname, '..', '..', '..');
const CREDENTIAL = { id: 'agentbaybrowser01', name: 'AgentBay local server' };
const install = N8N_INSTALLS.find((candidate) => candidate.line === '2.x')!;

interface WorkflowNode {
  name: string;
  type: string;
  typeVersion: number;
  credentials?: Record<string, unknown>;
  parameters: Record<string, unknown>;
}
type Workflow = { nodes: WorkflowNode[] } & Record<string, unknown>;

/** The shipped workflow as a user imports it, its credentials pointed at the test credential. */
function shippedWorkflow(id: string, file: string): Workflow {
  const shipped = JSON.parse(readFileSync(join(packageRoot, 'docs', 'n8n-workflows', `${file}.json`), 'utf8')) as Workflow;
  for (const node of shipped.nodes) if (node.credentials) node.credentials = { agentBayApi: CREDENTIAL };
  return { ...shipped, id, active: false };
}

function nodeNamed(workflow: Workflow, name: string): WorkflowNode {
  const node = workflow.nodes.find((candidate) => candidate.name === name);
  assert.ok(node, `the shipped workflow has a node "${name}"`);
  return node;
}

/** Every hour, as shipped; the CLI runs a workflow from a manual start, so the trigger becomes one. Navigate Page opens `pageUrl`. */
function screenshotWorkflow(id: string, pageUrl: string): Workflow {
  const workflow = shippedWorkflow(id, 'browser-screenshot-every-hour');
  const trigger = nodeNamed(workflow, 'Every Hour');
  assert.equal(trigger.type, 'n8n-nodes-base.scheduleTrigger');
  assert.deepEqual(trigger.parameters, { rule: { interval: [{ field: 'hours', hoursInterval: 1 }] } });
  Object.assign(trigger, { type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, parameters: {} });
  nodeNamed(workflow, 'Navigate Page').parameters.url = pageUrl;
  // A failing browser step passes the session on (the adapter's Continue On Fail, tested for every node), so Delete Session runs.
  for (const name of ['Initialize Browser', 'Navigate Page', 'Take Screenshot']) assert.equal((nodeNamed(workflow, name) as { onError?: string }).onError, 'continueRegularOutput', name);
  return workflow;
}

/** The fields of its Page to Open node set as a user would: the test page, and its form filled and submitted. */
function playwrightWorkflow(id: string, pageUrl: string): Workflow {
  const workflow = shippedWorkflow(id, 'browser-drive-with-playwright');
  const fields = (nodeNamed(workflow, 'Page to Open').parameters.assignments as { assignments: Array<{ name: string; value: string }> }).assignments;
  const field = (name: string) => {
    const found = fields.find((candidate) => candidate.name === name);
    assert.ok(found, `Page to Open has a field ${name}`);
    return found;
  };
  assert.equal(field('pageUrl').value, 'http://example.com/');
  field('pageUrl').value = pageUrl;
  field('form').value = JSON.stringify({ fill: { '#name': 'Ada' }, click: '#send', read: '#echo' });
  return workflow;
}

function outputOf(execution: N8nExecution, node: string): { json: Record<string, unknown>; binary?: Record<string, unknown> } {
  const item = execution.runData[node]?.[0]?.data?.main[0]?.[0];
  assert.ok(item, `${node} ran and gave an item`);
  return item;
}

describe(`the browser workflows in real n8n ${installedN8nVersion(install) ?? '2.x (not installed: run scripts/setup-n8n-e2e.sh)'}`, function () {
  this.timeout(300_000);
  let server: LocalServer;
  let page: TestPage;
  let n8n: N8nHost;

  before(async () => {
    assert.ok(installedN8nVersion(install)?.startsWith('2.'), `n8n 2.x is installed in ${install.dir}`);
    // Where the Code node's require() looks (the task runner's own module), as the sticky note's step 1 arranges.
    const runner = join(packageRoot, install.dir, 'node_modules', '@n8n', 'task-runner', 'dist', 'js-task-runner');
    assert.doesNotThrow(() => require.resolve('playwright-core', { paths: [runner] }), 'playwright-core is installed beside n8n: run scripts/setup-n8n-e2e.sh');
    server = await startTestServer();
    page = await serveTestPage();
    n8n = await N8nHost.create(install, { NODE_FUNCTION_ALLOW_EXTERNAL: 'playwright-core', N8N_RUNNERS_INSECURE_MODE: 'true' });
    await n8n.importCredentials([
      { ...CREDENTIAL, type: 'agentBayApi', data: { apiKey: server.apiKey, region: 'custom', customEndpoint: server.url, timeoutMs: 60000 } },
    ]);
    // The failure path only for the Code node's own error handling; the AgentBay nodes' On Error: Continue keeping the
    // session is the adapter's, tested for every node (test/nodes/n8n/every-operation.test.ts). Nothing listens on
    // this port (it was free a moment ago), so the browser's connection is refused.
    const unreachableUrl = `http://127.0.0.1:${await freePort()}/`;
    await n8n.importWorkflows([
      screenshotWorkflow('agentbaybrowsershot', page.url),
      playwrightWorkflow('agentbaybrowserplay', page.url),
      playwrightWorkflow('agentbaybrowserplayx', unreachableUrl),
    ]);
  });
  after(async () => {
    n8n?.dispose();
    await server?.close();
    await page?.close();
  });

  /** After each run: the session it made deleted, none left, and none of the server's Chromium processes (their command lines name its data dir). */
  async function assertCleanedUp(execution: N8nExecution): Promise<void> {
    const { sessionId } = outputOf(execution, 'Create Session').json;
    assert.match(String(sessionId), /^session-/);
    assert.deepEqual(
      { deleted: outputOf(execution, 'Delete Session').json.deleted, sessionId: outputOf(execution, 'Delete Session').json.sessionId },
      { deleted: true, sessionId },
    );
    await waitFor(() => server.sessionCount() === 0, 10_000, 'the session to be gone');
    await waitFor(() => browserProcesses(server.dataDir).length === 0, 20_000, 'the session\'s Chromium to exit');
    assert.ok(!execution.output.includes(server.apiKey), 'the key never reaches the output');
  }

  it('"Screenshot a page every hour": a 1280×720 PNG of the page as binary data, the session deleted', async () => {
    const hitsBefore = page.hits();
    const execution = await n8n.execute('agentbaybrowsershot');
    assert.equal(execution.status, 'success', execution.output.slice(-3000));
    assert.equal(outputOf(execution, 'Navigate Page').json.title, PAGE_TITLE);
    assert.equal(page.hits() - hitsBefore, 1, 'the browser fetched the page once');
    const screenshot = outputOf(execution, 'Take Screenshot');
    const binary = screenshot.binary?.data as { data: string; id?: string; mimeType: string } | undefined;
    assert.ok(binary, 'Take Screenshot gives binary data');
    assert.equal(binary.mimeType, 'image/png');
    const png = n8n.readBinary(binary);
    assert.deepEqual(imageHeader(png), { type: 'png', width: 1280, height: 720 });
    assert.deepEqual({ width: screenshot.json.width, height: screenshot.json.height, size: screenshot.json.size }, { width: 1280, height: 720, size: png.length });
    await assertCleanedUp(execution);
  });

  it('"Drive the session\'s browser with playwright-core": the Code node reads the title, fills and submits the form', async () => {
    const hitsBefore = page.hits();
    const execution = await n8n.execute('agentbaybrowserplay');
    assert.equal(execution.status, 'success', execution.output.slice(-3000));
    const driven = outputOf(execution, 'Drive with Playwright').json;
    const created = outputOf(execution, 'Create Session').json;
    assert.deepEqual(driven, { title: PAGE_TITLE, text: 'Hello, Ada', session: created.session });
    assert.equal(page.hits() - hitsBefore, 1, 'playwright-core opened the page once');
    await assertCleanedUp(execution);
  });

  it('"Drive the session\'s browser with playwright-core" with the page unreachable: the Code node\'s error item keeps the session, and it is deleted', async () => {
    const execution = await n8n.execute('agentbaybrowserplayx');
    assert.equal(execution.status, 'success', execution.output.slice(-3000));
    const driven = outputOf(execution, 'Drive with Playwright').json;
    assert.match(String(driven.error), /ERR_CONNECTION_REFUSED/);
    assert.deepEqual(driven.session, outputOf(execution, 'Create Session').json.session);
    await assertCleanedUp(execution);
  });
});
