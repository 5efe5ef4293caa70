/**
 * The "reuse a workspace across scheduled runs" examples, run as shipped in their runtimes against
 * the local server: the Node-RED flow (examples/) in the real Node-RED, its inject fired twice; the
 * n8n workflow (docs/n8n-workflows/) node by node through the real n8n execute path, twice. The
 * second run must see the line the first run appended in the synced workspace.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LocalServer } from '../../local-server/server';
import { connectionFor, startTestServer } from '../support/local-server';
import { runN8nWorkflow, type WorkflowFile } from '../support/n8n-workflow';
import { catchNodeModule, helper, packageNodeModules, useNodeRedRuntime, type Message } from '../support/node-red';

const root = join(__dirname, '..', '..', '..');
const readJson = (...path: string[]): unknown => JSON.parse(readFileSync(join(root, ...path), 'utf8'));
const RUN_LINE = /^run at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;

/** The lines of runs.log a run printed: one per run so far. */
function runLines(stdout: unknown): string[] {
  assert.equal(typeof stdout, 'string');
  const lines = (stdout as string).split('\n').filter((line) => line !== '');
  for (const line of lines) assert.match(line, RUN_LINE);
  return lines;
}

/** A line per run, and each run keeps the lines of the runs before it. */
function assertWorkspaceKept(first: string[], second: string[]): void {
  assert.equal(first.length, 1, 'the first run starts from an empty workspace');
  assert.equal(second.length, 2, 'the second run sees the first run’s line');
  assert.equal(second[0], first[0]);
}

interface FlowNode {
  id: string;
  type: string;
  name?: string;
  [key: string]: unknown;
}

describe('example: reuse a workspace across scheduled runs', function () {
  this.timeout(180000);
  let server: LocalServer;

  beforeEach(async () => {
    server = await startTestServer({ contextSyncDelayMs: 100 });
  });
  afterEach(async () => {
    const left = server.sessionCount();
    await server.close();
    assert.equal(left, 0, 'no session left running');
  });

  describe('Node-RED: examples/reuse-workspace-across-runs.json', () => {
    useNodeRedRuntime();

    it('repeats on a schedule, and its second run sees the file the first run wrote', async () => {
      const example = readJson('examples', 'reuse-workspace-across-runs.json') as FlowNode[];
      const inject = example.find((node) => node.type === 'inject');
      assert.ok(inject && Number(inject.repeat) > 0, 'the inject node repeats');
      assert.equal(example[0].type, 'comment', 'the flow starts with a comment explaining it');
      const find = (type: string, name?: string): FlowNode => {
        const node = example.find((candidate) => candidate.type === type && (name === undefined || candidate.name === name));
        assert.ok(node, `${type} ${name ?? ''}`);
        return node;
      };
      const finalDebug = find('debug', 'deleted');
      const config = find('agentbay-config');
      const settings = connectionFor(server);
      const flow = [
        { id: 'tab', type: 'tab', label: 'example' },
        ...example.map((node) =>
          node.id === config.id ? { ...node, customEndpoint: settings.customEndpoint, z: 'tab' } : { ...node, z: 'tab' },
        ),
      ];
      /* eslint-disable @typescript-eslint/no-require-imports */
      const coreModules = [
        require('@node-red/nodes/core/common/20-inject.js'),
        require('@node-red/nodes/core/common/21-debug.js'),
        require('@node-red/nodes/core/common/90-comment.js'),
        catchNodeModule,
      ];
      /* eslint-enable @typescript-eslint/no-require-imports */
      await helper.load([...packageNodeModules(), ...coreModules], flow, { [config.id]: { apiKey: settings.apiKey } });

      const errors: string[] = [];
      helper.getNode(find('debug', 'error').id).on('input', ((msg: Message) => errors.push(String(msg.error?.message))) as never);
      const runOnce = async (): Promise<string[]> => {
        const outcome = new Promise<{ stdout: unknown; deleted: Message }>((resolve, reject) => {
          let stdout: unknown;
          const deleteNode = helper.getNode(find('agentbay-delete-session', 'Delete Session (sync)').id);
          const onCommand = (msg: Message) => {
            stdout = (msg.payload as { stdout?: unknown }).stdout;
          };
          deleteNode.on('input', onCommand as never);
          helper.getNode(finalDebug.id).on('input', ((msg: Message) => resolve({ stdout, deleted: msg })) as never);
          const timer = setTimeout(() => reject(new Error(`the run did not finish: ${errors.join('; ')}`)), 120000);
          timer.unref();
        });
        helper.getNode(inject.id).receive({});
        const { stdout, deleted } = await outcome;
        assert.equal((deleted.payload as { deleted: boolean }).deleted, true);
        return runLines(stdout);
      };
      const first = await runOnce();
      const second = await runOnce();
      assert.deepEqual(errors, []);
      assertWorkspaceKept(first, second);
    });
  });

  describe('n8n: docs/n8n-workflows/reuse-workspace-across-runs.json', () => {
    it('starts from a Schedule Trigger, and its second run sees the file the first run wrote', async () => {
      const workflow = readJson('docs', 'n8n-workflows', 'reuse-workspace-across-runs.json') as WorkflowFile;
      assert.ok(workflow.nodes.some((node) => node.type === 'n8n-nodes-base.scheduleTrigger'), 'a Schedule Trigger starts it');
      const runOnce = async (): Promise<string[]> => {
        const outputs = await runN8nWorkflow(workflow, connectionFor(server));
        const deleted = outputs.get('Delete Session');
        assert.equal(deleted?.[0].json.deleted, true);
        return runLines(outputs.get('Append To runs.log')?.[0].json.stdout);
      };
      const first = await runOnce();
      const second = await runOnce();
      assertWorkspaceKept(first, second);
    });
  });
});
