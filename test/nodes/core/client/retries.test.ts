/**
 * Retries that fit each call: deletes are repeated after a 5xx or a reset (a NotFound on the
 * repeat means the first one worked), a service's retry-after is capped, one call's retries are
 * bounded in time, and every retry shows (Node-RED status and warn, n8n logger). Waits are either
 * an injected clock or a small cap: no real long sleeps.
 */
import { strict as assert } from 'node:assert';
import type { LocalServer } from '../../../../local-server/server';
import { AgentBayClient, type Clock, type RetryEvent } from '../../../../nodes/core/client/client';
import { AgentBayError } from '../../../../nodes/core/client/errors';
import { executeN8nNode } from '../../../support/n8n';
import { connectionFor } from '../../../support/local-server';
import { CONFIG_ID, helper, nextMessage, type Message, useNodeRedRuntime } from '../../../support/node-red';
import { answered, loadFlowWith, plainClient, useSweptServer } from '../../../support/swept-server';

const DELETE_ONLY = { onlyActions: ['DeleteSessionAsync'] };

/** A clock whose sleeps return at once but move its time on, recording each wait. */
function steppingClock(): Clock & { slept: number[] } {
  let now = Date.parse('2026-03-01T00:00:00Z');
  const slept: number[] = [];
  return {
    slept,
    now: () => new Date(now),
    sleep: async (ms: number) => {
      slept.push(ms);
      now += ms;
    },
  };
}

describe('reliability: retries', function () {
  this.timeout(60_000);
  let server: LocalServer;
  const log: string[] = [];
  const requests = (action: string) => answered(log).filter((entry) => entry.action === action);

  useSweptServer((started) => (server = started), log);

  async function newSession(): Promise<string> {
    const client = plainClient(server);
    const created = await client.call('CreateMcpSession', { ImageId: 'linux_latest' });
    client.close();
    return (created.Data as { SessionId: string }).SessionId;
  }

  describe('client', () => {
    it('caps x-acs-retry-after: 86400 at 60 s by default and says so in the retry event', async () => {
      const clock = steppingClock();
      const events: RetryEvent[] = [];
      const client = new AgentBayClient({ apiKey: server.apiKey, region: 'custom', customEndpoint: server.url, clock, onRetry: (event) => events.push(event) });
      server.setFaults({ throttleEveryN: 1, maxFaults: 1, throttleRetryAfterSeconds: 86400 });
      const envelope = await client.call('ListSession', { Labels: '{}' });
      client.close();
      assert.equal(envelope.Success, true);
      assert.deepEqual(clock.slept, [60_000]);
      assert.equal(events.length, 1);
      assert.equal(events[0].delayMs, 60_000);
      assert.equal(events[0].requestedDelayMs, 86_400_000);
      assert.equal(events[0].error.code, 'Throttling.User');
    });

    it('starts no retry once the call has taken its total retry time (120 s by default)', async () => {
      const clock = steppingClock();
      const client = new AgentBayClient({
        apiKey: server.apiKey,
        region: 'custom',
        customEndpoint: server.url,
        clock,
        retry: { maxRetries: 10, baseDelayMs: 500 },
      });
      server.setFaults({ throttleEveryN: 1, throttleRetryAfterSeconds: 50 });
      await assert.rejects(client.call('ListSession', { Labels: '{}' }), (error: AgentBayError) => error.throttled);
      client.close();
      // 0 s, 50 s, 100 s; a fourth attempt would start at 150 s, past 120 s.
      assert.deepEqual(clock.slept, [50_000, 50_000]);
      assert.equal(requests('ListSession').length, 3);
    });

    it('repeats a delete after a 503 but never another write', async () => {
      const sessionId = await newSession();
      const client = new AgentBayClient({ apiKey: server.apiKey, region: 'custom', customEndpoint: server.url, clock: steppingClock() });
      server.setFaults({ onlyActions: ['SetLabel', 'DeleteSessionAsync'], serverErrorEveryN: 1, maxFaults: 1 });
      await assert.rejects(client.call('SetLabel', { SessionId: sessionId, Labels: '{"a":"b"}' }), /ServiceUnavailable/);
      assert.equal(requests('SetLabel').length, 1, 'SetLabel is not repeated after a 5xx');
      server.setFaults({ onlyActions: ['DeleteSessionAsync'], serverErrorEveryN: 1, maxFaults: 1 });
      await client.call('DeleteSessionAsync', { SessionId: sessionId });
      client.close();
      assert.deepEqual(requests('DeleteSessionAsync').map((entry) => entry.outcome), ['503 ServiceUnavailable', '200 ok']);
    });
  });

  describe('Node-RED', () => {
    useNodeRedRuntime();

    const deleteFlow = [
      { id: 'delete', type: 'agentbay-delete-session', server: CONFIG_ID, wires: [['out']] },
      { id: 'out', type: 'helper' },
      { id: 'catcher', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
      { id: 'caught', type: 'helper' },
    ];

    /** Runs the Delete Session node on a fresh session; returns its output or error and what it showed. */
    async function deleteWithFaults(faults: Parameters<LocalServer['setFaults']>[0], sessionId?: string) {
      const id = sessionId ?? (await newSession());
      await loadFlowWith(server, deleteFlow);
      const statuses: string[] = [];
      const warnings: string[] = [];
      const node = helper.getNode('delete');
      node.on('call:status', ((call: { args: Array<{ text?: string }> }) => statuses.push(call.args[0]?.text ?? '')) as never);
      node.on('call:warn', ((call: { args: unknown[] }) => warnings.push(String(call.args[0]))) as never);
      server.setFaults(faults);
      const out = nextMessage('out').then((msg) => ({ out: msg as Message | undefined, caught: undefined as Message | undefined }));
      const caught = nextMessage('caught').then((msg) => ({ out: undefined as Message | undefined, caught: msg as Message | undefined }));
      node.receive({ payload: 'x', agentbay: { session: { sessionId: id } } });
      const result = await Promise.race([out, caught]);
      server.setFaults({});
      return { ...result, statuses, warnings, sessionId: id };
    }

    it('retries Delete Session after one 503; the session is gone, the retry shown in status and as a warning', async () => {
      const { out, caught, statuses, warnings } = await deleteWithFaults({ ...DELETE_ONLY, serverErrorEveryN: 1, maxFaults: 1 });
      assert.ok(out, `the node failed: ${caught?.error?.message}`);
      assert.equal((out.payload as { deleted: boolean }).deleted, true);
      assert.equal(server.sessionCount(), 0);
      assert.deepEqual(warnings, ['DeleteSessionAsync failed (ServiceUnavailable); retry 1 of 3 in 500 ms']);
      assert.ok(statuses.some((text) => text.startsWith('retrying: DeleteSessionAsync')), `statuses: ${statuses.join(' | ')}`);
    });

    it('retries Delete Session after a connection reset', async () => {
      const { out, caught, warnings } = await deleteWithFaults({ ...DELETE_ONLY, dropEveryN: 1, maxFaults: 1 });
      assert.ok(out, `the node failed: ${caught?.error?.message}`);
      assert.equal(server.sessionCount(), 0);
      assert.match(warnings[0] ?? '', /^DeleteSessionAsync failed \(NetworkError\); retry 1 of 3/);
    });

    it('counts a NotFound on the retry as deleted (the first delete ran, its answer was lost)', async () => {
      const { out, caught } = await deleteWithFaults({ ...DELETE_ONLY, serverErrorAfterEveryN: 1, maxFaults: 1 });
      assert.ok(out, `the node failed: ${caught?.error?.message}`);
      assert.equal((out.payload as { deleted: boolean }).deleted, true);
      assert.deepEqual(requests('DeleteSessionAsync').map((entry) => entry.outcome), ['503 ServiceUnavailable', '400 InvalidMcpSession.NotFound']);
      assert.equal(server.sessionCount(), 0);
    });

    it('reports a NotFound at the first attempt as already gone, without retrying it', async () => {
      const { out, caught, warnings } = await deleteWithFaults({}, 'session-doesnotexist0000');
      assert.ok(out, `the node failed: ${caught?.error?.message}`);
      const payload = out.payload as Record<string, unknown>;
      assert.deepEqual({ ...payload, requestId: undefined }, { deleted: true, alreadyGone: true, sessionId: 'session-doesnotexist0000', requestId: undefined });
      assert.match(String(payload.requestId), /^[0-9A-F-]{36}$/, 'the request id of the NotFound answer');
      assert.equal(out.agentbay?.session, undefined, 'the session leaves the message');
      assert.deepEqual(warnings, []);
      assert.deepEqual(requests('DeleteSessionAsync').map((entry) => entry.outcome), ['400 InvalidMcpSession.NotFound']);
    });

    it('caps a day-long retry-after at the config node\'s Max Retry Wait', async () => {
      await loadFlowWith(
        server,
        [
          { id: 'list', type: 'agentbay-list-sessions', server: CONFIG_ID, wires: [['out']] },
          { id: 'out', type: 'helper' },
        ],
        { maxRetryWait: 0.2 },
      );
      const warnings: string[] = [];
      helper.getNode('list').on('call:warn', ((call: { args: unknown[] }) => warnings.push(String(call.args[0]))) as never);
      server.setFaults({ throttleEveryN: 1, maxFaults: 1, throttleRetryAfterSeconds: 86400 });
      const out = nextMessage('out', 10_000);
      helper.getNode('list').receive({ payload: 'x' });
      const msg = await out;
      assert.equal(typeof (msg.payload as { count: number }).count, 'number');
      assert.deepEqual(warnings, ['ListSession failed (Throttling.User); retry 1 of 3 in 200 ms (the service asked for 86400 s; capped)']);
    });
  });

  describe('n8n', () => {
    it('retries Delete Session after one 503 and logs the retry as a warning', async () => {
      const sessionId = await newSession();
      server.setFaults({ ...DELETE_ONLY, serverErrorEveryN: 1, maxFaults: 1 });
      const { output, logs } = await executeN8nNode('deleteSession', {
        items: [{ json: { session: { sessionId } } }],
        credentials: connectionFor(server),
      });
      server.setFaults({});
      assert.equal(output[0][0].json.deleted, true);
      assert.equal(server.sessionCount(), 0);
      assert.ok(
        logs.includes('AgentBay Delete Session [item 0]: DeleteSessionAsync failed (ServiceUnavailable); retry 1 of 3 in 500 ms'),
        logs.join('\n'),
      );
    });

    it('caps a day-long retry-after at the credential\'s Max Retry Wait', async () => {
      server.setFaults({ throttleEveryN: 1, maxFaults: 1, throttleRetryAfterSeconds: 86400 });
      const { output, logs } = await executeN8nNode('listSessions', { credentials: { ...connectionFor(server), maxRetryWait: 0.2 } });
      server.setFaults({});
      assert.equal(typeof output[0][0].json.count, 'number');
      assert.ok(logs.some((line) => line.endsWith('retry 1 of 3 in 200 ms (the service asked for 86400 s; capped)')), logs.join('\n'));
    });
  });
});
