/**
 * Set Labels' own behaviour: the labels replace the session's whole set on the server, the session
 * on the message carries them, bad labels are refused with the SDK's message, and an unknown
 * session is the service's not-found error; in n8n and Node-RED, bad labels stop the node before any
 * request with the SDK's messages.
 */
import { strict as assert } from 'node:assert';
import { NodeOperationError, type IDataObject, type INodeParameters } from 'n8n-workflow';
import type { LocalServer } from '../../../../../local-server/server';
import type { SessionRef } from '../../../../../nodes/core/catalogue/session';
import type { AgentBayClient } from '../../../../../nodes/core/client/client';
import { InputValidationError } from '../../../../../nodes/core/client/errors';
import { failCore, runCore, SessionTracker } from '../../../../support/core-session';
import { clientFor, connectionFor, startTestServer } from '../../../../support/local-server';
import { executeN8nNode } from '../../../../support/n8n';
import { CONFIG_ID, helper, loadFlow, nextMessage, type Message, useNodeRedRuntime } from '../../../../support/node-red';

describe('Set Labels', function () {
  this.timeout(60000);
  let server: LocalServer;
  let client: AgentBayClient;
  let sessions: SessionTracker;
  let session: SessionRef;
  before(async () => {
    server = await startTestServer();
    client = clientFor(server);
    sessions = new SessionTracker(() => client);
    session = await sessions.create({ before: 'set-labels' });
  });
  after(async () => {
    await sessions?.deleteAll();
    client?.close();
    await server?.close();
  });

  const serverLabels = async (): Promise<Record<string, string>> => {
    const data = (await client.call('GetLabel', { SessionId: session.sessionId })).Data as { Labels: string };
    return JSON.parse(data.Labels) as Record<string, string>;
  };

  it('replaces the labels on the server, keeping the package\'s own, and puts them on the session', async () => {
    const before = await serverLabels();
    assert.equal(before.before, 'set-labels');
    const packageLabels = { 'agentbay-client-token': before['agentbay-client-token'], 'agentbay-created-at': before['agentbay-created-at'] };
    assert.match(packageLabels['agentbay-created-at'], /^\d{4}-\d\d-\d\dT/, 'Create Session stamped the creation time');
    const labels = { project: 'demo', stage: 'test' };
    const { output } = await runCore(client, 'setLabels', { labels }, session);
    const expected = { ...labels, ...packageLabels };
    assert.deepEqual(output.json.labels, expected);
    assert.match(String(output.json.requestId), /.+/);
    assert.deepEqual((output.session as SessionRef).labels, expected);
    assert.deepEqual(await serverLabels(), expected, 'the old user label is gone, the package\'s are kept');
  });

  it('keeps the creation time, so Delete Idle Sessions still sees the session\'s age; labels that name it win', async () => {
    const aged = await sessions.create({ suite: 'set-labels-age' });
    await runCore(client, 'setLabels', { labels: { suite: 'set-labels-age', stage: 'relabelled' } }, aged);
    const idle = async () =>
      (await runCore(client, 'deleteIdleSessions', { labels: { stage: 'relabelled' }, olderThanMinutes: 60, dryRun: true, maxDeletions: 10 })).output.json as {
        skipped: Array<{ sessionId: string; reason: string }>;
        wouldDelete?: Array<{ sessionId: string }>;
      };
    assert.deepEqual((await idle()).skipped, [{ sessionId: aged.sessionId, reason: 'younger than 60 min (0 min old)' }], 'the age is still known');
    await runCore(client, 'setLabels', { labels: { stage: 'relabelled', 'agentbay-created-at': '2000-01-01T00:00:00.000Z' } }, aged);
    assert.deepEqual((await idle()).wouldDelete?.map((entry) => entry.sessionId), [aged.sessionId], 'the given creation time replaced the kept one');
  });

  it('empty labels are refused with the SDK\'s message, and the server keeps its labels', async () => {
    const before = await serverLabels();
    const error = await failCore(client, 'setLabels', { labels: {} }, session);
    assert.ok(error instanceof InputValidationError);
    assert.equal(error.field, 'labels');
    assert.match(error.message, /Labels cannot be empty\. Please provide at least one label\./);
    assert.deepEqual(await serverLabels(), before);
  });

  it('an unknown session fails with the service\'s message', async () => {
    const error = await failCore(client, 'setLabels', { labels: { a: 'b' } }, 'session-nonexistent');
    assert.equal(error.message, 'Failed to set labels for session session-nonexistent: Session session-nonexistent not found');
  });
  describe('n8n', () => {
    const run = (operationId: string, json: IDataObject, parameters: INodeParameters) =>
      executeN8nNode(operationId, { items: [{ json }], parameters, credentials: connectionFor(server) });

    it('Set Labels refuses {} with the SDK message as a NodeOperationError, sending nothing', async () => {
      const session = await sessions.create({ keep: 'yes' });
      await assert.rejects(run('setLabels', { session: { ...session } }, { labels: '{}' }), (error: unknown) => {
        assert.ok(error instanceof NodeOperationError, 'NodeOperationError');
        assert.equal(error.message, 'Labels (labels): Labels cannot be empty. Please provide at least one label.');
        assert.equal(error.context.itemIndex, 0);
        return true;
      });
      const labels = (await run('getLabels', { session: { ...session } }, {})).output[0][0].json.labels;
      // Create Session also stamps agentbay-client-token and agentbay-created-at; the user's labels are unchanged.
      const userLabels = Object.fromEntries(Object.entries(labels as Record<string, string>).filter(([key]) => !key.startsWith('agentbay-')));
      assert.deepEqual(userLabels, { keep: 'yes' }, 'no SetLabel reached the server');
    });
  });
});

describe('Set Labels in Node-RED', function () {
  this.timeout(60000);
  let server: LocalServer;
  let client: AgentBayClient;
  let sessions: SessionTracker;
  let sessionId: string;
  const log: string[] = [];
  /** Actions the server received since `log.length = 0`. */
  const actions = (): string[] =>
    log.filter((line) => /^(GET|POST) /.test(line)).map((line) => line.split(' ')[1] ?? '');

  before(async () => {
    server = await startTestServer({ log: (line) => log.push(line) });
    client = clientFor(server);
    sessions = new SessionTracker(() => client);
  });
  after(async () => {
    await sessions?.deleteAll();
    client?.close();
    await server?.close();
  });
  useNodeRedRuntime();

  /** Every message a helper node receives, from now on. */
  function collect(nodeId: string): Message[] {
    const messages: Message[] = [];
    helper.getNode(nodeId).on('input', ((msg: Message) => messages.push(msg)) as never);
    return messages;
  }

  describe('bad input reaches a Catch node before any request', () => {
    beforeEach(async () => {
      // Created directly, so the session carries exactly these labels.
      const created = await client.call('CreateMcpSession', { ImageId: 'linux_latest', Labels: JSON.stringify({ keep: 'yes' }) });
      sessionId = (created.Data as { SessionId: string }).SessionId;
      sessions.track(sessionId);
    });
    afterEach(async () => {
      await sessions.deleteAll();
    });

    async function expectCaught(nodeId: string, msg: Record<string, unknown>): Promise<Message> {
      const caught = nextMessage('caught');
      helper.getNode(nodeId).receive({ agentbay: { session: { sessionId } }, ...msg });
      const got = await caught;
      assert.equal(got.error?.source?.id, nodeId);
      assert.equal(got.agentbay?.session?.sessionId, sessionId, 'the session stays on the message');
      return got;
    }

  it('Set Labels: the SDK messages, with the field named, and no SetLabel sent', async () => {
    await loadFlow(server, [
      { id: 'empty', type: 'agentbay-set-labels', server: CONFIG_ID, labels: '{}', labelsType: 'json', wires: [['out']] },
      { id: 'fromMsg', type: 'agentbay-set-labels', server: CONFIG_ID, labels: 'labels', labelsType: 'msg', wires: [['out']] },
      { id: 'out', type: 'helper' },
      { id: 'catcher', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
      { id: 'caught', type: 'helper' },
    ]);
    const out = collect('out');
    log.length = 0;
    const cases: Array<[string, Record<string, unknown>, string]> = [
      ['empty', {}, 'Labels cannot be empty. Please provide at least one label.'],
      ['fromMsg', { labels: { '': 'x' } }, 'Label keys cannot be empty Please provide valid keys.'],
      ['fromMsg', { labels: { '  ': 'x' } }, 'Label keys cannot be empty Please provide valid keys.'],
      ['fromMsg', { labels: { k: '' } }, 'Label values cannot be empty Please provide valid values.'],
      ['fromMsg', { labels: { k: '  ' } }, 'Label values cannot be empty Please provide valid values.'],
      ['fromMsg', { labels: { k: null } }, 'Label values cannot be empty Please provide valid values.'],
      ['fromMsg', { labels: ['a'] }, 'Labels cannot be an array. Please provide a valid labels object.'],
      ['fromMsg', { labels: new Date() }, 'Labels must be a plain object. Built-in object types are not allowed.'],
      ['fromMsg', { labels: 5 }, 'Labels cannot be null, undefined, or invalid type. Please provide a valid labels object.'],
      ['fromMsg', { labels: { n: 1 } }, 'Label values must be strings: the value of "n" is a number.'],
    ];
    for (const [nodeId, msg, message] of cases) {
      const caught = await expectCaught(nodeId, msg);
      assert.equal(caught.error?.message, `Labels (labels): ${message}`);
    }
    assert.equal(out.length, 0);
    assert.deepEqual(actions(), [], 'no request reached the server');
    const client = clientFor(server);
    const labels = await client.call('GetLabel', { SessionId: sessionId });
    client.close();
    assert.equal((labels.Data as { Labels: string }).Labels, '{"keep":"yes"}', 'the labels are unchanged');
    assert.deepEqual(actions(), ['GetLabel'], 'the server log does record requests');
  });
  });
});
