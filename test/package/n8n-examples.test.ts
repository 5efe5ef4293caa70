/**
 * The n8n example workflows shipped in docs/n8n-workflows/ (shipped in the package; not under examples/,
 * which Node-RED lists in its Import menu): every AgentBay node in them is a node type (or the
 * tool variant n8n derives) this package registers, with only parameters its description has, and each
 * workflow runs: its AgentBay nodes in the order of their main connections from the trigger (the schedule
 * firing once), the AI agent's tools called as an agent would call them. Real n8n-workflow, local server.
 */
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { INodeExecutionData, INodeParameters, INodeTypeDescription } from 'n8n-workflow';
import type { LocalServer } from '../../local-server/server';
import { operations } from '../../nodes/core/catalogue/index';
import { n8nNodeName } from '../../nodes/core/catalogue/naming';
import { waitFor } from '../support/wait';
import { clientFor, connectionFor, startTestServer } from '../support/local-server';
import { executeN8nNode, loadN8nNode, toolVariant } from '../support/n8n';

const examplesDir = join(__dirname, '..', '..', '..', 'docs', 'n8n-workflows');
const PREFIX = 'n8n-nodes-agentbay.';

interface WorkflowNode {
  name: string;
  type: string;
  parameters: INodeParameters;
  credentials?: Record<string, unknown>;
}
interface Workflow {
  name: string;
  nodes: WorkflowNode[];
  connections: Record<string, Record<string, Array<Array<{ node: string; type: string }>>>>;
}

const workflows = readdirSync(examplesDir)
  .filter((file) => file.endsWith('.json'))
  .map((file) => ({ file, workflow: JSON.parse(readFileSync(join(examplesDir, file), 'utf8')) as Workflow }));

/** The operation and description a workflow node's type stands for (the tool variant for `…Tool`). */
function resolve(type: string): { operationId: string; asTool: boolean; description: INodeTypeDescription } {
  const name = type.slice(PREFIX.length);
  const asTool = name.endsWith('Tool') && !operations.some((operation) => n8nNodeName(operation) === name);
  const operation = operations.find((candidate) => n8nNodeName(candidate) === (asTool ? name.slice(0, -'Tool'.length) : name));
  assert.ok(operation, `${type} is a node type of this package`);
  const description = loadN8nNode(operation.id).description;
  return { operationId: operation.id, asTool, description: asTool ? toolVariant(description) : description };
}

describe('n8n example workflows (docs/n8n-workflows)', function () {
  this.timeout(60_000);
  let server: LocalServer;
  before(async () => {
    server = await startTestServer();
  });
  afterEach(async () => {
    await waitFor(() => server.sessionCount() === 0, 5000, 'no session left by the example');
  });
  after(async () => {
    await server.close();
  });

  it('ships a manual, a scheduled and an AI-agent workflow, each explained by a sticky note', () => {
    const triggers = workflows.flatMap(({ workflow }) => workflow.nodes.map((node) => node.type)).filter((type) => /trigger/i.test(type));
    assert.ok(triggers.includes('n8n-nodes-base.manualTrigger'));
    assert.ok(triggers.includes('n8n-nodes-base.scheduleTrigger'));
    assert.ok(triggers.includes('@n8n/n8n-nodes-langchain.chatTrigger'));
    for (const { file, workflow } of workflows) assert.ok(workflow.nodes.some((node) => node.type === 'n8n-nodes-base.stickyNote'), file);
  });

  it('uses only registered node types, their parameters and the package credential', () => {
    for (const { file, workflow } of workflows) {
      for (const node of workflow.nodes.filter((candidate) => candidate.type.startsWith(PREFIX))) {
        const { description, asTool } = resolve(node.type);
        const known = new Set(description.properties.map((property) => property.name));
        for (const parameter of Object.keys(node.parameters)) assert.ok(known.has(parameter), `${file}: ${node.name} has no parameter ${parameter}`);
        assert.deepEqual(Object.keys(node.credentials ?? {}), ['agentBayApi'], `${file}: ${node.name}`);
        const outgoing = Object.keys(workflow.connections[node.name] ?? {});
        if (asTool) assert.deepEqual(outgoing, ['ai_tool'], `${file}: ${node.name} is wired to the agent as a tool`);
        else assert.ok(outgoing.every((type) => type === 'main'), `${file}: ${node.name}`);
      }
    }
  });

  // Workflows with nodes of other packages (the playwright example's Set and Code nodes) run in the real n8n (test/n8n-e2e/browser-workflows.test.ts).
  const runnable = workflows.filter(
    ({ workflow }) =>
      workflow.nodes.some((node) => /manualTrigger|scheduleTrigger/.test(node.type)) &&
      workflow.nodes.every((node) => node.type.startsWith(PREFIX) || /Trigger$|stickyNote$/.test(node.type)),
  );
  for (const { file, workflow } of runnable) {
    it(`runs ${file} from its trigger to the end`, async () => {
      if (file === 'scheduled-clean-up.json') {
        // What the clean-up is for: a session a failed run left behind two hours ago.
        const client = clientFor(server);
        const stamp = new Date(Date.now() - 120 * 60_000).toISOString();
        await client.call('CreateMcpSession', { Labels: JSON.stringify({ flow: 'n8n-example', 'agentbay-created-at': stamp }) });
        client.close();
      }
      let node = workflow.nodes.find((candidate) => /Trigger$/.test(candidate.type));
      let items: INodeExecutionData[] = [{ json: {} }];
      const ran: string[] = [];
      for (let next = workflow.connections[node!.name]?.main?.[0]?.[0]; next; next = workflow.connections[node!.name]?.main?.[0]?.[0]) {
        node = workflow.nodes.find((candidate) => candidate.name === next!.node)!;
        const { operationId } = resolve(node.type);
        items = (await executeN8nNode(operationId, { parameters: node.parameters, items, credentials: connectionFor(server) })).output[0];
        ran.push(operationId);
      }
      assert.ok(ran.length > 0);
      if (file === 'scheduled-clean-up.json') {
        assert.deepEqual(ran, ['deleteIdleSessions']);
        assert.equal(items[0].json.count, 1, 'the stale session was deleted');
      } else {
        // A session comes first, or the context it mounts (the reuse-a-workspace workflow).
        assert.equal(ran.filter((id) => id !== 'getContext')[0], 'createSession');
        assert.equal(ran.at(-1), 'deleteSession');
        assert.equal(items[0].json.deleted, true);
      }
    });
  }

  it('runs the AI agent workflow\'s tools as an agent would call them', async () => {
    const { workflow } = workflows.find(({ file }) => file === 'ai-agent-sandbox.json')!;
    const tools = new Map(
      workflow.nodes
        .filter((node) => node.type.startsWith(PREFIX))
        .map((node) => [resolve(node.type).operationId, node] as const),
    );
    assert.deepEqual([...tools.keys()].sort(), ['createSession', 'deleteSession', 'executeCommand', 'readFile', 'writeFile']);
    const call = async (operationId: string, query: Record<string, unknown>) =>
      (
        await executeN8nNode(operationId, {
          asTool: true,
          parameters: tools.get(operationId)!.parameters,
          items: [{ json: { query } }],
          credentials: connectionFor(server),
        })
      ).output[0][0].json;
    const created = await call('createSession', {});
    const sessionId = (created.session as { sessionId: string }).sessionId;
    assert.deepEqual(created.labels, { flow: 'n8n-ai-agent' });
    await call('writeFile', { sessionId, path: '/home/wuying/answer.py', content: 'print(6 * 7)' });
    assert.equal((await call('readFile', { sessionId, path: '/home/wuying/answer.py' })).content, 'print(6 * 7)');
    assert.equal((await call('executeCommand', { sessionId, command: 'python3 /home/wuying/answer.py' })).stdout, '42\n');
    assert.equal((await call('deleteSession', { sessionId })).deleted, true);
  });
});
