/**
 * The package in n8n's queue mode (scaling mode), the way to go beyond one machine: a real Redis,
 * one n8n main and two workers (A and B) sharing a database, workflows started the production way
 * (a webhook on the main, which enqueues; a worker runs). Proves the nodes run on any worker, the
 * session chains through the execution data whichever worker runs a step, and nothing leaks: no
 * session on the local server, no process after the cluster stops.
 */
import { strict as assert } from 'node:assert';
import type { LocalServer } from '../../local-server/server';
import { operations } from '../../nodes/core/catalogue/index';
import { n8nNodeName } from '../../nodes/core/catalogue/naming';
import { startLoggedServer, requestsFor } from '../support/logged-server';
import { installedN8nVersion, N8N_INSTALLS, N8nHost } from '../support/n8n-host';
import { N8nQueueCluster } from '../support/n8n-queue';

const install = N8N_INSTALLS[0];
const CREDENTIAL = { id: 'agentbayqueuecred', name: 'AgentBay local server' };
const ITEMS = 50;

const nodeType = (operationId: string) =>
  `n8n-nodes-agentbay.${n8nNodeName(operations.find((operation) => operation.id === operationId)!)}`;

type Node = Record<string, unknown> & { name: string };

const agentBay = (name: string, operation: string, parameters: Record<string, unknown> = {}): Node => ({
  name,
  type: nodeType(operation),
  typeVersion: 1,
  parameters,
  credentials: { agentBayApi: CREDENTIAL },
});

const webhook = (path: string): Node => ({
  name: 'Webhook',
  type: 'n8n-nodes-base.webhook',
  typeVersion: 2,
  webhookId: path,
  parameters: { httpMethod: 'POST', path, responseMode: 'responseNode', options: {} },
});

/** A Respond to Webhook node answering with the JSON an expression builds. */
const respond = (name: string, body: string): Node => ({
  name,
  type: 'n8n-nodes-base.respondToWebhook',
  typeVersion: 1.1,
  parameters: { respondWith: 'json', responseBody: `={{ JSON.stringify(${body}) }}`, options: {} },
});

/** A linear workflow of `nodes`, in order. */
function workflow(id: string, nodes: Node[]): Record<string, unknown> {
  const connections: Record<string, unknown> = {};
  for (let index = 0; index < nodes.length - 1; index++) {
    connections[nodes[index].name] = { main: [[{ node: nodes[index + 1].name, type: 'main', index: 0 }]] };
  }
  return {
    id,
    name: id,
    active: false,
    settings: { executionOrder: 'v1' },
    nodes: nodes.map((node, index) => ({ id: `${id}-${index}`, position: [200 * index, 0], ...node })),
    connections,
  };
}

/** Create → Execute Command → Delete per webhook call; the command appends the call's token to a file in the session. */
const chainWorkflow = workflow('agentbayqueuechain', [
  webhook('agentbay-queue-chain'),
  agentBay('Create', 'createSession', { labels: '{"queue":"chain"}' }),
  agentBay('Command', 'executeCommand', {
    command: "=echo {{ $('Webhook').first().json.body.token }} >> /home/wuying/tokens && cat /home/wuying/tokens",
  }),
  agentBay('Delete', 'deleteSession'),
  respond(
    'Respond',
    "{ token: $('Webhook').first().json.body.token, created: $('Create').first().json.sessionId, commandSession: $('Command').first().json.session.sessionId, stdout: $('Command').first().json.stdout, deleted: $json.deleted, deletedSession: $json.sessionId, worker: $env.AGENTBAY_QUEUE_WORKER }",
  ),
]);

/**
 * Create → First command → answer the webhook → Wait for the resume webhook → Second command →
 * Delete → answer the resume call. Each command prints the worker that ran it (evaluated there);
 * the second one reads the file the first one wrote, in the session taken from the execution data.
 */
const handoverWorkflow = workflow('agentbayqueuehandover', [
  webhook('agentbay-queue-handover'),
  agentBay('Create', 'createSession', { labels: '{"queue":"handover"}' }),
  agentBay('First', 'executeCommand', { command: '=echo first-on-{{ $env.AGENTBAY_QUEUE_WORKER }} > /home/wuying/first && cat /home/wuying/first' }),
  respond('Parked', "{ executionId: $execution.id, sessionId: $('Create').first().json.sessionId, first: $json.stdout }"),
  { name: 'Wait', type: 'n8n-nodes-base.wait', typeVersion: 1.1, webhookId: 'agentbay-queue-handover-wait', parameters: { resume: 'webhook', httpMethod: 'POST', responseMode: 'responseNode', options: {} } },
  agentBay('Second', 'executeCommand', {
    sessionId: "={{ $('First').first().json.session.sessionId }}",
    command: '=cat /home/wuying/first && echo second-on-{{ $env.AGENTBAY_QUEUE_WORKER }}',
  }),
  agentBay('Delete', 'deleteSession'),
  respond('Finished', "{ secondSession: $('Second').first().json.session.sessionId, second: $('Second').first().json.stdout, deleted: $json.deleted, deletedSession: $json.sessionId }"),
]);

/** POSTs JSON to n8n and returns the JSON answer; a failure shows `logs` (the cluster's output). */
async function post(url: string, body: unknown, logs: () => string): Promise<Record<string, unknown>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(180_000),
  });
  const text = await response.text();
  assert.equal(response.status, 200, `${url} answered ${response.status}: ${text.slice(0, 2000)}\n${logs()}`);
  return JSON.parse(text) as Record<string, unknown>;
}

describe(`real n8n ${installedN8nVersion(install) ?? '2.x (not installed: run scripts/setup-n8n-e2e.sh)'} in queue mode: Redis, one main, two workers`, function () {
  this.timeout(600_000);
  let server: LocalServer;
  let serverLog: string[];
  let n8n: N8nHost | undefined;
  let cluster: N8nQueueCluster | undefined;

  before(async () => {
    assert.ok(installedN8nVersion(install)?.startsWith('2.'), `n8n 2.x is installed in ${install.dir}`);
    ({ server, lines: serverLog } = await startLoggedServer());
    n8n = await N8nHost.create(install);
    // One after the other: the first CLI run migrates the new database, and two at once would both try.
    await n8n.importCredentials([
      { ...CREDENTIAL, type: 'agentBayApi', data: { apiKey: server.apiKey, region: 'custom', customEndpoint: server.url, timeoutMs: 60000 } },
    ]);
    await n8n.importWorkflows([chainWorkflow, handoverWorkflow]);
    // Each CLI run boots n8n (seconds on a loaded machine); on the migrated database two can run at
    // once. Both are awaited even when one fails, so none outlives the user folder.
    const published = await Promise.allSettled([chainWorkflow, handoverWorkflow].map((definition) => n8n!.publishWorkflow(String(definition.id))));
    for (const outcome of published) if (outcome.status === 'rejected') throw outcome.reason;
    cluster = await N8nQueueCluster.start(n8n, ['A', 'B']);
  });
  after(async () => {
    await cluster?.stop();
    n8n?.dispose();
    await server?.close();
  });

  it(`runs Create Session → Execute Command → Delete Session for ${ITEMS} webhook calls on both workers, each command in its own session`, async () => {
    const tokens = Array.from({ length: ITEMS }, (_, index) => `token-${index}-${Math.random().toString(36).slice(2, 10)}`);
    const answers = await Promise.all(tokens.map((token) => post(`${cluster!.mainUrl}/webhook/agentbay-queue-chain`, { token }, () => cluster!.logs())));

    const sessions = new Set<string>();
    for (const [index, answer] of answers.entries()) {
      const token = tokens[index];
      assert.equal(answer.token, token);
      const sessionId = answer.created as string;
      assert.match(sessionId, /^session-/);
      sessions.add(sessionId);
      assert.equal(answer.commandSession, sessionId, `${token}: the command ran in the session Create made`);
      // A fresh file holding only this call's token: no other call's command ran in this session.
      assert.equal(answer.stdout, `${token}\n`);
      assert.deepEqual({ deleted: answer.deleted, sessionId: answer.deletedSession }, { deleted: true, sessionId });
      // The local server saw exactly one command on this session, and its deletion.
      assert.equal(requestsFor(serverLog, 'CallMcpTool', sessionId), 1, `one command on ${sessionId}`);
      assert.ok(requestsFor(serverLog, 'DeleteSessionAsync', sessionId) >= 1, `${sessionId} deleted`);
    }
    assert.equal(sessions.size, ITEMS, 'every call had its own session');
    const perWorker: Record<string, number> = {};
    for (const answer of answers) perWorker[String(answer.worker)] = (perWorker[String(answer.worker)] ?? 0) + 1;
    assert.deepEqual(Object.keys(perWorker).sort(), ['A', 'B'], `both workers ran executions (${JSON.stringify(perWorker)})`);
    assert.equal(server.sessionCount(), 0, 'no session left on the server');
  });

  it('chains one session across workers: A runs the steps before a Wait, B resumes and runs the rest', async () => {
    // Only A takes jobs while the execution starts.
    await cluster!.stopWorker('B');
    const parked = await post(`${cluster!.mainUrl}/webhook/agentbay-queue-handover`, {}, () => cluster!.logs());
    const sessionId = parked.sessionId as string;
    assert.match(sessionId, /^session-/);
    assert.equal(parked.first, 'first-on-A\n');
    // A stops gracefully, so the execution is parked at the Wait node first; then only B can resume it.
    await cluster!.stopWorker('A');
    assert.equal(server.sessionCount(), 1, 'the session lives on while the execution waits');
    await cluster!.startWorker('B');

    const finished = await post(`${cluster!.mainUrl}/webhook-waiting/${String(parked.executionId)}`, {}, () => cluster!.logs());
    assert.equal(finished.secondSession, sessionId, 'the step on B works in the session A created');
    assert.equal(finished.second, 'first-on-A\nsecond-on-B\n', 'B reads the file A wrote, in the same session');
    assert.deepEqual({ deleted: finished.deleted, sessionId: finished.deletedSession }, { deleted: true, sessionId });
    assert.equal(server.sessionCount(), 0, 'no session left on the server');
  });

  it('stops Redis, the main, the workers and everything they spawned', async () => {
    const running = cluster!;
    assert.ok(running.leftoverPids().length >= 3, 'Redis, the main and a worker run before');
    await running.stop();
    cluster = undefined;
    assert.deepEqual(running.leftoverPids(), []);
  });
});
