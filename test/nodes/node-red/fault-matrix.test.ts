/**
 * The fault matrix (table.ts) in the real Node-RED runtime: Create Session → Execute Command →
 * Delete Session, a Catch node on all nodes wired to Delete Session (the README's clean-up
 * path), one fault injected once on the own Action of the node under test. Each cell checks the
 * node's outcome (output, or an error that went through done(err) to the Catch node with its
 * code and a red status), how often its Action reached the server, the retries it reported, the
 * server's session count before the flow's Delete Session (no duplicate) and at the end (no orphan).
 */
import { strict as assert } from 'node:assert';
import type { LocalServer } from '../../../local-server/server';
import { startTestServer } from '../../support/local-server';
import { CONFIG_ID, helper, nextMessage, type Message, useNodeRedRuntime } from '../../support/node-red';
import { loadFlowWith, sweep } from '../../support/swept-server';
import { CELLS, COMMAND, describeOutcome, LOOKUP_SECONDS, type Cell, type NodeUnderTest } from '../../support/fault-matrix';

const NODE_ID: Record<NodeUnderTest, string> = { createSession: 'create', executeCommand: 'exec', deleteSession: 'del' };

function flow(cell: Cell): Array<Record<string, unknown>> {
  const commandTimeout = cell.commandTimeoutMs === undefined ? {} : { timeoutMs: String(cell.commandTimeoutMs), timeoutMsType: 'num' };
  return [
    {
      id: 'create',
      type: 'agentbay-create-session',
      server: CONFIG_ID,
      labels: '{"suite":"fault-matrix"}',
      labelsType: 'json',
      lostAnswerLookup: String(LOOKUP_SECONDS),
      lostAnswerLookupType: 'num',
      wires: [['exec', 'created']],
    },
    { id: 'created', type: 'helper' },
    { id: 'exec', type: 'agentbay-execute-command', server: CONFIG_ID, command: COMMAND, commandType: 'str', ...commandTimeout, wires: [['del', 'ran']] },
    { id: 'ran', type: 'helper' },
    { id: 'del', type: 'agentbay-delete-session', server: CONFIG_ID, wires: [['out']] },
    { id: 'out', type: 'helper' },
    // The error path of the README: a Catch node wired to Delete Session. On all nodes, Delete Session
    // included (it must not loop); one Catch node, since the test helper loads the module once per node.
    { id: 'errors', type: 'catch', scope: null, uncaught: false, wires: [['del', 'caught']] },
    { id: 'caught', type: 'helper' },
  ];
}

interface Status {
  fill?: string;
  shape?: string;
  text?: string;
}

describe('fault matrix: Node-RED', function () {
  this.timeout(90_000);
  let server: LocalServer;

  before(async () => {
    server = await startTestServer();
  });
  after(async () => {
    await server.close();
  });
  useNodeRedRuntime();
  afterEach(async () => {
    await sweep(server);
  });

  for (const cell of CELLS) {
    it(`${cell.node} × ${cell.fault.title}: ${describeOutcome(cell.expected)}`, async () => {
      const { expected } = cell;
      await loadFlowWith(server, flow(cell), { timeoutMs: cell.timeoutMs });
      const underTest = helper.getNode(NODE_ID[cell.node]);
      const warnings: string[] = [];
      const errors: unknown[] = [];
      const statuses: Status[] = [];
      underTest.on('call:warn', ((call: { args: unknown[] }) => warnings.push(String(call.args[0]))) as never);
      underTest.on('call:error', ((call: { args: unknown[] }) => errors.push(call.args[0])) as never);
      underTest.on('call:status', ((call: { args: Status[] }) => statuses.push(call.args[0])) as never);

      // The server's count when the flow reaches Delete Session (on the success or the error path):
      // taken as the message is delivered, before Delete Session's request can reach the server.
      let sessionsBeforeDelete: number | undefined;
      const created: Message[] = [];
      const ran: Message[] = [];
      const caught: Message[] = [];
      const onTheWayToDelete = (into: Message[]) =>
        ((msg: Message) => {
          sessionsBeforeDelete ??= server.sessionCount();
          into.push(msg);
        }) as never;
      helper.getNode('created').on('input', ((msg: Message) => created.push(msg)) as never);
      helper.getNode('ran').on('input', onTheWayToDelete(ran));
      helper.getNode('caught').on('input', onTheWayToDelete(caught));

      // Delete Session never fails in the matrix; if it did, its error would come round the Catch node.
      const deleteFailure = new Promise<Message>((resolve) => {
        helper.getNode('caught').on('input', ((msg: Message) => {
          if (msg.error?.source?.id === 'del') resolve(msg);
        }) as never);
      });

      server.setFaults(cell.faults);
      const end = Promise.race([
        nextMessage('out', 80_000).then((msg) => ({ out: msg, deleteFailed: undefined })),
        deleteFailure.then((msg) => ({ out: undefined, deleteFailed: msg })),
      ]);
      helper.getNode('create').receive({ payload: 'go' });
      const { out, deleteFailed } = await end;
      const stats = server.faultStats();
      server.setFaults({});

      assert.equal(deleteFailed, undefined, `the flow's Delete Session failed: ${deleteFailed?.error?.message}`);
      assert.ok(out);
      assert.deepEqual({ requests: stats.requests, faults: stats.faults }, { requests: expected.requests, faults: 1 }, 'the fault was injected once; the Action reached the server this often');
      assert.equal(warnings.length, expected.retries, `retries reported: ${warnings.join(' | ')}`);
      for (const warning of warnings) assert.match(warning, /failed \(.+\); retry 1 of 3 in \d+ ms/);
      assert.equal(sessionsBeforeDelete, expected.sessionsBeforeDelete, 'sessions when the flow reached Delete Session');

      if (expected.outcome.ok) {
        assert.deepEqual(caught.map((msg) => msg.error?.message), [], 'no step failed');
        assert.deepEqual(errors, []);
        if (cell.node === 'createSession') assert.equal((created[0]?.payload as { recovered?: boolean }).recovered, expected.outcome.recovered);
        assert.equal((ran[0]?.payload as { stdout?: string }).stdout, 'fault-matrix\n');
        assert.equal((out.payload as { deleted: boolean }).deleted, true);
      } else {
        assert.equal(caught.length, 1, 'one error reached the Catch node');
        const error = caught[0].error as { message: string; code?: string; source?: { id: string } };
        assert.equal(error.source?.id, NODE_ID[cell.node], 'reported by the node under test');
        assert.equal(error.code, expected.outcome.code);
        assert.match(error.message, expected.outcome.message);
        assert.equal(errors.length, 1, 'reported through done(err) (node.error), not thrown');
        assert.deepEqual({ ...statuses.at(-1), text: undefined }, { fill: 'red', shape: 'ring', text: undefined });
        if (cell.node === 'createSession') {
          assert.equal(created.length, 0);
          assert.deepEqual(out.payload, { deleted: false, reason: 'no session on the message: nothing to delete' });
        } else {
          assert.equal((out.payload as { deleted: boolean }).deleted, true, 'the error path deleted the session');
        }
      }
      assert.equal((out.payload as { alreadyGone?: boolean }).alreadyGone, undefined, 'deleted by this flow, not found gone');
      assert.equal(out.agentbay?.session, undefined, 'the session left the message');
      assert.equal(server.sessionCount(), 0, 'no session left on the server');
    });
  }
});
