/**
 * Node-RED: a Create Session node deletes the sessions it made that are still open when the flow
 * is redeployed or stopped (in the real runtime, against the local server), unless told not to;
 * sessions a Delete Session node already deleted are not deleted again.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { LocalServer } from '../../../local-server/server';

import { livePidsWith, uniqueSleepSeconds } from '../../support/core-session';
import { clientFor } from '../../support/local-server';
import { CONFIG_ID, flowFor, helper, loadFlow, nextMessage, useNodeRedRuntime, type Message } from '../../support/node-red';
import { requestsFor, startLoggedServer } from '../../support/logged-server';
import { waitFor } from '../../support/wait';

const IN_FLIGHT = 20;

interface RedeployHelper {
  setFlows(flow: unknown[], type: string, credentials: Record<string, unknown>): Promise<void>;
}

describe('Node-RED: sessions a flow made are deleted when the flow stops', function () {
  this.timeout(120000);
  let server: LocalServer;
  let lines: string[];

  before(async () => {
    ({ server, lines } = await startLoggedServer());
  });
  after(async () => {
    await server.close();
  });
  useNodeRedRuntime();

  it(`deletes all ${IN_FLIGHT} sessions of messages still running a command when the flow is redeployed`, async () => {
    // One marker per message, so the test can see each command running.
    const sleeps = Array.from({ length: IN_FLIGHT }, () => uniqueSleepSeconds(30));
    const nodes = [
      { id: 'create', type: 'agentbay-create-session', server: CONFIG_ID, wires: [['run']] },
      { id: 'run', type: 'agentbay-execute-command', server: CONFIG_ID, command: 'command', commandType: 'msg', wires: [['out']] },
      { id: 'out', type: 'helper' },
    ];
    await loadFlow(server, nodes);
    for (const sleep of sleeps) helper.getNode('create').receive({ command: `sleep ${sleep}` });
    const running = (): number => sleeps.filter((sleep) => livePidsWith(sleep).length > 0).length;
    // The client's keep-alive agent sends up to 64 requests at once, so every command runs, each holding
    // its connection open — and the deletions must get through beside them.
    await waitFor(() => server.sessionCount() === IN_FLIGHT && running() === IN_FLIGHT, 60000, 'the commands running');

    // A full deploy of the same flow: every node is stopped (close handlers) and started again.
    const { flow, credentials } = flowFor(server, nodes);
    await (helper as unknown as RedeployHelper).setFlows(flow, 'full', credentials);
    await waitFor(() => server.sessionCount() === 0, 15000, 'every session deleted after the redeploy');
    await waitFor(() => running() === 0, 15000, 'the commands ended with their sessions');
  });

  it('keeps the session of a node whose Delete When Flow Stops is off, and deletes the others', async () => {
    await loadFlow(server, [
      { id: 'kept', type: 'agentbay-create-session', server: CONFIG_ID, deleteOnStop: 'false', deleteOnStopType: 'bool', wires: [['keptOut']] },
      { id: 'reaped', type: 'agentbay-create-session', server: CONFIG_ID, wires: [['reapedOut']] },
      { id: 'keptOut', type: 'helper' },
      { id: 'reapedOut', type: 'helper' },
    ]);
    const keptMessage = nextMessage('keptOut');
    const reapedMessage = nextMessage('reapedOut');
    helper.getNode('kept').receive({});
    helper.getNode('reaped').receive({});
    const keptId = String((await keptMessage).agentbay?.session?.sessionId);
    const reapedId = String((await reapedMessage).agentbay?.session?.sessionId);

    await helper.unload();
    // unload resolves once every close handler called done, i.e. after the deletions were answered.
    assert.equal(requestsFor(lines, 'DeleteSessionAsync', reapedId), 1, 'the default node deleted its session');
    assert.equal(requestsFor(lines, 'DeleteSessionAsync', keptId), 0, 'the opted-out node left its session alone');
    await waitFor(() => server.sessionCount() === 1, 5000, 'only the kept session left');
    await clientFor(server).call('DeleteSessionAsync', { SessionId: keptId });
    await waitFor(() => server.sessionCount() === 0, 5000, 'the kept session deleted by the test');
  });

  it('does not delete again a session that a Delete Session node deleted', async () => {
    await loadFlow(server, [
      { id: 'create', type: 'agentbay-create-session', server: CONFIG_ID, wires: [['delete']] },
      { id: 'delete', type: 'agentbay-delete-session', server: CONFIG_ID, wires: [['out']] },
      { id: 'out', type: 'helper' },
    ]);
    const out = nextMessage('out');
    helper.getNode('create').receive({});
    const deleted = (await out) as Message;
    const sessionId = String((deleted.payload as Record<string, unknown>).sessionId);
    assert.equal(requestsFor(lines, 'DeleteSessionAsync', sessionId), 1);

    await helper.unload();
    assert.equal(requestsFor(lines, 'DeleteSessionAsync', sessionId), 1, 'the flow stop sent no second delete');
    assert.equal(server.sessionCount(), 0);
  });

  it('stops within its 10 s bound when the deletions hang, and says so in a warning', async function () {
    // The bound is 10 s; the deletion is held back 20 s. Should the close wait for it, the test times out.
    this.timeout(18_000);
    await loadFlow(server, [
      { id: 'create', type: 'agentbay-create-session', server: CONFIG_ID, wires: [['out']] },
      { id: 'out', type: 'helper' },
    ]);
    const out = nextMessage('out');
    helper.getNode('create').receive({});
    const sessionId = String((await out).agentbay?.session?.sessionId);
    // The close handler warns after the test helper has restored its spies: listen on the node itself.
    const warnings: string[] = [];
    const node = helper.getNode('create') as unknown as { warn: (text: unknown) => void };
    const warn = node.warn.bind(node);
    node.warn = (text) => {
      warnings.push(String(text));
      warn(text);
    };
    server.setFaults({ onlyActions: ['DeleteSessionAsync'], latencyMs: 20_000 });
    try {
      await helper.unload();
      assert.equal(server.faultStats().requests, 1, 'the flow stop sent its delete');
      assert.equal(requestsFor(lines, 'DeleteSessionAsync', sessionId), 0, 'and stopped before the server answered it');
      assert.ok(
        warnings.some((text) => text.includes(sessionId) || /gave up waiting for the deletion of 1 session/.test(text)),
        `warnings: ${warnings.join(' | ')}`,
      );
    } finally {
      server.setFaults({});
    }
    // Not promised: the session outlives a clean-up that gave up. The test removes it.
    await clientFor(server).call('DeleteSessionAsync', { SessionId: sessionId });
    await waitFor(() => server.sessionCount() === 0, 5000, 'the session deleted by the test');
  });

  it('deletes the session of a create still in flight when the flow stopped', async () => {
    await loadFlow(server, [
      { id: 'create', type: 'agentbay-create-session', server: CONFIG_ID, wires: [['out']] },
      { id: 'out', type: 'helper' },
    ]);
    // Sessions of earlier tests (a held-back delete may still answer) are not this test's.
    const earlier = new Set(lines.map((line) => line.split(' ')[2]));
    const start = lines.length;
    server.setFaults({ onlyActions: ['CreateMcpSession'], latencyMs: 1500 });
    try {
      helper.getNode('create').receive({});
      await waitFor(() => server.faultStats().requests === 1, 10_000, 'the create on its way');
      await helper.unload();
      const created = () => lines.slice(start).some((line) => line.startsWith('POST CreateMcpSession -> 200 ok '));
      await waitFor(() => created() && server.sessionCount() === 0, 15_000, 'the create answered, and its session deleted');
      const deletes = lines.slice(start).filter((line) => line.startsWith('POST DeleteSessionAsync ') && !earlier.has(line.split(' ')[2]));
      assert.equal(deletes.length, 1, `one delete of the new session: ${deletes.join(' | ')}`);
    } finally {
      server.setFaults({});
    }
  });

  it('offers Delete When Flow Stops in the Create Session editor, on by default', () => {
    const html = readFileSync(path.join(__dirname, '..', '..', '..', 'nodes', 'node-red', 'agentbay-create-session.html'), 'utf8');
    assert.match(html, /"deleteOnStop":\{"value":"true"\}/);
    assert.match(html, /id="node-input-deleteOnStop"/);
  });
});
