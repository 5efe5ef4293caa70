/**
 * Delete Idle Sessions in both runtimes: labels, age from the agentbay-created-at stamp, dry run,
 * a bound per run.
 */
import { strict as assert } from 'node:assert';
import type { INodeParameters } from 'n8n-workflow';
import type { LocalServer } from '../../../../../local-server/server';
import { executeN8nNode } from '../../../../support/n8n';
import { connectionFor } from '../../../../support/local-server';
import { CONFIG_ID, helper, nextMessage, useNodeRedRuntime } from '../../../../support/node-red';
import { loadFlowWith, plainClient, useSweptServer } from '../../../../support/swept-server';

const minutesAgo = (minutes: number): string => new Date(Date.now() - minutes * 60_000).toISOString();

describe('Delete Idle Sessions (n8n and Node-RED)', function () {
  this.timeout(60_000);
  let server: LocalServer;

  useSweptServer((started) => (server = started));

  /** Sessions as a leaking flow would leave them, with the stamp Create Session puts on. */
  async function arrange(): Promise<Record<string, string>> {
    const client = plainClient(server);
    const make = async (labels: Record<string, string>) =>
      ((await client.call('CreateMcpSession', { Labels: JSON.stringify(labels) })).Data as { SessionId: string }).SessionId;
    const ids = {
      oldA: await make({ flow: 'nightly', 'agentbay-created-at': minutesAgo(180) }),
      oldB: await make({ flow: 'nightly', 'agentbay-created-at': minutesAgo(90) }),
      young: await make({ flow: 'nightly', 'agentbay-created-at': minutesAgo(5) }),
      unstamped: await make({ flow: 'nightly' }),
      badStamp: await make({ flow: 'nightly', 'agentbay-created-at': 'yesterday' }),
      otherFlow: await make({ flow: 'other', 'agentbay-created-at': minutesAgo(300) }),
    };
    client.close();
    return ids;
  }

  async function remaining(): Promise<string[]> {
    const client = plainClient(server);
    const envelope = await client.call('ListSession', { Labels: '{}', Status: 'RUNNING', MaxResults: 100 });
    client.close();
    return (envelope.Data as Array<{ SessionId: string }>).map((item) => item.SessionId).sort();
  }

  const reasonsOf = (skipped: unknown) => Object.fromEntries((skipped as Array<{ sessionId: string; reason: string }>).map((s) => [s.sessionId, s.reason]));

  describe('Delete Idle Sessions in n8n', () => {
    const run = (parameters: INodeParameters) =>
      executeN8nNode('deleteIdleSessions', { parameters, credentials: connectionFor(server) });

    it('dry run: reports what would go and why the rest stays, deleting nothing', async () => {
      const ids = await arrange();
      const json = (await run({ labels: '{"flow":"nightly"}', olderThanMinutes: 60, dryRun: true })).output[0][0].json;
      assert.equal(json.dryRun, true);
      assert.deepEqual((json.wouldDelete as Array<{ sessionId: string }>).map((s) => s.sessionId), [ids.oldA, ids.oldB]);
      assert.equal(json.deleted, undefined);
      const reasons = reasonsOf(json.skipped);
      assert.match(reasons[ids.young], /^younger than 60 min \(\d min old\)$/);
      assert.match(reasons[ids.unstamped], /no agentbay-created-at label/);
      assert.match(reasons[ids.badStamp], /agentbay-created-at is not a date: yesterday/);
      assert.equal(reasons[ids.otherFlow], undefined, 'other labels are not even looked at');
      assert.equal(server.sessionCount(), 6, 'nothing deleted');
    });

    it('deletes the matching old sessions, at most Max Deletions per run', async () => {
      const ids = await arrange();
      const first = (await run({ labels: '{"flow":"nightly"}', olderThanMinutes: 60, options: { maxDeletions: 1 } })).output[0][0].json;
      assert.deepEqual((first.deleted as Array<{ sessionId: string }>).map((s) => s.sessionId), [ids.oldA]);
      assert.equal(first.more, true);
      const second = (await run({ labels: '{"flow":"nightly"}', olderThanMinutes: 60 })).output[0][0].json;
      assert.deepEqual((second.deleted as Array<{ sessionId: string }>).map((s) => s.sessionId), [ids.oldB]);
      assert.equal(second.more, false);
      assert.deepEqual(await remaining(), [ids.young, ids.unstamped, ids.badStamp, ids.otherFlow].sort());
    });

    it('with Older Than 0 uses labels alone; with neither labels nor age it refuses before any request', async () => {
      const ids = await arrange();
      const json = (await run({ labels: '{"flow":"other"}', olderThanMinutes: 0 })).output[0][0].json;
      assert.deepEqual(json.deleted, [{ sessionId: ids.otherFlow }]);
      await assert.rejects(run({ olderThanMinutes: 0 }), (error: Error) => {
        assert.equal(error.constructor.name, 'NodeOperationError');
        assert.match(error.message, /^Labels \(labels\): set at least one label or an Older Than/);
        return true;
      });
      assert.equal((await remaining()).length, 5);
    });
  });

  describe('Node-RED', () => {
    useNodeRedRuntime();

    it('Delete Idle Sessions deletes the old matching sessions and shows a summary', async () => {
      const ids = await arrange();
      await loadFlowWith(server, [
        { id: 'idle', type: 'agentbay-delete-idle-sessions', server: CONFIG_ID, labels: '{"flow":"nightly"}', labelsType: 'json', olderThanMinutes: '60', olderThanMinutesType: 'num', wires: [['out']] },
        { id: 'out', type: 'helper' },
      ]);
      const statuses: Array<{ fill?: string; text?: string }> = [];
      helper.getNode('idle').on('call:status', ((call: { args: Array<{ fill?: string; text?: string }> }) => statuses.push(call.args[0])) as never);
      const out = nextMessage('out');
      helper.getNode('idle').receive({ payload: 'tick' });
      const payload = (await out).payload as Record<string, unknown>;
      assert.deepEqual((payload.deleted as Array<{ sessionId: string }>).map((s) => s.sessionId), [ids.oldA, ids.oldB]);
      assert.equal((payload.skipped as unknown[]).length, 3);
      await new Promise((resolve) => setImmediate(resolve));
      assert.deepEqual(statuses.at(-1), { fill: 'yellow', shape: 'dot', text: 'deleted 2, skipped 3' });
      assert.deepEqual(await remaining(), [ids.young, ids.unstamped, ids.badStamp, ids.otherFlow].sort());
    });
  });
});
