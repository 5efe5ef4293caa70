/**
 * The session-management and tool nodes in the real Node-RED runtime against the local server:
 * one chain from Create Session to Delete Session through every new node, bad input stopped
 * before any request with the SDK's messages, and every node on a deleted session.
 */
import { strict as assert } from 'node:assert';
import type { LocalServer } from '../../../local-server/server';
import { clientFor, startTestServer } from '../../support/local-server';
import { CONFIG_ID, helper, loadFlow, nextMessage, type Message, useNodeRedRuntime } from '../../support/node-red';
import { waitFor } from '../../support/wait';

type Payload = Record<string, unknown>;

const payloadOf = (msg: Message): Payload => msg.payload as Payload;

/** Every message a helper node receives, from now on. */
function collect(nodeId: string): Message[] {
  const messages: Message[] = [];
  helper.getNode(nodeId).on('input', ((msg: Message) => messages.push(msg)) as never);
  return messages;
}


describe('Node-RED: session-management and tool nodes against the local server', function () {
  let server: LocalServer;
  const log: string[] = [];
  /** Actions the server received since `log.length = 0`. */
  const actions = (): string[] =>
    log.filter((line) => /^(GET|POST) /.test(line)).map((line) => line.split(' ')[1] ?? '');

  before(async () => {
    server = await startTestServer({ log: (line) => log.push(line) });
  });
  after(async () => {
    await server.close();
  });
  useNodeRedRuntime();

  async function createSession(labels: Record<string, string> = {}): Promise<string> {
    const client = clientFor(server);
    const created = await client.call('CreateMcpSession', { ImageId: 'linux_latest', Labels: JSON.stringify(labels) });
    client.close();
    return (created.Data as { SessionId: string }).SessionId;
  }

  async function deleteSession(sessionId: string): Promise<void> {
    const client = clientFor(server);
    try {
      await client.call('DeleteSessionAsync', { SessionId: sessionId });
    } catch {
      // already gone
    }
    await waitFor(
      async () => {
        try {
          // The SDK's end of a delete: not found, or FINISH while the service still keeps the session.
          const detail = await client.call('GetSessionDetail', { SessionId: sessionId });
          return (detail.Data as { Status?: string } | undefined)?.Status === 'FINISH';
        } catch {
          return true;
        }
      },
      30000,
      `session ${sessionId} to be deleted`,
    );
    client.close();
  }

  const fast = { pollIntervalS: '0.05', pollIntervalSType: 'num' };
  const chain = [
    { id: 'create', type: 'agentbay-create-session', server: CONFIG_ID, wires: [['setLabels', 'afterCreate']] },
    { id: 'setLabels', type: 'agentbay-set-labels', server: CONFIG_ID, labels: '{"team":"qa","stage":"chain"}', labelsType: 'json', wires: [['getLabels', 'afterSetLabels']] },
    { id: 'getLabels', type: 'agentbay-get-labels', server: CONFIG_ID, wires: [['getStatus', 'afterGetLabels']] },
    { id: 'getStatus', type: 'agentbay-get-status', server: CONFIG_ID, wires: [['resourceInfo', 'afterGetStatus']] },
    { id: 'resourceInfo', type: 'agentbay-get-resource-info', server: CONFIG_ID, wires: [['getLink', 'afterResourceInfo']] },
    { id: 'getLink', type: 'agentbay-get-link', server: CONFIG_ID, protocolType: 'https', protocolTypeType: 'str', port: '30150', portType: 'num', wires: [['metrics', 'afterGetLink']] },
    { id: 'metrics', type: 'agentbay-get-metrics', server: CONFIG_ID, wires: [['listTools', 'afterMetrics']] },
    { id: 'listTools', type: 'agentbay-list-mcp-tools', server: CONFIG_ID, wires: [['callTool', 'afterListTools']] },
    { id: 'callTool', type: 'agentbay-call-mcp-tool', server: CONFIG_ID, toolName: 'shell', toolNameType: 'str', arguments: '{"command":"echo hi","timeout_ms":5000}', argumentsType: 'json', wires: [['pause', 'afterCallTool']] },
    { id: 'pause', type: 'agentbay-pause-session', server: CONFIG_ID, ...fast, wires: [['statusPaused', 'afterPause']] },
    { id: 'statusPaused', type: 'agentbay-get-status', server: CONFIG_ID, wires: [['resume', 'afterStatusPaused']] },
    { id: 'resume', type: 'agentbay-resume-session', server: CONFIG_ID, ...fast, wires: [['delete', 'afterResume']] },
    { id: 'delete', type: 'agentbay-delete-session', server: CONFIG_ID, wires: [['afterDelete']] },
    ...[
      'afterCreate', 'afterSetLabels', 'afterGetLabels', 'afterGetStatus', 'afterResourceInfo', 'afterGetLink', 'afterMetrics',
      'afterListTools', 'afterCallTool', 'afterPause', 'afterStatusPaused', 'afterResume', 'afterDelete',
    ].map((id) => ({ id, type: 'helper' })),
    { id: 'catcher', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
    { id: 'caught', type: 'helper' },
  ];

  it('runs create → labels → status → resource info → link → metrics → tools → pause → resume → delete', async () => {
    await loadFlow(server, chain);
    const errors = collect('caught');
    const pauseStatuses: Array<{ text?: string }> = [];
    helper.getNode('pause').on('call:status', ((call: { args: Array<{ text?: string }> }) => pauseStatuses.push(call.args[0])) as never);
    const ids = [
      'afterCreate', 'afterSetLabels', 'afterGetLabels', 'afterGetStatus', 'afterResourceInfo', 'afterGetLink', 'afterMetrics',
      'afterListTools', 'afterCallTool', 'afterPause', 'afterStatusPaused', 'afterResume', 'afterDelete',
    ];
    const pending = ids.map((id) => nextMessage(id));
    helper.getNode('create').receive({ payload: 'go' });
    const settled = await Promise.race([
      Promise.all(pending),
      waitFor(() => errors.length > 0, 60000, 'an error').then(() => {
        throw new Error(`the chain failed: ${errors[0].error?.source?.id}: ${errors[0].error?.message}`);
      }),
    ]);
    const [created, setLabels, getLabels, status, resourceInfo, link, metrics, tools, called, paused, statusPaused, resumed, deleted] =
      settled as Message[];
    const session = created.agentbay?.session as Payload;
    const sessionId = session.sessionId as string;
    assert.match(sessionId, /^session-/);

    // Set Labels: result and the session on the message both carry the new labels.
    // Beside the given labels, the package's own from Create Session are kept (exact values: set-labels.test.ts).
    const result = payloadOf(setLabels).labels as Record<string, string>;
    assert.match(result['agentbay-created-at'], /^\d{4}-\d\d-\d\dT/);
    assert.match(result['agentbay-client-token'], /^[0-9a-f-]{36}$/);
    const labels = { team: 'qa', stage: 'chain', 'agentbay-created-at': result['agentbay-created-at'], 'agentbay-client-token': result['agentbay-client-token'] };
    assert.deepEqual(Object.keys(payloadOf(setLabels)).sort(), ['labels', 'requestId']);
    assert.deepEqual(payloadOf(setLabels).labels, labels);
    assert.match(String(payloadOf(setLabels).requestId), /^[0-9A-F-]{36}$/);
    assert.deepEqual(setLabels.agentbay?.session, { ...session, labels });
    assert.deepEqual(getLabels.agentbay?.session?.labels, labels, 'later nodes keep the updated session');

    assert.deepEqual(Object.keys(payloadOf(getLabels)).sort(), ['labels', 'requestId']);
    assert.deepEqual(payloadOf(getLabels).labels, labels);

    assert.deepEqual({ ...payloadOf(status), requestId: undefined }, { sessionId, status: 'RUNNING', requestId: undefined });

    const info = payloadOf(resourceInfo);
    assert.deepEqual(Object.keys(info).sort(), [
      'appId', 'authCode', 'connectionProperties', 'requestId', 'resourceId', 'resourceType', 'resourceUrl', 'sessionId', 'ticket',
    ]);
    assert.equal(info.sessionId, sessionId);
    assert.equal(info.resourceUrl, session.resourceUrl);
    assert.equal(info.appId, session.appInstanceId);
    assert.equal(info.resourceId, session.resourceId);
    assert.equal(info.resourceType, 'local');

    assert.equal(payloadOf(link).url, `${server.url}/sessions/${sessionId}/ports/30150`);
    assert.deepEqual(Object.keys(payloadOf(link)).sort(), ['requestId', 'url']);

    const figures = payloadOf(metrics);
    assert.deepEqual(Object.keys(figures).sort(), [
      'cpuCount', 'cpuUsedPct', 'diskTotal', 'diskUsed', 'memTotal', 'memUsed', 'requestId', 'rxRateKbytePerS', 'rxUsedKbyte',
      'timestamp', 'txRateKbytePerS', 'txUsedKbyte',
    ]);
    assert.ok(Number.isInteger(figures.cpuCount) && (figures.cpuCount as number) > 0, `cpuCount ${String(figures.cpuCount)}`);
    assert.ok((figures.memTotal as number) >= (figures.memUsed as number) && (figures.memUsed as number) > 0);
    assert.ok((figures.diskTotal as number) > 0);
    assert.ok(!Number.isNaN(Date.parse(figures.timestamp as string)), `timestamp ${String(figures.timestamp)}`);

    const listed = payloadOf(tools) as { tools: Array<Record<string, unknown>>; count: number; imageId: string };
    assert.equal(listed.count, listed.tools.length);
    assert.equal(listed.imageId, 'linux_latest');
    const shell = listed.tools.find((tool) => tool.name === 'shell');
    assert.ok(shell, 'shell is listed');
    assert.equal(shell.server, 'wuying_shell');
    assert.deepEqual((shell.inputSchema as { required: string[] }).required, ['command']);
    assert.deepEqual(Object.keys(shell).sort(), ['description', 'inputSchema', 'name', 'server', 'tool']);

    const call = payloadOf(called);
    assert.equal(call.toolName, 'shell');
    assert.equal(call.isError, false);
    assert.equal(call.errorMessage, '');
    assert.deepEqual(JSON.parse(call.text as string), call.parsed);
    assert.deepEqual(call.parsed, { stdout: 'hi\n', stderr: '', exit_code: 0 });

    assert.deepEqual({ ...payloadOf(paused), requestId: undefined }, { sessionId, status: 'PAUSED', requestId: undefined });
    assert.ok(pauseStatuses.some((entry) => entry.text === 'pausing'), JSON.stringify(pauseStatuses));
    assert.equal(paused.agentbay?.session?.sessionId, sessionId, 'pause keeps the session on the message');
    assert.equal(payloadOf(statusPaused).status, 'PAUSED');
    assert.deepEqual({ ...payloadOf(resumed), requestId: undefined }, { sessionId, status: 'RUNNING', requestId: undefined });
    assert.equal(payloadOf(deleted).deleted, true);
    assert.equal(errors.length, 0);
    assert.equal(server.sessionCount(), 0, 'the session is gone from the server');
  });

  describe('bad input reaches a Catch node before any request', () => {
    let sessionId: string;
    beforeEach(async () => {
      sessionId = await createSession({ keep: 'yes' });
    });
    afterEach(async () => {
      await deleteSession(sessionId);
    });

    async function expectCaught(nodeId: string, msg: Record<string, unknown>): Promise<Message> {
      const caught = nextMessage('caught');
      helper.getNode(nodeId).receive({ agentbay: { session: { sessionId } }, ...msg });
      const got = await caught;
      assert.equal(got.error?.source?.id, nodeId);
      assert.equal(got.agentbay?.session?.sessionId, sessionId, 'the session stays on the message');
      return got;
    }

    it('Get Link: port 80 gives the SDK message and no GetLink is sent', async () => {
      await loadFlow(server, [
        { id: 'link', type: 'agentbay-get-link', server: CONFIG_ID, port: '80', portType: 'num', wires: [['out']] },
        { id: 'out', type: 'helper' },
        { id: 'catcher', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
        { id: 'caught', type: 'helper' },
      ]);
      log.length = 0;
      const caught = await expectCaught('link', {});
      assert.equal(caught.error?.message, 'Port (port): Invalid port value: 80. Port must be an integer in the range [30100, 30199].');
      assert.deepEqual(actions(), []);
    });

    it('Call MCP Tool: arguments that are not JSON fail naming the field, and no CallMcpTool is sent', async () => {
      await loadFlow(server, [
        { id: 'literal', type: 'agentbay-call-mcp-tool', server: CONFIG_ID, toolName: 'shell', toolNameType: 'str', arguments: 'not json', argumentsType: 'json', wires: [['out']] },
        { id: 'fromMsg', type: 'agentbay-call-mcp-tool', server: CONFIG_ID, toolName: 'shell', toolNameType: 'str', arguments: 'args', argumentsType: 'msg', wires: [['out']] },
        { id: 'noName', type: 'agentbay-call-mcp-tool', server: CONFIG_ID, wires: [['out']] },
        { id: 'out', type: 'helper' },
        { id: 'catcher', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
        { id: 'caught', type: 'helper' },
      ]);
      log.length = 0;
      assert.match((await expectCaught('literal', {})).error?.message ?? '', /^Arguments \(arguments\): .*JSON/);
      assert.equal(
        (await expectCaught('fromMsg', { args: 'not json' })).error?.message,
        'Arguments (arguments) is not valid JSON: expected a JSON object of the tool’s arguments, e.g. {"command":"echo hi"}',
      );
      assert.match((await expectCaught('fromMsg', { args: [1, 2] })).error?.message ?? '', /^Arguments \(arguments\) must be an object/);
      assert.match((await expectCaught('noName', {})).error?.message ?? '', /^Tool Name \(toolName\) is required/);
      assert.deepEqual(actions(), []);
    });

    it('Call MCP Tool: a tool error fails the node with the tool\'s text, or is returned when Fail on Tool Error is off', async () => {
      await loadFlow(server, [
        { id: 'strict', type: 'agentbay-call-mcp-tool', server: CONFIG_ID, toolName: 'read_file', toolNameType: 'str', arguments: '{"path":"/home/wuying/missing.txt"}', argumentsType: 'json', wires: [['out']] },
        { id: 'lenient', type: 'agentbay-call-mcp-tool', server: CONFIG_ID, toolName: 'read_file', toolNameType: 'str', arguments: '{"path":"/home/wuying/missing.txt"}', argumentsType: 'json', failOnToolError: 'false', failOnToolErrorType: 'bool', wires: [['out']] },
        { id: 'out', type: 'helper' },
        { id: 'catcher', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
        { id: 'caught', type: 'helper' },
      ]);
      const caught = await expectCaught('strict', {});
      assert.match(caught.error?.message ?? '', /missing\.txt/);
      const out = nextMessage('out');
      helper.getNode('lenient').receive({ agentbay: { session: { sessionId } } });
      const result = payloadOf(await out);
      assert.equal(result.isError, true);
      assert.equal(result.errorMessage, caught.error?.message);
      assert.equal(result.toolName, 'read_file');
    });
  });

  it('every node on a deleted session fails with "Session <id> not found"; Get Status reads FINISH, List MCP Tools (image-scoped) still answers', async () => {
    const sessionId = await createSession();
    await deleteSession(sessionId);
    const nodes: Array<Record<string, unknown>> = [
      { id: 'resourceInfo', type: 'agentbay-get-resource-info' },
      { id: 'getLabels', type: 'agentbay-get-labels' },
      { id: 'setLabels', type: 'agentbay-set-labels', labels: '{"a":"b"}', labelsType: 'json' },
      { id: 'getLink', type: 'agentbay-get-link' },
      { id: 'metrics', type: 'agentbay-get-metrics' },
      { id: 'pause', type: 'agentbay-pause-session' },
      { id: 'resume', type: 'agentbay-resume-session' },
      { id: 'callTool', type: 'agentbay-call-mcp-tool', toolName: 'shell', toolNameType: 'str', arguments: '{"command":"true"}', argumentsType: 'json' },
    ];
    const expected: Record<string, string> = {
      resourceInfo: `Session ${sessionId} not found`,
      getLabels: `Failed to get labels for session ${sessionId}: Session ${sessionId} not found`,
      setLabels: `Failed to set labels for session ${sessionId}: Session ${sessionId} not found`,
      getLink: `Failed to get link: Session ${sessionId} not found`,
      metrics: `Failed to get metrics: Session ${sessionId} not found`,
      pause: `Failed to pause session ${sessionId}: Session ${sessionId} not found`,
      resume: `Failed to resume session ${sessionId}: Session ${sessionId} not found`,
      callTool: `Failed to call tool shell: Session ${sessionId} not found`,
    };
    await loadFlow(server, [
      ...nodes.map((node) => ({ ...node, server: CONFIG_ID, wires: [['out']] })),
      { id: 'listTools', type: 'agentbay-list-mcp-tools', server: CONFIG_ID, wires: [['out']] },
      // A deleted session stays queryable for a while, as on the service: its status is FINISH.
      { id: 'getStatus', type: 'agentbay-get-status', server: CONFIG_ID, wires: [['statusOut']] },
      { id: 'statusOut', type: 'helper' },
      { id: 'out', type: 'helper' },
      { id: 'catcher', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
      { id: 'caught', type: 'helper' },
    ]);
    const caught = collect('caught');
    const out = collect('out');
    const statusOut = collect('statusOut');
    helper.getNode('getStatus').receive({ agentbay: { session: { sessionId } } });
    for (const node of nodes) helper.getNode(node.id as string).receive({ agentbay: { session: { sessionId } } });
    helper.getNode('listTools').receive({ agentbay: { session: { sessionId } } });
    await waitFor(() => caught.length === nodes.length && out.length === 1 && statusOut.length === 1, 30000, 'every node to answer');
    assert.equal(payloadOf(statusOut[0]).status, 'FINISH');
    const messages = Object.fromEntries(caught.map((msg) => [msg.error?.source?.id, msg.error?.message]));
    assert.deepEqual(messages, expected);
    assert.ok((payloadOf(out[0]).count as number) > 0, 'List MCP Tools answered for the image');
  });
});
