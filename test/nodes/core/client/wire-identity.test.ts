/**
 * How the package identifies itself and what it sends, captured at a real HTTP server: CallMcpTool's
 * Server from the session's tool list, an honest SdkStats and User-Agent, no SyncContext Mode, and
 * for every Action these flows send, only parameters docs/protocol.md §3 lists for it.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { AgentBayClient } from '../../../../nodes/core/client/client';
import { operationById } from '../../../../nodes/core/catalogue/index';
import { PACKAGE_NAME, PACKAGE_VERSION } from '../../../../nodes/core/catalogue/version';
import { runOperation } from '../../../../nodes/core/run-operation';

interface Captured {
  action: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: URLSearchParams;
}

const TOOL_LIST = JSON.stringify([
  { name: 'shell', server: 'wuying_shell', description: '', inputSchema: {}, tool: 'shell' },
  { name: 'get_file_info', server: 'wuying_filesystem', description: '', inputSchema: {}, tool: 'get_file_info' },
]);

/** Request parameters per Action, from the second column of docs/protocol.md §3's tables. */
function documentedParameters(): Map<string, Set<string>> {
  const doc = readFileSync(path.resolve(__dirname, '../../../../../docs/protocol.md'), 'utf8');
  const section = doc.slice(doc.indexOf('## 3. Actions'), doc.indexOf('## 4. How answers become results'));
  const byAction = new Map<string, Set<string>>();
  for (const line of section.split('\n')) {
    const cells = line.split(' | ');
    const action = /^\| `(\w+)`/.exec(line)?.[1];
    if (!action || cells.length < 2) continue;
    const names = [...cells[1].matchAll(/`(\w+)[?=`]/g)].map((m) => m[1]);
    byAction.set(action, new Set(names));
  }
  return byAction;
}

describe('client wire identity (capturing server)', () => {
  let server: Server;
  let captured: Captured[];
  let baseUrl: string;

  before(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const url = new URL(req.url ?? '/', 'http://x');
        const action = url.searchParams.get('Action') ?? '';
        captured.push({ action, query: url.searchParams, headers: req.headers, body: new URLSearchParams(Buffer.concat(chunks).toString()) });
        const data: Record<string, unknown> = {
          CreateMcpSession: { SessionId: 'session-created', ToolList: TOOL_LIST },
          GetSession: { SessionId: 'session-typed', Status: 'RUNNING', ToolList: TOOL_LIST },
          CallMcpTool: { content: [{ type: 'text', text: 'hi' }], isError: false },
          GetSessionDetail: { Status: 'FINISH' },
        };
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ RequestId: 'REQ-1', Success: true, Code: 'ok', Message: '', HttpStatusCode: 200, Data: data[action] }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => {
    captured = [];
  });

  const clock = { now: () => new Date(), sleep: async () => undefined };
  const newClient = (framework = 'node-red') =>
    new AgentBayClient({ apiKey: 'akm-xxxx', region: 'custom', customEndpoint: baseUrl, framework, clock, retry: { maxRetries: 0, baseDelayMs: 1 } });

  async function run(client: AgentBayClient, operationId: string, rawParameters: Record<string, unknown>, sessionId?: string) {
    return runOperation(operationById(operationId), {
      rawParameters,
      rawSession: sessionId ? { sessionId, imageId: 'linux_latest' } : undefined,
      sessionField: 'Session',
      getClient: () => client,
      progress: () => undefined,
      clock,
    });
  }

  it('sends the Server of the tool from Create Session\'s tool list, an honest SdkStats and User-Agent', async () => {
    const client = newClient('n8n');
    await run(client, 'createSession', {});
    await run(client, 'executeCommand', { command: 'echo hi' }, 'session-created');
    await run(client, 'readFile', { path: '/tmp/x' }, 'session-created');
    client.close();
    assert.deepEqual(captured.filter((c) => c.action !== 'CallMcpTool').map((c) => c.action), ['CreateMcpSession'], 'no extra request for the tool list');
    const sent = captured.filter((c) => c.action === 'CallMcpTool').map((c) => `${c.body.get('Name')}@${c.body.get('Server')}`);
    assert.ok(sent.includes('shell@wuying_shell'), sent.join());
    assert.ok(sent.includes('get_file_info@wuying_filesystem'), sent.join());
    // A tool missing from the list goes with Server "", as the SDK sends it.
    for (const each of sent) assert.ok(/^(shell@wuying_shell|get_file_info@wuying_filesystem|\w+@)$/.test(each), each);
    const stats = JSON.parse(captured[0].body.get('SdkStats') ?? '') as Record<string, unknown>;
    assert.deepEqual(stats, { source: PACKAGE_NAME, sdk_language: 'typescript', sdk_version: PACKAGE_VERSION, is_release: true, framework: 'n8n' });
    for (const request of captured) {
      assert.equal(request.headers['user-agent'], `${PACKAGE_NAME}/${PACKAGE_VERSION} (n8n) Node.js/${process.version}`);
    }
  });

  it('reads the tool list of a session it did not create once with GetSession, then caches it', async () => {
    const client = newClient();
    await run(client, 'executeCommand', { command: 'echo 1' }, 'session-typed');
    await run(client, 'executeCommand', { command: 'echo 2' }, 'session-typed');
    client.close();
    assert.deepEqual(captured.map((c) => c.action), ['GetSession', 'CallMcpTool', 'CallMcpTool']);
    assert.equal(captured[0].body.get('SessionId'), 'session-typed');
    assert.deepEqual(captured.slice(1).map((c) => c.body.get('Server')), ['wuying_shell', 'wuying_shell']);
  });

  it('sends SyncContext without Mode, as the SDK does by default', async () => {
    const client = newClient();
    await run(client, 'deleteSession', { syncContext: true }, 'session-typed');
    client.close();
    const sync = captured.find((c) => c.action === 'SyncContext');
    assert.ok(sync, 'SyncContext was sent');
    assert.deepEqual([...sync.body.keys()], ['SessionId']);
    assert.equal(sync.query.get('Authorization'), 'Bearer akm-xxxx');
  });

  it('sends only the parameters docs/protocol.md §3 lists for each Action', async () => {
    const documented = documentedParameters();
    const client = newClient();
    await run(client, 'createSession', { imageId: 'linux_latest', labels: { a: 'b' }, policyId: 'p' });
    await run(client, 'executeCommand', { command: 'echo hi' }, 'session-created');
    await run(client, 'getLabels', {}, 'session-created');
    await run(client, 'setLabels', { labels: { a: 'c' } }, 'session-created');
    await run(client, 'getStatus', {}, 'session-created');
    await run(client, 'getSession', {}, 'session-typed');
    await run(client, 'listSessions', { labels: { a: 'b' } });
    await run(client, 'deleteSession', { syncContext: true }, 'session-created');
    client.close();
    const common = new Set(['Action', 'Format', 'Version', 'Timestamp', 'SignatureNonce', 'Authorization']);
    const seen = new Set<string>();
    for (const request of captured) {
      seen.add(request.action);
      const allowed = documented.get(request.action);
      assert.ok(allowed, `${request.action} is documented in docs/protocol.md §3`);
      for (const key of [...request.query.keys(), ...request.body.keys()]) {
        if (common.has(key)) continue;
        assert.ok(allowed.has(key), `${request.action} sends ${key}, which docs/protocol.md §3 does not list`);
      }
    }
    for (const action of ['CreateMcpSession', 'CallMcpTool', 'GetLabel', 'SetLabel', 'GetSessionDetail', 'GetSession', 'ListSession', 'SyncContext', 'DeleteSessionAsync']) {
      assert.ok(seen.has(action), `${action} was exercised`);
    }
  });
});
