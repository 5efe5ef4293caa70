/**
 * Node-RED: If No Session → Use a Temporary Session creates a session for the one message and
 * deletes it after success, failure and cancellation; and msg.error carries the service's code
 * and request id to Catch nodes.
 */
import { strict as assert } from 'node:assert';
import type { LocalServer } from '../../../local-server/server';

import { livePidsWith, uniqueSleepSeconds } from '../../support/core-session';
import { CONFIG_ID, helper, loadFlow, nextMessage, useNodeRedRuntime, type Message } from '../../support/node-red';
import { lastRequestId, requestsFor, startLoggedServer } from '../../support/logged-server';
import { waitFor } from '../../support/wait';

const TEMPORARY = { ifNoSession: 'temporary', ifNoSessionType: 'agentbay-option' };

function catchFlow(node: Record<string, unknown>): Array<Record<string, unknown>> {
  return [
    { ...node, id: 'node', wires: [['out']] },
    { id: 'out', type: 'helper' },
    { id: 'catcher', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
    { id: 'caught', type: 'helper' },
  ];
}

describe('Node-RED: temporary sessions and msg.error', function () {
  let server: LocalServer;
  let lines: string[];

  before(async () => {
    ({ server, lines } = await startLoggedServer());
  });
  after(async () => {
    await server.close();
  });
  useNodeRedRuntime();

  it('runs a command in a temporary session, deletes it, and carries no session on', async () => {
    await loadFlow(server, catchFlow({ type: 'agentbay-execute-command', server: CONFIG_ID, command: 'echo temp-$((20+22))', commandType: 'str', ...TEMPORARY }));
    const out = nextMessage('out');
    helper.getNode('node').receive({ payload: 'go' });
    const msg = await out;
    const payload = msg.payload as Record<string, unknown>;
    assert.equal(payload.stdout, 'temp-42\n');
    assert.match(String(payload.temporarySessionId), /^session-/);
    assert.equal(msg.agentbay?.session, undefined, 'the deleted session does not ride on');
    assert.equal(requestsFor(lines, 'DeleteSessionAsync', String(payload.temporarySessionId)), 1);
    await waitFor(() => server.sessionCount() === 0, 5000, 'the temporary session gone');
  });

  it('runs code in a temporary code_latest session by default', async () => {
    await loadFlow(server, catchFlow({ type: 'agentbay-run-code', server: CONFIG_ID, language: 'python', languageType: 'agentbay-option', code: 'print(6*7)', codeType: 'agentbay-text', ...TEMPORARY }));
    const out = nextMessage('out');
    helper.getNode('node').receive({});
    const payload = (await out).payload as Record<string, unknown>;
    assert.equal(String(payload.result).trim(), '42');
    const created = lines.filter((line) => line.startsWith('POST CreateMcpSession'));
    assert.ok(created.length > 0);
    await waitFor(() => server.sessionCount() === 0, 5000, 'the temporary session gone');
  });

  it('deletes the temporary session when the command fails with Fail On Non-Zero Exit', async () => {
    await loadFlow(server, catchFlow({
      type: 'agentbay-execute-command', server: CONFIG_ID, command: 'exit 3', commandType: 'str', failOnNonZeroExit: 'true', failOnNonZeroExitType: 'bool', ...TEMPORARY,
    }));
    const caught = nextMessage('caught');
    const deletesBefore = lines.filter((line) => line.startsWith('POST DeleteSessionAsync')).length;
    helper.getNode('node').receive({});
    const msg = await caught;
    assert.match(String(msg.error?.message), /3/);
    assert.equal(lines.filter((line) => line.startsWith('POST DeleteSessionAsync')).length, deletesBefore + 1);
    await waitFor(() => server.sessionCount() === 0, 5000, 'the temporary session gone');
  });

  it('deletes the temporary session when the flow stops mid-command', async () => {
    const sleep = uniqueSleepSeconds(30);
    await loadFlow(server, catchFlow({ type: 'agentbay-execute-command', server: CONFIG_ID, command: `sleep ${sleep}`, commandType: 'str', ...TEMPORARY }));
    helper.getNode('node').receive({});
    await waitFor(() => livePidsWith(sleep).length > 0, 30000, 'the command running');
    assert.equal(server.sessionCount(), 1);
    await helper.unload();
    await waitFor(() => server.sessionCount() === 0, 15000, 'the temporary session deleted after the cancel');
    await waitFor(() => livePidsWith(sleep).length === 0, 15000, 'the command ended');
  });

  it('still fails without a session when If No Session is left at Fail, naming both ways out', async () => {
    await loadFlow(server, catchFlow({ type: 'agentbay-execute-command', server: CONFIG_ID, command: 'true', commandType: 'str' }));
    const caught = nextMessage('caught');
    const createsBefore = lines.filter((line) => line.startsWith('POST CreateMcpSession')).length;
    helper.getNode('node').receive({});
    const msg = (await caught) as Message & { error?: { code?: string } };
    assert.match(msg.error!.message, /Put a Create Session node before this one/);
    assert.match(msg.error!.message, /If No Session/);
    assert.equal(msg.error?.code, 'InvalidInput');
    assert.equal(lines.filter((line) => line.startsWith('POST CreateMcpSession')).length, createsBefore, 'no session was created');
  });

  it('gives Catch nodes the service code and the request id in msg.error', async () => {
    await loadFlow(server, catchFlow({ type: 'agentbay-get-session', server: CONFIG_ID }));
    const caught = nextMessage('caught');
    helper.getNode('node').receive({ agentbay: { session: { sessionId: 'session-does-not-exist' } } });
    const msg = (await caught) as Message & { error?: { code?: string; cause?: { code?: string; requestId?: string; httpStatus?: number } } };
    const requestId = lastRequestId(lines, 'GetSession');
    assert.match(requestId, /^[0-9A-F-]{36}$/);
    assert.equal(msg.error?.code, 'InvalidMcpSession.NotFound');
    assert.deepEqual(msg.error?.cause, { code: 'InvalidMcpSession.NotFound', requestId, httpStatus: 400 });
  });
});
