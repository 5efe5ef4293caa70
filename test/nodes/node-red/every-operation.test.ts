/**
 * The Node-RED adapter's generic behaviour, once for every operation of the catalogue, in the real
 * Node-RED runtime (node-red-node-test-helper): bad input reaches a Catch node from the node that
 * failed (done(err)) with a red status, before any request; on a session the service does not
 * know, a failure reaches the Catch node with the session still on the message, and a success goes
 * out with it. Each operation's own results are tested in test/nodes/core/catalogue/operations/.
 */
import { strict as assert } from 'node:assert';
import { operations } from '../../../nodes/core/catalogue/index';
import { nodeRedType } from '../../../nodes/core/catalogue/naming';
import type { OperationDefinition } from '../../../nodes/core/catalogue/types';
import { badValue, requiredValues, takesContextField, UNKNOWN_SESSION } from '../../support/every-operation';
import { startLoggedServer, type LoggedServer } from '../../support/logged-server';
import { CONFIG_ID, helper, loadFlow, type Message, useNodeRedRuntime } from '../../support/node-red';
import { waitFor } from '../../support/wait';

const NODE_ID = 'under-test';

interface Outcome {
  out: Message[];
  caught: Message[];
  statuses: Array<{ fill?: string; text?: string }>;
}

/** The node under test with each given value read from the message (`msg.p_<name>`), a helper on its output and a Catch. */
async function loadNode(logged: LoggedServer, operation: OperationDefinition, values: Record<string, unknown>): Promise<Outcome> {
  const fromMessage = Object.fromEntries(Object.keys(values).flatMap((name) => [[name, `p_${name}`], [`${name}Type`, 'msg']]));
  await loadFlow(logged.server, [
    { id: NODE_ID, type: nodeRedType(operation), server: CONFIG_ID, ...fromMessage, wires: [['out']] },
    { id: 'out', type: 'helper' },
    { id: 'catcher', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
    { id: 'caught', type: 'helper' },
  ]);
  const outcome: Outcome = { out: [], caught: [], statuses: [] };
  helper.getNode('out').on('input', ((msg: Message) => outcome.out.push(msg)) as never);
  helper.getNode('caught').on('input', ((msg: Message) => outcome.caught.push(msg)) as never);
  helper.getNode(NODE_ID).on('call:status', ((call: { args: Array<{ fill?: string; text?: string }> }) => outcome.statuses.push(call.args[0])) as never);
  return outcome;
}

const messageWith = (values: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(Object.entries(values).map(([name, value]) => [`p_${name}`, value]));

describe('Node-RED: every operation of the catalogue', function () {
  this.timeout(60_000);
  let logged: LoggedServer;

  before(async () => {
    logged = await startLoggedServer();
  });
  after(async () => {
    await logged.server.close();
  });
  useNodeRedRuntime();

  for (const operation of operations) {
    const takesSession = operation.session !== 'none';
    const takesContext = !takesSession && takesContextField(operation);

    describe(operation.displayName, () => {
      it('bad input: done(err) to a Catch node, red status, nothing sent on, no request', async () => {
        const values = requiredValues(operation);
        let msg: Record<string, unknown>;
        if (takesSession) {
          msg = { ...messageWith(values), agentbay: { session: 42 } };
        } else if (takesContext) {
          msg = { ...messageWith(values), agentbay: { context: 42 } };
        } else {
          const bad = badValue(operation);
          msg = messageWith({ ...values, [bad.parameter.name]: bad.value });
          values[bad.parameter.name] = bad.value;
        }
        const outcome = await loadNode(logged, operation, values);
        const before = logged.lines.length;
        helper.getNode(NODE_ID).receive(msg);
        await waitFor(() => outcome.caught.length > 0 || outcome.out.length > 0, 10_000, `${operation.id} to answer`);
        assert.deepEqual(outcome.out, [], 'nothing goes out');
        const error = outcome.caught[0].error;
        assert.equal(error?.source?.id, NODE_ID);
        assert.match(error?.message ?? '', /must be|is not valid|expected/, `${operation.id}: ${error?.message}`);
        assert.equal(outcome.statuses.at(-1)?.fill, 'red');
        assert.deepEqual(logged.lines.slice(before), [], 'no request was sent');
      });

      if (!takesSession) return;
      it('on a session the service does not know: a failure reaches a Catch node with the session on the message and a red status', async () => {
        const values = requiredValues(operation);
        const outcome = await loadNode(logged, operation, values);
        helper.getNode(NODE_ID).receive({ ...messageWith(values), agentbay: { session: { ...UNKNOWN_SESSION } } });
        await waitFor(() => outcome.caught.length > 0 || outcome.out.length > 0, 30_000, `${operation.id} to answer`);
        if (outcome.caught.length === 0) return; // the operation needs no live session (e.g. List MCP Tools)
        const [caught] = outcome.caught;
        assert.equal(caught.error?.source?.id, NODE_ID);
        assert.doesNotMatch(caught.error?.message ?? '', / must be |is not valid/, `${operation.id}: the input was valid`);
        assert.deepEqual(caught.agentbay?.session, UNKNOWN_SESSION, 'the session stays on the message');
        assert.equal(outcome.statuses.at(-1)?.fill, 'red');
      });
    });
  }
});
