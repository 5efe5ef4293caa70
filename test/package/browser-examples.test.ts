/**
 * The Node-RED browser examples run for real against a page this test serves on loopback: the flows loaded from
 * examples/ into node-red-node-test-helper (their debug nodes observed, the inject's URL pointed at the page). The n8n
 * workflows of docs/n8n-workflows/ run in the real n8n, Code node and task runner included
 * (test/n8n-e2e/browser-workflows.test.ts).
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { LocalServer } from '../../local-server/server';
import { waitFor } from '../support/wait';
import { imageHeader, PAGE_TITLE, serveTestPage, type TestPage } from '../support/browser';
import { configNode, helper, packageNodeModules, type Message } from '../support/node-red';
import { startTestServer } from '../support/local-server';

const root = path.join(__dirname, '..', '..', '..');
type FlowNode = Record<string, unknown> & { id: string; type: string };

// eslint-disable-next-line @typescript-eslint/no-require-imports
const coreModules = ['common/20-inject.js', 'common/90-comment.js', 'common/25-catch.js', 'function/10-function.js'].map((file) => require(`@node-red/nodes/core/${file}`) as unknown);

function readJson<T>(...parts: string[]): T {
  return JSON.parse(readFileSync(path.join(root, ...parts), 'utf8')) as T;
}

/** Loads an example flow: its connection pointed at the test server, its debug nodes turned into helper nodes. */
async function loadExample(server: LocalServer, file: string, pageUrl: string): Promise<{ nodes: FlowNode[]; byName: (name: string) => FlowNode }> {
  const nodes = readJson<FlowNode[]>('examples', file);
  const test = configNode(server);
  const config = nodes.find((node) => node.type === 'agentbay-config')!;
  const flow = [{ id: 'tab1', type: 'tab', label: file }, ...nodes.map((node): FlowNode => {
    const placed = { ...node, z: 'tab1' };
    if (node.type === 'agentbay-config') return { ...test.node, id: config.id, type: 'agentbay-config', z: 'tab1' };
    if (node.type === 'debug') return { id: node.id, type: 'helper', name: node.name, z: 'tab1', wires: [] };
    if (node.type === 'inject') {
      return { ...placed, repeat: '', props: (node.props as Array<Record<string, string>>).map((prop) => (prop.p === 'url' ? { ...prop, v: pageUrl } : prop)) };
    }
    return placed;
  })];
  await helper.load([...packageNodeModules(), ...coreModules], flow, { [config.id]: (test.credentials as Record<string, unknown>)[Object.keys(test.credentials)[0]!] });
  return { nodes, byName: (name) => nodes.find((node) => node.name === name)! };
}

function nextInput(nodeId: string, timeoutMs = 90_000): Promise<Message> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`nothing reached ${nodeId} within ${timeoutMs} ms`)), timeoutMs);
    helper.getNode(nodeId).on('input', ((msg: Message) => {
      clearTimeout(timer);
      resolve(msg);
    }) as never);
  });
}

describe('browser examples, run against a page on loopback', function () {
  this.timeout(180_000);
  let server: LocalServer;
  let page: TestPage;

  before(async () => {
    server = await startTestServer();
    page = await serveTestPage();
  });
  after(async () => {
    await server.close();
    await page.close();
  });

  describe('Node-RED', () => {
    before(() => {
      (helper as unknown as { settings(settings: Record<string, unknown>): void }).settings({
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        functionGlobalContext: { playwright: require('playwright-core') as unknown },
      });
    });
    beforeEach(() => helper.startServer());
    afterEach(async () => {
      await helper.unload();
      await helper.stopServer();
    });

    it('"Screenshot a page every hour": a comment first, an hourly inject, a 1280×720 PNG, the session deleted', async () => {
      const { nodes, byName } = await loadExample(server, 'browser-screenshot-every-hour.json', page.url);
      assert.equal(nodes[0]!.type, 'comment');
      assert.equal(byName('every hour').repeat, '3600');
      const screenshot = nextInput(byName('screenshot').id);
      const deleted = nextInput(byName('deleted').id);
      helper.getNode(byName('every hour').id).receive({});
      const shot = (await screenshot).payload as Record<string, unknown>;
      assert.deepEqual(imageHeader(shot.data as Buffer), { type: 'png', width: 1280, height: 720 });
      assert.equal(page.hits(), 1, 'the page was fetched');
      assert.equal(((await deleted).payload as Record<string, unknown>).deleted, true);
      await waitFor(() => server.sessionCount() === 0, 10_000, 'the session to be gone');
    });

    it('"Drive the session\'s browser with playwright-core": title, form filled and submitted from a function node', async () => {
      const { nodes, byName } = await loadExample(server, 'browser-drive-with-playwright.json', page.url);
      assert.equal(nodes[0]!.type, 'comment');
      const result = nextInput(byName('page').id);
      const deleted = nextInput(byName('deleted').id);
      const start = byName('start');
      // The inject's own output, with the form the example's comment describes added on the way.
      helper.getNode(String((start.wires as string[][])[0]![0])).receive({ url: page.url, form: { fill: { '#name': 'Ada' }, click: '#send', read: '#echo' } });
      // The function node's object comes from its own VM context: compare it as data.
      assert.deepEqual(JSON.parse(JSON.stringify((await result).payload)), { title: PAGE_TITLE, text: 'Hello, Ada' });
      assert.equal(((await deleted).payload as Record<string, unknown>).deleted, true);
      await waitFor(() => server.sessionCount() === 0, 10_000, 'the session to be gone');
    });
  });
});
