/**
 * The node status: "working…" only for a message still running after WORKING_STATUS_DELAY_MS, and a
 * status equal to the one shown is not sent to the runtime again (each update costs the runtime).
 */
import { strict as assert } from 'node:assert';
import type { LocalServer } from '../../../local-server/server';
import { WORKING_STATUS_DELAY_MS } from '../../../nodes/node-red/operation-node';
import { clientFor, startTestServer } from '../../support/local-server';
import { CONFIG_ID, helper, loadFlow, nextMessage, useNodeRedRuntime, type Message } from '../../support/node-red';

interface Status {
  fill?: string;
  shape?: string;
  text?: string;
}

describe('Node-RED: operation node status updates', function () {
  this.timeout(60_000);
  let server: LocalServer;
  let sessionId: string;

  before(async () => {
    server = await startTestServer();
    const created = await clientFor(server).call('CreateMcpSession', { ImageId: 'linux_latest' });
    sessionId = String(created.Data?.SessionId);
  });
  after(async () => {
    await server.close();
  });
  useNodeRedRuntime();

  async function getSessionNode(): Promise<Status[]> {
    await loadFlow(server, [
      { id: 'get', type: 'agentbay-get-session', server: CONFIG_ID, wires: [['got']] },
      { id: 'got', type: 'helper' },
      { id: 'catcher', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
      { id: 'caught', type: 'helper' },
    ]);
    const statuses: Status[] = [];
    helper.getNode('get').on('call:status', ((call: { args: Status[] }) => statuses.push(call.args[0])) as never);
    return statuses;
  }

  async function getSession(): Promise<Message> {
    const got = nextMessage('got');
    helper.getNode('get').receive({ agentbay: { session: { sessionId } } });
    return got;
  }

  it('shows "working…" for a message that runs longer than the delay, then ok', async () => {
    const statuses = await getSessionNode();
    server.setFaults({ latencyMs: WORKING_STATUS_DELAY_MS * 10, onlyActions: ['GetSession'] });
    try {
      await getSession();
    } finally {
      server.setFaults({});
    }
    assert.deepEqual(
      statuses.map((status) => status.fill),
      ['blue', 'green'],
      JSON.stringify(statuses),
    );
    assert.match(statuses[0].text ?? '', /get session…/);
  });

  it('sends an unchanged status once: five messages in a row end in one ok', async () => {
    const statuses = await getSessionNode();
    for (let index = 0; index < 5; index++) await getSession();
    const oks = statuses.filter((status) => status.fill === 'green');
    assert.equal(oks.length, statuses.filter((status) => status.fill === 'blue').length + 1, JSON.stringify(statuses));
    for (let index = 1; index < statuses.length; index++) {
      assert.notDeepEqual(statuses[index], statuses[index - 1], `status ${index} repeats the one shown: ${JSON.stringify(statuses)}`);
    }
  });

  it('a failure shows red, and the next success shows ok again', async () => {
    const statuses = await getSessionNode();
    const caught = nextMessage('caught');
    helper.getNode('get').receive({ agentbay: { session: { sessionId: 'session-never-created-0123456789' } } });
    assert.match((await caught).error?.message ?? '', /not found/);
    await getSession();
    assert.deepEqual(
      statuses.filter((status) => status.fill !== 'blue').map((status) => status.fill),
      ['red', 'green'],
      JSON.stringify(statuses),
    );
  });
});
