/**
 * The shipped AI-agent workflow (docs/n8n-workflows/ai-agent-sandbox.json) in the real n8n 2.x with this
 * package installed as a community package: imported as a user imports it, its AgentBay tools loaded by
 * n8n's real AI Agent node and called by it. No language model runs: the workflow's OpenAI chat model
 * points (through its credential's Base URL) at a scripted chat-completions server on loopback, which
 * records the tool definitions n8n sends and answers with tool calls in sequence, then a text. Only the
 * credentials and the trigger differ from the shipped file: the CLI cannot open a chat, so a Manual Trigger
 * and a Set node carrying the chat message stand in for the Chat Trigger.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LocalServer } from '../../local-server/server';
import { operations } from '../../nodes/core/catalogue/index';
import { startTestServer } from '../support/local-server';
import { installedN8nVersion, N8N_INSTALLS, N8nHost } from '../support/n8n-host';
import { ScriptedChatModel, toolResults, type ChatRequest, type ScriptedTurn } from '../support/scripted-chat-model';

const AGENTBAY_CREDENTIAL = { id: 'agentbayaicred01', name: 'AgentBay local server' };
const MODEL_CREDENTIAL = { id: 'agentbayaimodel1', name: 'Scripted chat model' };
const MODEL_KEY = 'sk-scripted-not-a-real-key';
const WORKFLOW_ID = 'agentbayaiagent1';
const CHAT_MESSAGE = 'Compute 6*7 in a sandbox, then keep a note in a session of your own.';
const NOTE_PATH = '/home/wuying/agent-note.txt';
const NOTE = 'the answer is 42';
const FINAL_ANSWER = 'Done: 6*7 is 42, and the note was written, read back and its session deleted.';

/** The tools as the model sees them: n8n names a tool after its node ("AgentBay Write File" → AgentBay_Write_File). */
const TOOL = {
  createSession: 'AgentBay_Create_Session',
  executeCommand: 'AgentBay_Execute_Command',
  writeFile: 'AgentBay_Write_File',
  readFile: 'AgentBay_Read_File',
  deleteSession: 'AgentBay_Delete_Session',
};

interface WorkflowNode {
  name: string;
  type: string;
  typeVersion: number;
  position: [number, number];
  parameters: Record<string, unknown>;
  credentials?: Record<string, unknown>;
}
interface Workflow {
  name: string;
  nodes: WorkflowNode[];
  connections: Record<string, Record<string, Array<Array<{ node: string; type: string; index: number }>>>>;
}

/**
 * The shipped workflow as a user imports it, with the credentials chosen and, for the CLI run, the Chat
 * Trigger swapped: a Manual Trigger starts it and a Set node under the trigger's name hands the AI Agent
 * the `chatInput` a chat message would carry (so the shipped connections stay as they are).
 */
function importableWorkflow(): Workflow & Record<string, unknown> {
  const file = join(__dirname, '..', '..', '..', 'docs', 'n8n-workflows', 'ai-agent-sandbox.json');
  const workflow = JSON.parse(readFileSync(file, 'utf8')) as Workflow;
  for (const node of workflow.nodes) {
    if (node.credentials?.agentBayApi) node.credentials = { agentBayApi: AGENTBAY_CREDENTIAL };
    if (node.credentials?.openAiApi) node.credentials = { openAiApi: MODEL_CREDENTIAL };
  }
  const chatTrigger = workflow.nodes.find((node) => node.type === '@n8n/n8n-nodes-langchain.chatTrigger');
  assert.ok(chatTrigger, 'the shipped workflow starts with a Chat Trigger');
  Object.assign(chatTrigger, {
    type: 'n8n-nodes-base.set',
    typeVersion: 3.4,
    parameters: {
      mode: 'manual',
      assignments: { assignments: [{ id: 'chat-input', name: 'chatInput', value: CHAT_MESSAGE, type: 'string' }] },
      options: {},
    },
  });
  workflow.nodes.push({ name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [chatTrigger.position[0] - 220, chatTrigger.position[1]], parameters: {} });
  workflow.connections.Start = { main: [[{ node: chatTrigger.name, type: 'main', index: 0 }]] };
  return { ...workflow, id: WORKFLOW_ID, active: false };
}

/** A tool result as n8n hands it back: the tool node's output, JSON (one item, or a list of them). */
function resultJson(content: string): Record<string, unknown> {
  const parsed = JSON.parse(content) as unknown;
  const first = Array.isArray(parsed) ? parsed[0] : parsed;
  assert.ok(first !== null && typeof first === 'object', `a JSON tool result: ${content}`);
  return first as Record<string, unknown>;
}

/** The last tool result in the request, which must come from `tool`. */
function lastResult(request: ChatRequest, tool: string): Record<string, unknown> {
  const last = toolResults(request).at(-1);
  assert.equal(last?.name, tool, 'the previous turn\'s tool answered');
  return resultJson(last.content);
}

const sessionOf = (request: ChatRequest): string => {
  const created = toolResults(request).find((result) => result.name === TOOL.createSession);
  assert.ok(created, 'Create Session ran');
  const json = resultJson(created.content);
  const sessionId = (json.session as { sessionId?: unknown } | undefined)?.sessionId ?? json.sessionId;
  assert.equal(typeof sessionId, 'string', `Create Session's result names the session: ${created.content}`);
  return sessionId as string;
};

/** The model's side of the conversation: one tool call a turn, each reading what the last one returned. */
const SCRIPT: ScriptedTurn[] = [
  // No session: the tool works in a temporary one.
  () => ({ toolCalls: [{ name: TOOL.executeCommand, arguments: { sessionId: '', command: "printf 'product=%s' $((6*7))" } }] }),
  () => ({ toolCalls: [{ name: TOOL.createSession, arguments: {} }] }),
  (request) => ({ toolCalls: [{ name: TOOL.writeFile, arguments: { sessionId: sessionOf(request), path: NOTE_PATH, content: NOTE } }] }),
  (request) => ({ toolCalls: [{ name: TOOL.readFile, arguments: { sessionId: sessionOf(request), path: NOTE_PATH } }] }),
  (request) => ({ toolCalls: [{ name: TOOL.executeCommand, arguments: { sessionId: sessionOf(request), command: `tr a-z A-Z < ${NOTE_PATH}` } }] }),
  (request) => ({ toolCalls: [{ name: TOOL.deleteSession, arguments: { sessionId: sessionOf(request) } }] }),
  (request) => {
    lastResult(request, TOOL.deleteSession);
    return { text: FINAL_ANSWER };
  },
];

const install = N8N_INSTALLS[0];

describe(`real n8n ${installedN8nVersion(install) ?? `${install.line} (not installed in ${install.dir}: run scripts/setup-n8n-e2e.sh)`}: the shipped AI-agent workflow`, function () {
  this.timeout(300_000);
  let server: LocalServer;
  let model: ScriptedChatModel;
  let n8n: N8nHost;

  before(async () => {
    const version = installedN8nVersion(install);
    assert.ok(version?.startsWith(install.line.replace('x', '')), `n8n ${install.line} is installed in ${install.dir} (found ${version})`);
    server = await startTestServer();
    model = await ScriptedChatModel.start(SCRIPT, MODEL_KEY);
    // n8n 1.x lets an AI agent use community nodes as tools only with this switch; 2.x has none and ignores it.
    n8n = await N8nHost.create(install, { N8N_COMMUNITY_PACKAGES_ALLOW_TOOL_USAGE: 'true' });
    await n8n.importCredentials([
      { ...AGENTBAY_CREDENTIAL, type: 'agentBayApi', data: { apiKey: server.apiKey, region: 'custom', customEndpoint: server.url, timeoutMs: 60000 } },
      { ...MODEL_CREDENTIAL, type: 'openAiApi', data: { apiKey: MODEL_KEY, url: model.baseUrl } },
    ]);
  });
  after(async () => {
    n8n?.dispose();
    await model?.close();
    await server?.close();
  });

  it('loads the AgentBay tools into the AI Agent, which calls them: temporary session, then write, read and run in its own', async () => {
    const workflow = importableWorkflow();
    await n8n.importWorkflow(workflow);
    const execution = await n8n.execute(WORKFLOW_ID);
    assert.deepEqual(model.failures, [], 'the scripted model answered every request');
    assert.equal(execution.status, 'success', execution.output.slice(-3000));
    assert.equal(model.requests.length, SCRIPT.length, 'one model call a turn');

    // What n8n offered the model: the shipped agent's prompt and our tools, named as their nodes read.
    const first = model.requests[0];
    const chatModel = workflow.nodes.find((node) => node.credentials?.openAiApi)!;
    assert.equal(first.model, (chatModel.parameters.model as { value: string }).value, 'the shipped chat model\'s model');
    const agent = workflow.nodes.find((node) => node.type === '@n8n/n8n-nodes-langchain.agent')!;
    assert.equal(first.messages[0].content, (agent.parameters.options as { systemMessage: string }).systemMessage);
    assert.deepEqual(first.messages[1], { role: 'user', content: CHAT_MESSAGE });
    const tools = new Map((first.tools ?? []).map((tool) => [tool.function.name, tool.function] as const));
    assert.deepEqual([...tools.keys()].sort(), Object.values(TOOL).sort());
    for (const request of model.requests) assert.deepEqual(request.tools, first.tools, 'every call offers the same tools');
    for (const [id, name] of Object.entries(TOOL)) {
      assert.equal(tools.get(name)!.description, operations.find((operation) => operation.id === id)!.summary, `${name}'s description`);
    }
    // The $fromAI parameters of the tool twins, as JSON-schema properties the model must fill.
    const schemaOf = (name: string) => {
      const parameters = tools.get(name)!.parameters!;
      assert.equal(parameters.type, 'object');
      const properties = parameters.properties ?? {};
      assert.deepEqual([...(parameters.required ?? [])].sort(), Object.keys(properties).sort(), `${name}: the model fills every parameter`);
      for (const [key, property] of Object.entries(properties)) {
        assert.equal(property.type, 'string', `${name}.${key}`);
        assert.ok(property.description, `${name}.${key} is described`);
      }
      return properties;
    };
    assert.deepEqual(Object.keys(schemaOf(TOOL.createSession)), []);
    assert.deepEqual(Object.keys(schemaOf(TOOL.executeCommand)).sort(), ['command', 'sessionId']);
    assert.deepEqual(Object.keys(schemaOf(TOOL.writeFile)).sort(), ['content', 'path', 'sessionId']);
    assert.deepEqual(Object.keys(schemaOf(TOOL.readFile)).sort(), ['path', 'sessionId']);
    assert.deepEqual(Object.keys(schemaOf(TOOL.deleteSession)), ['sessionId']);
    for (const name of [TOOL.executeCommand, TOOL.writeFile, TOOL.readFile]) {
      assert.match(String(schemaOf(name).sessionId.description), /Leave empty to work in a new temporary session/, `${name} offers a temporary session`);
    }

    // What the tools returned to the model: real results from the local server.
    const results = toolResults(model.requests.at(-1)!);
    assert.deepEqual(
      results.map((result) => result.name),
      [TOOL.executeCommand, TOOL.createSession, TOOL.writeFile, TOOL.readFile, TOOL.executeCommand, TOOL.deleteSession],
    );
    const [temporaryRun, created, written, read, run, deleted] = results.map((result) => resultJson(result.content));
    assert.equal(temporaryRun.stdout, 'product=42', 'the command ran in a shell');
    assert.equal(temporaryRun.exitCode, 0);
    assert.match(String(temporaryRun.temporarySessionId), /^session-/, 'no session given: a temporary one');
    assert.equal(temporaryRun.session, undefined, 'a temporary session is not carried on');
    const sessionId = sessionOf(model.requests.at(-1)!);
    assert.notEqual(sessionId, temporaryRun.temporarySessionId);
    assert.deepEqual({ imageId: created.imageId, labels: created.labels }, { imageId: 'code_latest', labels: { flow: 'n8n-ai-agent' } }, 'the shipped Create Session settings');
    for (const result of [written, read, run]) {
      assert.equal((result.session as { sessionId?: unknown } | undefined)?.sessionId, sessionId, 'the session the model named');
      assert.equal(result.temporarySessionId, undefined);
    }
    assert.equal(written.bytesWritten, Buffer.byteLength(NOTE));
    assert.equal(read.content, NOTE);
    assert.equal(run.stdout, NOTE.toUpperCase(), 'the file is in the session the command ran in');
    assert.deepEqual({ deleted: deleted.deleted, sessionId: deleted.sessionId }, { deleted: true, sessionId });

    // n8n ran the tool nodes, and the agent answered with the model's text.
    assert.equal(execution.runData['AgentBay Execute Command']?.length, 2, 'n8n ran Execute Command twice');
    for (const node of ['AgentBay Create Session', 'AgentBay Write File', 'AgentBay Read File', 'AgentBay Delete Session']) {
      assert.equal(execution.runData[node]?.length, 1, `n8n ran ${node}`);
    }
    const answer = execution.runData['AI Agent'].at(-1)!.data!.main[0][0].json;
    assert.equal(answer.output, FINAL_ANSWER);
    assert.ok(!execution.output.includes(server.apiKey), 'the AgentBay key never reaches the output');
    assert.equal(server.sessionCount(), 0, 'no session left: the temporary one and the agent\'s own are deleted');
  });
});
