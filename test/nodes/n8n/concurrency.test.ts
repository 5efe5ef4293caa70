/**
 * Options › Concurrency on the n8n nodes, through the real n8n-workflow execute path against the
 * local server with injected latency: items overlap at the server up to the setting and never
 * beyond, output order and pairedItem follow the input, Continue On Fail stays per item, a failure
 * or a cancellation starts no further item, and a bad setting is refused before any request.
 */
import { strict as assert } from 'node:assert';
import { NodeApiError, NodeOperationError, type IDataObject, type INodeExecutionData } from 'n8n-workflow';
import type { LocalServer } from '../../../local-server/server';
import { MAX_CONCURRENCY } from '../../../nodes/n8n/properties';
import { waitFor } from '../../support/wait';
import { clientFor, connectionFor, startTestServer } from '../../support/local-server';
import { executeN8nNode, loadN8nNode } from '../../support/n8n';

const ITEMS = 100;
const LATENCY_MS = 50;
/** Every 7th item names a session that does not exist. */
const isBad = (index: number): boolean => index % 7 === 3;

describe('n8n: Options › Concurrency', function () {
  this.timeout(60_000);
  let server: LocalServer;
  let sessionId: string;
  let items: INodeExecutionData[];

  before(async () => {
    server = await startTestServer();
    const client = clientFor(server);
    sessionId = String((await client.call('CreateMcpSession', { ImageId: 'linux_latest' })).Data?.SessionId);
    client.close();
    items = Array.from({ length: ITEMS }, (_, index) => ({
      json: { n: index, session: { sessionId: isBad(index) ? `session-missing-${index}` : sessionId } },
    }));
  });
  afterEach(() => server.setFaults({}));
  after(async () => {
    const client = clientFor(server);
    await client.call('DeleteSessionAsync', { SessionId: sessionId });
    client.close();
    await server.close();
  });

  const getSessions = (concurrency: number | string | undefined, extra: { continueOnFail?: boolean; signal?: AbortSignal } = {}) =>
    executeN8nNode('getSession', {
      items,
      parameters: concurrency === undefined ? {} : { options: { concurrency } },
      credentials: connectionFor(server),
      ...extra,
    });

  it('offers Concurrency on every node, default 1, bounded to 1..50', () => {
    for (const operationId of ['createSession', 'executeCommand', 'writeFile', 'generateContextName', 'deleteSession']) {
      const options = loadN8nNode(operationId).description.properties.find((property) => property.name === 'options');
      const concurrency = (options?.options as Array<{ name: string; default?: unknown; typeOptions?: Record<string, unknown> }>).find(
        (option) => option.name === 'concurrency',
      );
      assert.ok(concurrency, `${operationId} has Options › Concurrency`);
      assert.equal(concurrency.default, 1);
      assert.deepEqual(concurrency.typeOptions, { minValue: 1, maxValue: MAX_CONCURRENCY, numberPrecision: 0 });
    }
  });

  it('runs 100 items 10 at a time: in order, paired, errors per item', async () => {
    server.setFaults({ latencyMs: LATENCY_MS, onlyActions: ['GetSession'] });
    const output = (await getSessions(10, { continueOnFail: true })).output[0];

    const stats = server.faultStats();
    assert.equal(stats.requests, ITEMS, 'one GetSession per item');
    assert.ok(stats.maxInFlight > 1, `items overlapped at the server (max in flight ${stats.maxInFlight})`);
    assert.ok(stats.maxInFlight <= 10, `never more than Concurrency in flight (max ${stats.maxInFlight})`);

    assert.equal(output.length, ITEMS);
    output.forEach((item, index) => {
      assert.deepEqual(item.pairedItem, { item: index });
      if (isBad(index)) {
        assert.match(String(item.json.error), /NotFound|not found/i, `item ${index} failed on its own`);
        assert.equal((item.json.session as IDataObject).sessionId, `session-missing-${index}`, 'the failed item keeps its session');
      } else {
        assert.equal(item.json.error, undefined, `item ${index} succeeded`);
        assert.equal(item.json.sessionId, sessionId);
        assert.equal(item.json.status, 'RUNNING');
      }
    });
  });

  it('runs one item at a time by default', async () => {
    server.setFaults({ latencyMs: 5, onlyActions: ['GetSession'] });
    const output = (await getSessions(undefined, { continueOnFail: true })).output[0];
    assert.equal(output.length, ITEMS);
    assert.equal(server.faultStats().maxInFlight, 1);
  });

  it('without Continue On Fail, throws the first failing item and starts no item after the failure', async () => {
    server.setFaults({ latencyMs: LATENCY_MS, onlyActions: ['GetSession'] });
    await assert.rejects(getSessions(10), (error: unknown) => {
      assert.ok(error instanceof NodeApiError, String(error));
      assert.equal(error.context.itemIndex, 3, 'the lowest failing item, as a sequential run reports');
      return true;
    });
    const requests = server.faultStats().requests;
    assert.ok(requests < ITEMS, `items after the failure did not start (${requests} requests)`);
    assert.ok(requests <= 3 + 1 + 10, `at most the items already in flight ran on (${requests} requests)`);
  });

  it('a cancelled execution starts no further item and leaves none running', async () => {
    server.setFaults({ latencyMs: LATENCY_MS, onlyActions: ['GetSession'] });
    const cancel = new AbortController();
    const goodItems = items.filter((_, index) => !isBad(index));
    const running = executeN8nNode('getSession', {
      items: goodItems,
      parameters: { options: { concurrency: 10 } },
      credentials: connectionFor(server),
      signal: cancel.signal,
    });
    await waitFor(() => server.faultStats().requests >= 20, 20_000, '20 items sent');
    cancel.abort();
    await assert.rejects(running, /abort/i);
    const requestsAtEnd = server.faultStats().requests;
    assert.ok(requestsAtEnd < goodItems.length, `cancellation stopped the items (${requestsAtEnd} of ${goodItems.length} sent)`);
    // Everything the run started had settled when it returned: nothing more arrives afterwards.
    const client = clientFor(server);
    await client.call('GetSession', { SessionId: sessionId });
    client.close();
    assert.equal(server.faultStats().requests, requestsAtEnd + 1);
  });

  for (const bad of [0, MAX_CONCURRENCY + 1, 2.5, '={{ "many" }}']) {
    it(`refuses Concurrency ${JSON.stringify(bad)} naming the field, before any request`, async () => {
      server.setFaults({ onlyActions: ['GetSession'] });
      await assert.rejects(getSessions(bad), (error: unknown) => {
        assert.ok(error instanceof NodeOperationError, String(error));
        assert.match(error.message, /Concurrency must be a whole number from 1 to 50/);
        return true;
      });
      assert.equal(server.faultStats().requests, 0);
    });
  }
});
