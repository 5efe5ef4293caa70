/**
 * n8n AI-agent tools: the nodes' tool variants (as n8n derives them) take the session and their key fields
 * from the model (`$fromAI`), fall back to a temporary session when the model gives none, read and write
 * files, and have names that read naturally. Run through the real n8n-workflow against the local server.
 */
import { strict as assert } from 'node:assert';
import { NodeHelpers, type INodeProperties } from 'n8n-workflow';
import type { LocalServer } from '../../../local-server/server';
import { operations } from '../../../nodes/core/catalogue/index';
import { waitFor } from '../../support/wait';
import { connectionFor, startTestServer } from '../../support/local-server';
import { executeN8nNode, loadN8nNode, toolVariant } from '../../support/n8n';

/** What the editor shows: the properties whose display options hold for these values. */
function shown(properties: INodeProperties[], description: ReturnType<typeof toolVariant>, values: Record<string, boolean>): INodeProperties[] {
  const node = { id: 'n', name: 'n', type: 't', typeVersion: 1, position: [0, 0] as [number, number], parameters: values };
  return properties.filter((property) => NodeHelpers.displayParameter(values, property, node, description));
}

describe('n8n: the nodes as AI-agent tools', function () {
  let server: LocalServer;
  before(async () => {
    server = await startTestServer();
  });
  afterEach(async () => {
    await waitFor(() => server.sessionCount() === 0, 5000, 'no session left by the test');
  });
  after(async () => {
    await server.close();
  });

  it('offers the nodes as tools, Read File and Write File included, each with a name that reads naturally', () => {
    for (const id of ['readFile', 'writeFile', 'executeCommand', 'runCode', 'createSession', 'deleteSession']) assert.ok(loadN8nNode(id).description.usableAsTool, `${id} is a tool`);
    for (const operation of operations.filter((candidate) => candidate.usableAsTool !== false)) {
      const description = loadN8nNode(operation.id).description;
      assert.ok(description.usableAsTool, `${operation.id} is a tool`);
      const tool = toolVariant(description);
      assert.doesNotMatch(tool.displayName, /Tools? Tool$/, `${operation.id}: ${tool.displayName}`);
    }
    assert.equal(toolVariant(loadN8nNode('callMcpTool').description).displayName, 'AgentBay Call MCP Tool');
  });

  it('lets the model fill the session and the required text fields in tool mode, and keeps the ordinary fields otherwise', () => {
    const description = loadN8nNode('writeFile').description;
    const values = { contentIsBinary: false };
    const asTool = shown(description.properties, toolVariant(description), values);
    const asNode = shown(description.properties, description, values);
    const defaultOf = (properties: INodeProperties[], name: string) => properties.filter((property) => property.name === name).map((property) => property.default);
    assert.equal(defaultOf(asTool, 'sessionId').length, 1, 'one Session ID field in each mode');
    assert.match(String(defaultOf(asTool, 'sessionId')[0]), /^=\{\{ \$fromAI\('sessionId', `[^`]+`, 'string'\) \}\}$/);
    assert.match(String(defaultOf(asTool, 'path')[0]), /\$fromAI\('path'/);
    assert.match(String(defaultOf(asTool, 'content')[0]), /\$fromAI\('content'/);
    assert.deepEqual(defaultOf(asTool, 'ifNoSession'), ['temporary']);
    assert.deepEqual(defaultOf(asNode, 'sessionId'), ['={{ $json.session?.sessionId ?? $json.sessionId }}']);
    assert.deepEqual(defaultOf(asNode, 'ifNoSession'), ['fail']);
    assert.deepEqual(defaultOf(asNode, 'path'), ['']);
  });

  it('writes and reads a file in the session the agent names', async () => {
    const credentials = connectionFor(server);
    const created = await executeN8nNode('createSession', { credentials });
    const sessionId = String((created.output[0][0].json.session as { sessionId: string }).sessionId);
    try {
      const written = await executeN8nNode('writeFile', {
        asTool: true,
        credentials,
        items: [{ json: { query: { sessionId, path: '/home/wuying/agent-note.txt', content: 'from the agent' } } }],
      });
      assert.equal(written.output[0][0].json.temporarySessionId, undefined, 'worked in the named session');
      const read = await executeN8nNode('readFile', {
        asTool: true,
        credentials,
        items: [{ json: { query: { sessionId, path: '/home/wuying/agent-note.txt' } } }],
      });
      assert.equal(read.output[0][0].json.content, 'from the agent');
    } finally {
      await executeN8nNode('deleteSession', { credentials, parameters: { sessionId } });
    }
  });

  it('works in a temporary session when the agent gives none, and deletes it', async () => {
    const { output } = await executeN8nNode('executeCommand', {
      asTool: true,
      credentials: connectionFor(server),
      items: [{ json: { query: { command: 'echo $((6*7))' } } }],
    });
    assert.equal(output[0][0].json.stdout, '42\n');
    assert.match(String(output[0][0].json.temporarySessionId), /^session-/);
    // afterEach: the temporary session is gone.
  });
});
