/**
 * Node-RED handles messages concurrently: nothing in the nodes queues one message behind another.
 * Checked at the server (how many requests it is handling at once) with injected latency, and with
 * create → execute → delete chains running side by side: no error, no session left.
 */
import { strict as assert } from 'node:assert';
import type { LocalServer } from '../../../local-server/server';
import { waitFor } from '../../support/wait';
import { clientFor, startTestServer } from '../../support/local-server';
import { CONFIG_ID, helper, loadFlow, type Message, useNodeRedRuntime } from '../../support/node-red';

const MESSAGES = 8;
const CHAINS = 16;

function collect(nodeId: string): Message[] {
  const received: Message[] = [];
  helper.getNode(nodeId).on('input', ((msg: Message) => received.push(msg)) as never);
  return received;
}

describe('Node-RED: messages run concurrently', function () {
  this.timeout(60_000);
  let server: LocalServer;
  let sessionId: string;

  before(async () => {
    server = await startTestServer();
    const client = clientFor(server);
    sessionId = String((await client.call('CreateMcpSession', { ImageId: 'linux_latest' })).Data?.SessionId);
    client.close();
  });
  afterEach(() => server.setFaults({}));
  after(async () => {
    const client = clientFor(server);
    await client.call('DeleteSessionAsync', { SessionId: sessionId });
    client.close();
    await server.close();
  });
  useNodeRedRuntime();

  it(`has all ${MESSAGES} messages at the server at once`, async () => {
    await loadFlow(server, [
      { id: 'get', type: 'agentbay-get-session', server: CONFIG_ID, wires: [['out']] },
      { id: 'out', type: 'helper' },
    ]);
    const received = collect('out');
    server.setFaults({ latencyMs: 300, onlyActions: ['GetSession'] });
    for (let index = 0; index < MESSAGES; index++) helper.getNode('get').receive({ n: index, agentbay: { session: { sessionId } } });
    await waitFor(() => received.length === MESSAGES, 30_000, `${MESSAGES} answers`);
    assert.equal(server.faultStats().maxInFlight, MESSAGES, 'every message was in flight at the same time');
    assert.deepEqual(received.map((msg) => msg.n).sort(), [...Array(MESSAGES).keys()].sort(), 'each message answered once');
  });

  it(`runs ${CHAINS} create → execute → delete chains side by side: no error, no session left`, async () => {
    await loadFlow(server, [
      { id: 'create', type: 'agentbay-create-session', server: CONFIG_ID, wires: [['exec']] },
      { id: 'exec', type: 'agentbay-execute-command', server: CONFIG_ID, command: 'echo chain', commandType: 'str', wires: [['del']] },
      { id: 'del', type: 'agentbay-delete-session', server: CONFIG_ID, wires: [['out']] },
      { id: 'out', type: 'helper' },
      { id: 'errors', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
      { id: 'caught', type: 'helper' },
    ]);
    const done = collect('out');
    const caught = collect('caught');
    const before = server.sessionCount();
    for (let index = 0; index < CHAINS; index++) helper.getNode('create').receive({ n: index });
    await waitFor(() => done.length + caught.length === CHAINS, 50_000, `${CHAINS} chains`);
    assert.deepEqual(caught.map((msg) => msg.error?.message), [], 'no chain failed');
    assert.deepEqual(done.map((msg) => msg.n).sort((a, b) => Number(a) - Number(b)), [...Array(CHAINS).keys()]);
    await waitFor(() => server.sessionCount() === before, 10_000, 'every chain session deleted');
  });
});
