/**
 * The fault matrix (table.ts) through the n8n nodes' real `execute` with the real n8n-workflow:
 * Create Session → Execute Command → Delete Session, item by item, one fault injected once on the
 * own Action of the node under test. A failing step is n8n's NodeApiError (code in its context,
 * item index), and the flow goes on to Delete Session with the item that step received, which is
 * what its Continue On Fail item or an Error Trigger workflow carries. Each cell checks the
 * outcome, how often the node's Action reached the server, the retries it logged, and the server's
 * session count before Delete Session (no duplicate) and at the end (no orphan).
 */
import { strict as assert } from 'node:assert';
import type { INodeExecutionData, INodeParameters } from 'n8n-workflow';
import type { LocalServer } from '../../../local-server/server';
import { executeN8nNode } from '../../support/n8n';
import { connectionFor } from '../../support/local-server';
import { useSweptServer } from '../../support/swept-server';
import { CELLS, COMMAND, describeOutcome, LOOKUP_SECONDS, type NodeUnderTest } from '../../support/fault-matrix';

interface StepResult {
  item?: INodeExecutionData;
  error?: Error & { context?: { code?: string; itemIndex?: number } };
}

describe('fault matrix: n8n', function () {
  this.timeout(90_000);
  let server: LocalServer;

  useSweptServer((started) => (server = started));

  for (const cell of CELLS) {
    it(`${cell.node} × ${cell.fault.title}: ${describeOutcome(cell.expected)}`, async () => {
      const { expected } = cell;
      const credentials = { ...connectionFor(server), timeoutMs: cell.timeoutMs };
      const logsOf: Record<NodeUnderTest, string[]> = { createSession: [], executeCommand: [], deleteSession: [] };
      const step = async (node: NodeUnderTest, item: INodeExecutionData, parameters: INodeParameters): Promise<StepResult> => {
        try {
          const { output } = await executeN8nNode(node, { items: [item], parameters, credentials, logs: logsOf[node] });
          assert.equal(output[0].length, 1);
          return { item: output[0][0] };
        } catch (error) {
          return { error: error as StepResult['error'] };
        }
      };

      server.setFaults(cell.faults);
      const results: Partial<Record<NodeUnderTest, StepResult>> = {};
      results.createSession = await step('createSession', { json: {} }, {
        labels: '{"suite":"fault-matrix"}',
        options: { lostAnswerLookup: LOOKUP_SECONDS },
      });
      // The item that reaches Delete Session: the last step's output, or the item the failed step got.
      let toDelete: INodeExecutionData = results.createSession.item ?? { json: {} };
      if (results.createSession.item) {
        const options = cell.commandTimeoutMs === undefined ? {} : { timeoutMs: cell.commandTimeoutMs };
        results.executeCommand = await step('executeCommand', results.createSession.item, { command: COMMAND, options });
        toDelete = results.executeCommand.item ?? results.createSession.item;
      }
      const sessionsBeforeDelete = server.sessionCount();
      results.deleteSession = await step('deleteSession', toDelete, {});
      const stats = server.faultStats();
      server.setFaults({});

      const deleted = results.deleteSession;
      assert.equal(deleted.error, undefined, `the flow's Delete Session failed: ${deleted.error?.message}`);
      assert.deepEqual({ requests: stats.requests, faults: stats.faults }, { requests: expected.requests, faults: 1 }, 'the fault was injected once; the Action reached the server this often');
      // The warning per retry (`<Action> failed (<code>); retry …`), not the progress line (`retrying: …`).
      const retries = logsOf[cell.node].filter((line) => /\]: [A-Za-z]+ failed \(.+\); retry \d of 3 in \d+ ms/.test(line));
      assert.equal(retries.length, expected.retries, `retries logged: ${logsOf[cell.node].join(' | ')}`);
      assert.equal(sessionsBeforeDelete, expected.sessionsBeforeDelete, 'sessions when the flow reached Delete Session');

      const result = results[cell.node];
      assert.ok(result, `${cell.node} ran`);
      if (expected.outcome.ok) {
        assert.equal(result.error, undefined, `${cell.node} failed: ${result.error?.message}`);
        if (cell.node === 'createSession') assert.equal(result.item?.json.recovered, expected.outcome.recovered);
        assert.equal(results.executeCommand?.item?.json.stdout, 'fault-matrix\n');
        assert.equal(deleted.item?.json.deleted, true);
      } else {
        const error = result.error;
        assert.ok(error, `${cell.node} succeeded`);
        assert.equal(error.constructor.name, 'NodeApiError');
        assert.equal(error.context?.code, expected.outcome.code);
        assert.equal(error.context?.itemIndex, 0);
        assert.match(error.message, expected.outcome.message);
        if (cell.node === 'createSession') {
          assert.deepEqual(deleted.item?.json, { deleted: false, reason: 'no session on the message: nothing to delete' });
        } else {
          assert.equal(deleted.item?.json.deleted, true, 'the error path deleted the session');
        }
      }
      assert.equal(deleted.item?.json.alreadyGone, undefined, 'deleted by this flow, not found gone');
      assert.equal(deleted.item?.json.session, undefined, 'the session left the item');
      assert.equal(server.sessionCount(), 0, 'no session left on the server');
    });
  }
});
