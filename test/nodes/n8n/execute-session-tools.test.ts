/**
 * The session-management and tool nodes through their real n8n `execute` (real n8n-workflow)
 * against the local server: items fed node to node so the default Session ID expression is
 * what finds the session, pairedItem on every item, Continue On Fail, NodeApiError with the
 * item index, and every node on a deleted session.
 */
import { strict as assert } from 'node:assert';
import { NodeApiError, NodeOperationError, type IDataObject, type INodeExecutionData, type INodeParameters } from 'n8n-workflow';
import type { LocalServer } from '../../../local-server/server';
import { clientFor, connectionFor, startTestServer } from '../../support/local-server';
import { executeN8nNode } from '../../support/n8n';

const fast: INodeParameters = { options: { pollIntervalS: 0.05 } };

function assertPaired(items: INodeExecutionData[], count: number): void {
  assert.equal(items.length, count);
  items.forEach((item, index) => assert.deepEqual(item.pairedItem, { item: index }, `pairedItem of item ${index}`));
}

const sessionOf = (item: INodeExecutionData): IDataObject => item.json.session as IDataObject;

describe('n8n: session-management and tool nodes against the local server', () => {
  let server: LocalServer;
  const created: string[] = [];

  before(async () => {
    server = await startTestServer();
  });
  after(async () => {
    // Anything a failed test left behind; the passing tests delete their own sessions.
    const client = clientFor(server);
    for (const sessionId of created) {
      await client.call('DeleteSessionAsync', { SessionId: sessionId }).catch(() => undefined);
    }
    client.close();
    await server.close();
  });

  const run = (operationId: string, items: INodeExecutionData[], parameters: INodeParameters = {}, continueOnFail = false) =>
    executeN8nNode(operationId, { items, parameters, credentials: connectionFor(server), continueOnFail });

  async function createSessions(count: number, labels = '{"suite":"n8n-session-ops"}'): Promise<INodeExecutionData[]> {
    const items = Array.from({ length: count }, (_, index) => ({ json: { n: index } }));
    const output = (await run('createSession', items, { labels })).output[0];
    for (const item of output) created.push(String(item.json.sessionId));
    return output;
  }

  async function deleteSessions(items: INodeExecutionData[]): Promise<void> {
    const deleted = (await run('deleteSession', items)).output[0];
    assert.deepEqual(deleted.map((item) => item.json.deleted), items.map(() => true));
  }

  it('Set Labels → Get Labels through items: the new labels ride on json.session', async () => {
    const sessions = await createSessions(2);
    const set = (await run('setLabels', sessions, { labels: '{"team":"qa","run":"n8n"}' })).output[0];
    assertPaired(set, 2);
    // Beside the given labels, the package's own from Create Session are kept (exact values: set-labels.test.ts).
    const expected = set.map((item) => {
      const result = item.json.labels as Record<string, string>;
      assert.match(result['agentbay-created-at'], /^\d{4}-\d\d-\d\dT/);
      return { team: 'qa', run: 'n8n', 'agentbay-created-at': result['agentbay-created-at'], 'agentbay-client-token': result['agentbay-client-token'] };
    });
    assert.notEqual(expected[0]['agentbay-client-token'], expected[1]['agentbay-client-token'], 'each session keeps its own token');
    set.forEach((item, index) => {
      assert.deepEqual(item.json.labels, expected[index]);
      assert.match(String(item.json.requestId), /^[0-9A-F-]{36}$/);
      assert.deepEqual(item.json.session, { ...sessionOf(sessions[index]), labels: expected[index] });
    });
    const got = (await run('getLabels', set)).output[0];
    assertPaired(got, 2);
    assert.deepEqual(got.map((item) => item.json.labels), expected);
    assert.deepEqual(got.map((item) => sessionOf(item).sessionId), sessions.map((item) => item.json.sessionId));
    assert.deepEqual(sessionOf(got[0]).labels, expected[0], 'Get Labels passes the session on');
    await deleteSessions(got);
  });

  it('Pause → Get Status → Resume through items, with progress in the n8n log', async () => {
    const sessions = await createSessions(2);
    const paused = await run('pauseSession', sessions, fast);
    assertPaired(paused.output[0], 2);
    paused.output[0].forEach((item, index) => {
      assert.deepEqual(
        { sessionId: item.json.sessionId, status: item.json.status },
        { sessionId: sessions[index].json.sessionId, status: 'PAUSED' },
      );
      assert.deepEqual(item.json.session, sessions[index].json.session, 'the session is passed on unchanged');
    });
    assert.ok(paused.logs.includes('AgentBay Pause Session [item 0]: pausing'), paused.logs.join('\n'));
    assert.ok(paused.logs.includes('AgentBay Pause Session [item 1]: pausing'), paused.logs.join('\n'));

    const status = (await run('getStatus', paused.output[0])).output[0];
    assertPaired(status, 2);
    assert.deepEqual(status.map((item) => item.json.status), ['PAUSED', 'PAUSED']);

    // Tools refuse a paused session; the tool's refusal comes back as an API error.
    await assert.rejects(run('getMetrics', [status[0]]), /is PAUSED; tools run only in a RUNNING session/);

    const resumed = (await run('resumeSession', status, fast)).output[0];
    assertPaired(resumed, 2);
    assert.deepEqual(resumed.map((item) => item.json.status), ['RUNNING', 'RUNNING']);

    // Resuming a running session is an API error: the client's "[Code] Message".
    await assert.rejects(run('resumeSession', [resumed[0]], fast), (error: unknown) => {
      assert.ok(error instanceof NodeApiError);
      assert.match(error.message, /^\[InvalidSessionStatus\] Session session-\S+ is RUNNING; ResumeSessionAsync needs a PAUSED session\.$/);
      return true;
    });

    const noWait = (await run('pauseSession', [resumed[0]], { options: { wait: false } })).output[0];
    assert.equal(noWait[0].json.status, 'PAUSING');
    await deleteSessions(resumed);
  });

  it('Get Metrics and Call MCP Tool through items', async () => {
    const sessions = await createSessions(2);
    const metrics = (await run('getMetrics', sessions)).output[0];
    assertPaired(metrics, 2);
    metrics.forEach((item, index) => {
      assert.ok((item.json.cpuCount as number) > 0);
      assert.ok((item.json.memTotal as number) > 0);
      assert.equal(typeof item.json.rxRateKbytePerS, 'number');
      assert.equal(sessionOf(item).sessionId, sessions[index].json.sessionId, 'the session is passed on');
    });

    const called = (
      await run('callMcpTool', metrics, { toolName: 'shell', arguments: '{"command":"echo $((6*7))","timeout_ms":5000}' })
    ).output[0];
    assertPaired(called, 2);
    for (const item of called) {
      assert.equal(item.json.toolName, 'shell');
      assert.equal(item.json.isError, false);
      assert.deepEqual(item.json.parsed, { stdout: '42\n', stderr: '', exit_code: 0 });
    }

    // Tool errors: by default the node fails with the tool's text; with the option off they are returned.
    const failing = { toolName: 'shell', arguments: '{"command":"sleep 5","timeout_ms":100}' };
    await assert.rejects(run('callMcpTool', [called[0]], failing), (error: unknown) => {
      assert.ok(error instanceof NodeApiError);
      assert.equal(error.context.itemIndex, 0);
      return true;
    });
    const returned = (await run('callMcpTool', [called[0]], { ...failing, failOnToolError: false })).output[0][0];
    assert.equal(returned.json.isError, true);
    assert.ok(String(returned.json.errorMessage).length > 0);

    await assert.rejects(run('callMcpTool', [called[0]], { toolName: 'shell', arguments: 'not json' }), (error: unknown) => {
      assert.ok(error instanceof NodeOperationError);
      assert.match(error.message, /^Arguments \(arguments\) is not valid JSON/);
      return true;
    });
    await deleteSessions(called);
  });

  it('Get Status, Get Resource Info, Get Link and List MCP Tools through items', async () => {
    const [session] = await createSessions(1);
    const sessionId = String(session.json.sessionId);
    const status = (await run('getStatus', [session])).output[0][0];
    assert.deepEqual({ sessionId: status.json.sessionId, status: status.json.status }, { sessionId, status: 'RUNNING' });
    const info = (await run('getResourceInfo', [status])).output[0][0];
    assert.equal(info.json.sessionId, sessionId);
    assert.equal(info.json.resourceUrl, session.json.resourceUrl);
    const link = (await run('getLink', [info], { protocolType: 'wss', port: 30199 })).output[0][0];
    assert.equal(link.json.url, `${server.url.replace(/^http/, 'ws')}/sessions/${sessionId}/ports/30199`);
    const plain = (await run('getLink', [info])).output[0][0];
    assert.equal(plain.json.url, `${server.url}/sessions/${sessionId}`, 'no port by default');
    await assert.rejects(run('getLink', [info], { port: 30200 }), (error: unknown) => {
      assert.ok(error instanceof NodeOperationError);
      assert.equal(error.message, 'Port (port): Invalid port value: 30200. Port must be an integer in the range [30100, 30199].');
      return true;
    });
    const tools = (await run('listMcpTools', [link])).output[0][0];
    assert.equal(tools.json.count, (tools.json.tools as unknown[]).length);
    assert.ok((tools.json.tools as Array<{ name: string }>).some((tool) => tool.name === 'get_metrics'));
    await deleteSessions([tools]);
  });

  describe('a deleted session', () => {
    let live: INodeExecutionData;
    let gone: INodeExecutionData;
    let goneId: string;
    before(async () => {
      [live, gone] = await createSessions(2);
      goneId = String(gone.json.sessionId);
      await deleteSessions([gone]);
    });
    after(async () => {
      await deleteSessions([live]);
    });

    it('without Continue On Fail, a NodeApiError carries the item index', async () => {
      await assert.rejects(run('getLabels', [live, gone]), (error: unknown) => {
        assert.ok(error instanceof NodeApiError, 'NodeApiError');
        assert.equal(error.message, `Failed to get labels for session ${goneId}: Session ${goneId} not found`);
        assert.equal(error.context.itemIndex, 1);
        assert.equal(error.httpCode, '400');
        return true;
      });
    });

    it('getStatus reads FINISH: the service keeps a deleted session queryable for a while', async () => {
      const output = (await run('getStatus', [gone])).output[0];
      assert.equal(output[0].json.status, 'FINISH');
    });

    const cases: Array<[string, INodeParameters, (id: string) => string]> = [
      ['getResourceInfo', {}, (id) => `Session ${id} not found`],
      ['getLabels', {}, (id) => `Failed to get labels for session ${id}: Session ${id} not found`],
      ['setLabels', { labels: '{"a":"b"}' }, (id) => `Failed to set labels for session ${id}: Session ${id} not found`],
      ['getLink', { port: 30150 }, () => `Failed to get link: Session ${goneId} not found`],
      ['getMetrics', {}, (id) => `Failed to get metrics: Session ${id} not found`],
      ['pauseSession', fast, (id) => `Failed to pause session ${id}: Session ${id} not found`],
      ['resumeSession', fast, (id) => `Failed to resume session ${id}: Session ${id} not found`],
      ['callMcpTool', { toolName: 'shell', arguments: '{"command":"true"}' }, (id) => `Failed to call tool shell: Session ${id} not found`],
    ];
    for (const [operationId, parameters, message] of cases) {
      it(`${operationId} fails with the not-found error`, async () => {
        await assert.rejects(run(operationId, [gone], parameters), (error: unknown) => {
          assert.ok(error instanceof NodeApiError, `${operationId}: NodeApiError`);
          assert.equal(error.message, message(goneId));
          assert.equal(error.context.itemIndex, 0);
          assert.match(String(error.description), /Code: InvalidMcpSession\.NotFound/);
          return true;
        });
      });
    }
  });
});
