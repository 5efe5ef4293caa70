/**
 * The session nodes in the real Node-RED runtime against the local server over HTTP:
 * create → get → info → list → delete wired node to node, errors reaching a Catch node,
 * bad input rejected before any request, and the API key kept out of everything users see.
 */
import { strict as assert } from 'node:assert';
import type { LocalServer } from '../../../local-server/server';
import { clientFor, startTestServer } from '../../support/local-server';
import { CONFIG_ID, helper, loadFlow, nextMessage, type Message, useNodeRedRuntime } from '../../support/node-red';

describe('Node-RED: session nodes against the local server', function () {
  let server: LocalServer;

  before(async () => {
    server = await startTestServer();
  });
  after(async () => {
    await server.close();
  });
  useNodeRedRuntime();

  const chain = [
    { id: 'create', type: 'agentbay-create-session', server: CONFIG_ID, labels: '{"suite":"chain"}', labelsType: 'json', wires: [['get', 'afterCreate']] },
    { id: 'get', type: 'agentbay-get-session', server: CONFIG_ID, wires: [['info', 'afterGet']] },
    { id: 'info', type: 'agentbay-get-session-info', server: CONFIG_ID, wires: [['list', 'afterInfo']] },
    { id: 'list', type: 'agentbay-list-sessions', server: CONFIG_ID, labels: '{"suite":"chain"}', labelsType: 'json', wires: [['delete', 'afterList']] },
    { id: 'delete', type: 'agentbay-delete-session', server: CONFIG_ID, wires: [['afterDelete']] },
    { id: 'afterCreate', type: 'helper' },
    { id: 'afterGet', type: 'helper' },
    { id: 'afterInfo', type: 'helper' },
    { id: 'afterList', type: 'helper' },
    { id: 'afterDelete', type: 'helper' },
  ];

  it('runs create → get → info → list → delete with the session riding on the message', async () => {
    await loadFlow(server, chain);
    const messages = ['afterCreate', 'afterGet', 'afterInfo', 'afterList', 'afterDelete'].map((id) => nextMessage(id));
    helper.getNode('create').receive({ payload: 'go', topic: 'keep-me' });
    const [created, got, info, listed, deleted] = (await Promise.all(messages)) as Message[];

    const createdPayload = created.payload as Record<string, unknown>;
    const sessionId = createdPayload.sessionId as string;
    assert.match(sessionId, /^session-/);
    assert.equal(created.agentbay?.session?.sessionId, sessionId);
    assert.deepEqual(created.agentbay?.session?.labels, { suite: 'chain' });
    assert.equal(created.topic, 'keep-me', 'other message properties pass through');
    assert.match(String(createdPayload.requestId), /^[0-9A-F-]{36}$/);

    assert.equal((got.payload as Record<string, unknown>).status, 'RUNNING');
    assert.equal((got.payload as Record<string, unknown>).sessionId, sessionId);
    const infoPayload = info.payload as Record<string, unknown>;
    assert.equal(infoPayload.sessionId, sessionId);
    assert.equal(infoPayload.resourceUrl, createdPayload.resourceUrl);
    for (const field of ['appInstanceId', 'resourceId', 'vpcResource', 'networkInterfaceIp', 'httpPort', 'token']) {
      assert.ok(field in infoPayload, `info has ${field}`);
    }
    const listPayload = listed.payload as { sessionIds: Array<{ sessionId: string; sessionStatus: string }>; totalCount: number };
    assert.deepEqual(listPayload.sessionIds, [{ sessionId, sessionStatus: 'RUNNING' }]);
    assert.equal(listPayload.totalCount, 1);

    assert.deepEqual(
      { deleted: (deleted.payload as Record<string, unknown>).deleted, sessionId: (deleted.payload as Record<string, unknown>).sessionId },
      { deleted: true, sessionId },
    );
    assert.equal(deleted.agentbay?.session, undefined, 'the deleted session no longer rides on the message');
    assert.equal(server.sessionCount(), 0, 'the session is gone from the server');
  });

  it('rejects bad input before any request, naming the field', async () => {
    const client = clientFor(server);
    const before = (await client.call('ListSession', { Labels: '{}', MaxResults: 100 })).TotalCount;
    await loadFlow(server, [
      { id: 'create', type: 'agentbay-create-session', server: CONFIG_ID, labels: '{"a": 1}', labelsType: 'json', wires: [['out']] },
      { id: 'noSession', type: 'agentbay-get-session', server: CONFIG_ID, wires: [['out']] },
      { id: 'list', type: 'agentbay-list-sessions', server: CONFIG_ID, page: '0', pageType: 'num', wires: [['out']] },
      { id: 'name', type: 'agentbay-generate-context-name', length: '0', lengthType: 'num', wires: [['out']] },
      { id: 'out', type: 'helper' },
      { id: 'catcher', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
      { id: 'caught', type: 'helper' },
    ]);
    const expectError = async (nodeId: string, msg: Record<string, unknown>, pattern: RegExp) => {
      const caught = nextMessage('caught');
      helper.getNode(nodeId).receive(msg);
      const error = (await caught).error;
      assert.equal(error?.source?.id, nodeId);
      assert.match(error?.message ?? '', pattern);
    };
    await expectError('create', {}, /^Labels \(labels\) "a" must be a string: expected a JSON object of string keys to string values/);
    await expectError('noSession', { payload: 1 }, /^Session must be a session object with a sessionId .* got nothing/);
    await expectError('list', {}, /^Page \(page\): Cannot reach page 0: Page number must be >= 1$/);
    await expectError('name', {}, /^Length \(length\) must be >= 1: expected a whole number from 1 to 128$/);
    const after = (await client.call('ListSession', { Labels: '{}', MaxResults: 100 })).TotalCount;
    assert.equal(after, before, 'no session was created by the invalid Create Session');
    client.close();
  });

  it('reads the session from flow context or a fixed ID when pointed there', async () => {
    const client = clientFor(server);
    const created = await client.call('CreateMcpSession', { ImageId: 'linux_latest' });
    const sessionId = (created.Data as { SessionId: string }).SessionId;
    await loadFlow(server, [
      { id: 'fromString', type: 'agentbay-get-session', server: CONFIG_ID, session: sessionId, sessionType: 'str', wires: [['a']] },
      { id: 'a', type: 'helper' },
      { id: 'del', type: 'agentbay-delete-session', server: CONFIG_ID, session: 'mySession', sessionType: 'flow', wires: [['b']] },
      { id: 'b', type: 'helper' },
    ]);
    const a = nextMessage('a');
    helper.getNode('fromString').receive({});
    assert.equal(((await a).payload as Record<string, unknown>).sessionId, sessionId);
    (helper.getNode('del') as unknown as { context(): { flow: { set(k: string, v: unknown): void } } }).context().flow.set('mySession', { sessionId });
    const b = nextMessage('b');
    helper.getNode('del').receive({});
    assert.equal(((await b).payload as Record<string, unknown>).deleted, true);
    client.close();
  });

  it('keeps the API key out of messages, errors, status and the exported flow', async () => {
    const wrongKey = 'akl-wrong-key-that-must-not-leak-0000';
    await loadFlow(
      server,
      [
        { id: 'create', type: 'agentbay-create-session', server: CONFIG_ID, wires: [['out']] },
        { id: 'out', type: 'helper' },
        { id: 'catcher', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
        { id: 'caught', type: 'helper' },
      ],
      wrongKey,
    );
    const statuses: unknown[] = [];
    helper.getNode('create').on('call:status', ((call: { args: unknown[] }) => statuses.push(call.args[0])) as never);
    const caught = nextMessage('caught');
    helper.getNode('create').receive({ payload: 1 });
    const msg = await caught;
    assert.match(msg.error?.message ?? '', /InvalidApiKey/);
    const seen = JSON.stringify({ msg, statuses });
    assert.ok(!seen.includes(wrongKey), 'key not in message, error or status');
    assert.ok(!seen.includes('Bearer akl'), 'no bearer token either');
    // Credentials live in the credential store, not in the node's exported properties.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const RED = require('node-red') as { nodes: { getFlows(): { flows: unknown[] } } };
    assert.ok(!JSON.stringify(RED.nodes.getFlows().flows).includes(wrongKey), 'key not in the exported flow');
  });
});
