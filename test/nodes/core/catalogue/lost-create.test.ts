/**
 * Create Session when the create's answer is lost. The local server's after-action faults run the
 * create and then lose its answer (5xx, reset, a body that is not JSON, an answer held back past
 * the client's timeout), or fail it before it runs. Each case must end with exactly the session the
 * node returns, or none and an error saying so: never a duplicate, never an orphan. Checked with
 * the server's own session count and request log, in Node-RED and in n8n.
 */
import { strict as assert } from 'node:assert';
import { createServer, type AddressInfo } from 'node:net';
import type { FaultOptions, LocalServer } from '../../../../local-server/server';
import { executeN8nNode } from '../../../support/n8n';
import { connectionFor } from '../../../support/local-server';
import { CONFIG_ID, helper, nextMessage, type Message, useNodeRedRuntime } from '../../../support/node-red';
import { answered, listAll, loadFlowWith, plainClient, useSweptServer } from '../../../support/swept-server';

const CREATE_ONLY = { onlyActions: ['CreateMcpSession'] };

interface LostCase {
  name: string;
  faults: FaultOptions;
  /** Client timeout for the case (short where the answer is held back). */
  timeoutMs?: number;
}

/** The create runs on the server, its answer never reaches the node. */
const LOST_AFTER_RUNNING: LostCase[] = [
  { name: '503 after the create ran', faults: { ...CREATE_ONLY, serverErrorAfterEveryN: 1 } },
  { name: 'connection reset after the create ran', faults: { ...CREATE_ONLY, dropAfterEveryN: 1 } },
  { name: 'a body that is not JSON after the create ran', faults: { ...CREATE_ONLY, notJsonAfterEveryN: 1 } },
  { name: 'the answer held back past the client timeout', faults: { ...CREATE_ONLY, slowAfterEveryN: 1, slowAfterMs: 4000 }, timeoutMs: 1000 },
  // The session only appears after the client gave up: found by polling, not by the first look.
  { name: 'the create still running when the client timed out', faults: { ...CREATE_ONLY, latencyMs: 2500 }, timeoutMs: 1000 },
];

/** The create never ran. */
const LOST_BEFORE_RUNNING: LostCase[] = [
  { name: 'connection reset before the create ran', faults: { ...CREATE_ONLY, dropEveryN: 1 } },
  { name: '503 before the create ran', faults: { ...CREATE_ONLY, serverErrorEveryN: 1 } },
];

describe('reliability: Create Session after a lost answer', function () {
  this.timeout(60_000);
  let server: LocalServer;
  const log: string[] = [];
  const creates = () => answered(log).filter((entry) => entry.action === 'CreateMcpSession');

  useSweptServer((started) => (server = started), log);

  /** The one session on the server, checked against what the node returned. */
  async function assertExactlyTheReturnedSession(sessionId: string, clientToken: string): Promise<void> {
    server.setFaults({});
    assert.equal(server.sessionCount(), 1, 'exactly one session exists');
    const client = plainClient(server);
    const sessions = await listAll(client);
    client.close();
    assert.equal(sessions[0].sessionId, sessionId, 'the node returned the session that exists');
    assert.equal(sessions[0].labels['agentbay-client-token'], clientToken);
    // Every create gets the fault, so a repeated create would have made a second session (count above).
  }

  describe('Node-RED', () => {
    useNodeRedRuntime();

    async function runCreate(testCase: LostCase, lookupSeconds: number): Promise<{ out?: Message; caught?: Message }> {
      await loadFlowWith(
        server,
        [
          {
            id: 'create',
            type: 'agentbay-create-session',
            server: CONFIG_ID,
            labels: '{"suite":"lost-create"}',
            labelsType: 'json',
            lostAnswerLookup: String(lookupSeconds),
            lostAnswerLookupType: 'num',
            wires: [['out']],
          },
          { id: 'out', type: 'helper' },
          { id: 'catcher', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
          { id: 'caught', type: 'helper' },
        ],
        { timeoutMs: testCase.timeoutMs },
      );
      server.setFaults(testCase.faults);
      const out = nextMessage('out', 50_000).then((msg) => ({ out: msg }));
      const caught = nextMessage('caught', 50_000).then((msg) => ({ caught: msg }));
      helper.getNode('create').receive({ payload: 'go' });
      return Promise.race([out, caught]);
    }

    for (const testCase of LOST_AFTER_RUNNING) {
      it(`returns the one session it made: ${testCase.name}`, async () => {
        const { out, caught } = await runCreate(testCase, 15);
        assert.ok(out, `the node failed: ${caught?.error?.message}`);
        const payload = out.payload as Record<string, unknown>;
        assert.equal(payload.recovered, true);
        assert.equal(out.agentbay?.session?.sessionId, payload.sessionId);
        assert.match(String(payload.resourceUrl), /\/sessions\/session-/, 'details fetched with GetSession');
        assert.deepEqual(payload.labels, { suite: 'lost-create' });
        await assertExactlyTheReturnedSession(String(payload.sessionId), String(payload.clientToken));
      });
    }

    for (const testCase of LOST_BEFORE_RUNNING) {
      it(`makes none and says so: ${testCase.name}`, async () => {
        const { out, caught } = await runCreate(testCase, 1);
        assert.equal(out, undefined);
        assert.match(caught?.error?.message ?? '', /the answer was lost .* no session carries the label agentbay-client-token=[0-9a-f-]{36} after looking for 1 s: no session was made/);
        server.setFaults({});
        assert.equal(server.sessionCount(), 0);
        assert.equal(creates().length, 1, 'the create was not repeated');
      });
    }

    it('retries a throttled create (the service did not run it) and makes one session', async () => {
      const { out, caught } = await runCreate({ name: 'throttled', faults: { ...CREATE_ONLY, throttleEveryN: 1, maxFaults: 1, throttleRetryAfterSeconds: 0 } }, 1);
      assert.ok(out, `the node failed: ${caught?.error?.message}`);
      const payload = out.payload as Record<string, unknown>;
      assert.equal(payload.recovered, false);
      server.setFaults({});
      assert.equal(server.sessionCount(), 1);
      assert.deepEqual(creates().map((entry) => entry.outcome), ['400 Throttling.User', '200 ok']);
    });

    it('names the token when the look-up itself fails', async () => {
      const { out, caught } = await runCreate(
        { name: 'lookups fail', faults: { onlyActions: ['CreateMcpSession', 'ListSession'], serverErrorEveryN: 1 } },
        1,
      );
      assert.equal(out, undefined);
      assert.match(
        caught?.error?.message ?? '',
        /could not be looked up within 1 s .*ServiceUnavailable.*A session may exist: find and delete it by the label agentbay-client-token=[0-9a-f-]{36}/,
      );
      server.setFaults({});
      assert.equal(server.sessionCount(), 0);
    });
  });

  describe('n8n', () => {
    async function runCreate(testCase: LostCase, lookupSeconds: number) {
      server.setFaults(testCase.faults);
      try {
        return await executeN8nNode('createSession', {
          parameters: { labels: '{"suite":"lost-create"}', options: { lostAnswerLookup: lookupSeconds } },
          credentials: { ...connectionFor(server), timeoutMs: testCase.timeoutMs ?? 30000 },
        });
      } finally {
        server.setFaults({});
      }
    }

    for (const testCase of LOST_AFTER_RUNNING) {
      it(`returns the one session it made: ${testCase.name}`, async () => {
        const { output, logs } = await runCreate(testCase, 15);
        const json = output[0][0].json;
        assert.equal(json.recovered, true);
        assert.equal((json.session as { sessionId: string }).sessionId, json.sessionId);
        assert.ok(logs.some((line) => /create answer lost/.test(line)), 'the look-up shows in the log');
        await assertExactlyTheReturnedSession(String(json.sessionId), String(json.clientToken));
      });
    }

    for (const testCase of LOST_BEFORE_RUNNING) {
      it(`makes none and says so: ${testCase.name}`, async () => {
        await assert.rejects(runCreate(testCase, 1), (error: Error & { context?: { itemIndex?: number } }) => {
          assert.equal(error.constructor.name, 'NodeApiError');
          assert.match(error.message, /no session was made/);
          return true;
        });
        assert.equal(server.sessionCount(), 0);
        assert.equal(creates().length, 1, 'the create was not repeated');
      });
    }
  });
});

describe('reliability: Create Session refused before anything was sent', () => {
  it('fails at once as a network error, without looking for a session that cannot exist', async () => {
    // A port nothing listens on: the connection is refused, so the create never reached a service.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', () => resolve()));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    await assert.rejects(
      executeN8nNode('createSession', {
        parameters: { options: { lostAnswerLookup: 300 } },
        credentials: { apiKey: 'akl-refused-0123456789abcdef', region: 'custom', customEndpoint: `http://127.0.0.1:${port}`, timeoutMs: 5000 },
      }),
      (error: Error & { context?: { code?: string } }) => {
        assert.equal(error.context?.code, 'NetworkError', error.message);
        assert.doesNotMatch(error.message, /no session was made|could not be looked up/);
        return true;
      },
    );
  });
});
