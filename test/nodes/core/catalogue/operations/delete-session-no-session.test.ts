/**
 * Delete Session on a message without a session (a no-op that says so, or an error when asked;
 * a Catch node wired back to it cannot loop) and on a session already gone. Node-RED and n8n.
 */
import { strict as assert } from 'node:assert';
import type { LocalServer } from '../../../../../local-server/server';
import { executeN8nNode } from '../../../../support/n8n';
import { connectionFor } from '../../../../support/local-server';
import { CONFIG_ID, helper, nextMessage, type Message, useNodeRedRuntime } from '../../../../support/node-red';
import { loadFlowWith, plainClient, useSweptServer } from '../../../../support/swept-server';
import { sleep, waitFor } from '../../../../support/wait';

describe('Delete Session without a session, or on one already gone (n8n and Node-RED)', function () {
  this.timeout(60_000);
  let server: LocalServer;

  useSweptServer((started) => (server = started));

  describe('Node-RED', () => {
    useNodeRedRuntime();

    const loopFlow = (errorIfNoSession: boolean) => [
      { id: 'delete', type: 'agentbay-delete-session', server: CONFIG_ID, errorIfNoSession: String(errorIfNoSession), errorIfNoSessionType: 'bool', wires: [['out']] },
      { id: 'out', type: 'helper' },
      // A Catch on every node, wired back to Delete Session: the clean-up path of issue 12.
      { id: 'catcher', type: 'catch', scope: null, uncaught: false, wires: [['delete', 'caught']] },
      { id: 'caught', type: 'helper' },
    ];

    it('Delete Session without a session does nothing, says so, and a Catch wired back to it cannot loop', async () => {
      await loadFlowWith(server, loopFlow(false));
      const outputs: Message[] = [];
      const caught: Message[] = [];
      helper.getNode('out').on('input', ((msg: Message) => outputs.push(msg)) as never);
      helper.getNode('caught').on('input', ((msg: Message) => caught.push(msg)) as never);
      const statuses: Array<{ fill?: string; text?: string }> = [];
      helper.getNode('delete').on('call:status', ((call: { args: Array<{ fill?: string; text?: string }> }) => statuses.push(call.args[0])) as never);
      helper.getNode('delete').receive({ payload: 'end of flow' });
      await sleep(300);
      assert.equal(caught.length, 0);
      assert.equal(outputs.length, 1);
      assert.deepEqual(outputs[0].payload, { deleted: false, reason: 'no session on the message: nothing to delete' });
      assert.deepEqual(statuses.at(-1), { fill: 'yellow', shape: 'dot', text: 'no session on the message: nothing to d…' });
    });

    it('Delete Session on a session that is already gone says so, and a Catch wired back to it cannot loop', async () => {
      const client = plainClient(server);
      const sessionId = ((await client.call('CreateMcpSession', {})).Data as { SessionId: string }).SessionId;
      await client.call('DeleteSessionAsync', { SessionId: sessionId });
      client.close();
      await waitFor(() => server.sessionCount() === 0, 10_000, 'the session gone');
      await loadFlowWith(server, loopFlow(false));
      const outputs: Message[] = [];
      const caught: Message[] = [];
      helper.getNode('out').on('input', ((msg: Message) => outputs.push(msg)) as never);
      helper.getNode('caught').on('input', ((msg: Message) => caught.push(msg)) as never);
      const statuses: Array<{ fill?: string; text?: string }> = [];
      helper.getNode('delete').on('call:status', ((call: { args: Array<{ fill?: string; text?: string }> }) => statuses.push(call.args[0])) as never);
      const out = nextMessage('out');
      helper.getNode('delete').receive({ payload: 'end of flow', agentbay: { session: { sessionId } } });
      await out;
      await sleep(300);
      assert.equal(caught.length, 0, 'no error, so nothing for the Catch node to send back');
      assert.equal(outputs.length, 1);
      assert.deepEqual({ ...(outputs[0].payload as object), requestId: undefined }, { deleted: true, alreadyGone: true, sessionId, requestId: undefined });
      assert.equal(statuses.at(-1)?.fill, 'yellow');
      assert.ok(`session ${sessionId} was already gone: nothing to delete`.startsWith(String(statuses.at(-1)?.text).replace(/…$/, '')), String(statuses.at(-1)?.text));
    });

    it('Error If No Session makes a missing or gone session an error for Catch nodes', async () => {
      await loadFlowWith(server, [
        { id: 'delete', type: 'agentbay-delete-session', server: CONFIG_ID, errorIfNoSession: 'true', errorIfNoSessionType: 'bool', wires: [['out']] },
        { id: 'out', type: 'helper' },
        { id: 'catcher', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
        { id: 'caught', type: 'helper' },
      ]);
      const caught = nextMessage('caught');
      helper.getNode('delete').receive({ payload: 'x', agentbay: {} });
      const msg = await caught;
      assert.equal(msg.error?.message, 'Delete Session: the message carries no session (Error If No Session is on)');
      const caughtGone = nextMessage('caught');
      helper.getNode('delete').receive({ payload: 'x', agentbay: { session: { sessionId: 'session-doesnotexist0000' } } });
      const gone = await caughtGone;
      assert.match(gone.error?.message ?? '', /^Failed to delete session session-doesnotexist0000: Session session-doesnotexist0000 not found/);
      assert.equal((gone.error as { code?: string } | undefined)?.code, 'InvalidMcpSession.NotFound');
    });

    it('a session value that is there but malformed is still bad input', async () => {
      await loadFlowWith(server, loopFlow(false).slice(0, 2).concat([
        { id: 'catcher', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
        { id: 'caught', type: 'helper' },
      ]));
      const caught = nextMessage('caught');
      helper.getNode('delete').receive({ payload: 'x', agentbay: { session: 42 } });
      assert.match((await caught).error?.message ?? '', /^Session must be a session object with a sessionId/);
    });
  });

  describe('Delete Session without a session in n8n', () => {
    it('a session already gone is deleted: true, alreadyGone: true, or an error with Error If No Session', async () => {
      const sessionId = 'session-doesnotexist0000';
      const items = [{ json: { session: { sessionId } } }];
      const { output, logs } = await executeN8nNode('deleteSession', { items, credentials: connectionFor(server) });
      assert.deepEqual({ ...output[0][0].json, requestId: undefined }, { deleted: true, alreadyGone: true, sessionId, requestId: undefined });
      assert.ok(logs.includes(`AgentBay Delete Session [item 0]: session ${sessionId} was already gone: nothing to delete`), logs.join('\n'));
      await assert.rejects(
        executeN8nNode('deleteSession', { items, parameters: { options: { errorIfNoSession: true } }, credentials: connectionFor(server) }),
        (error: Error & { context?: { code?: string } }) => {
          assert.equal(error.constructor.name, 'NodeApiError');
          assert.match(error.message, /^Failed to delete session session-doesnotexist0000: Session session-doesnotexist0000 not found/);
          assert.equal(error.context?.code, 'InvalidMcpSession.NotFound');
          return true;
        },
      );
    });

    it('outputs deleted: false with the reason, or fails with Error If No Session', async () => {
      const { output, logs } = await executeN8nNode('deleteSession', { items: [{ json: { n: 1 } }], credentials: connectionFor(server) });
      assert.deepEqual(output[0][0].json, { deleted: false, reason: 'no session on the message: nothing to delete' });
      assert.ok(logs.includes('AgentBay Delete Session [item 0]: no session on the message: nothing to delete'), logs.join('\n'));
      await assert.rejects(
        executeN8nNode('deleteSession', { items: [{ json: { n: 1 } }], parameters: { options: { errorIfNoSession: true } }, credentials: connectionFor(server) }),
        /the message carries no session \(Error If No Session is on\)/,
      );
    });
  });
});
