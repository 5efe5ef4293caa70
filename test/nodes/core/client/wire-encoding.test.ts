/**
 * The client's requests, captured at a real HTTP server, against the SDK's request of
 * docs/protocol.md §2.4: same action, common query parameters, headers, and the same body
 * parameters with the same values and JSON-string encodings.
 */
import { strict as assert } from 'node:assert';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AgentBayClient } from '../../../../nodes/core/client/client';
import { operationById } from '../../../../nodes/core/catalogue/index';
import { runOperation } from '../../../../nodes/core/run-operation';

interface Captured {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** The body of docs/protocol.md §2.4, byte for byte, minus SdkStats (which names the sender). */
const SDK_BODY_WITHOUT_STATS =
  'Authorization=Bearer%20akm-xxxx&ImageId=linux_latest&Labels=%7B%22project%22%3A%22demo%22%7D&PersistenceDataList=%5B%7B%22ContextId%22%3A%22SdkCtx-04bdwfj7u22a1s30g%22%2C%22Path%22%3A%22%2Fhome%2Fwuying%2Fdata%22%2C%22Policy%22%3A%22%7B%5C%22uploadPolicy%5C%22%3A%7B%5C%22autoUpload%5C%22%3Atrue%7D%7D%22%7D%5D';

describe('client wire encoding (capturing server)', () => {
  let server: Server;
  let captured: Captured[];
  let baseUrl: string;
  let reply: (action: string) => { status: number; body: unknown; headers?: Record<string, string> };

  before(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        captured.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString() });
        const action = new URL(req.url ?? '/', 'http://x').searchParams.get('Action') ?? '';
        const answer = reply(action);
        res.writeHead(answer.status, { 'content-type': 'application/json', ...(answer.headers ?? {}) });
        res.end(typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => {
    captured = [];
    reply = () => ({
      status: 200,
      body: { RequestId: 'REQ-1', Success: true, Code: 'ok', Message: '', HttpStatusCode: 200, Data: { SessionId: 'session-1', ToolList: '[]' } },
    });
  });

  const fixedClock = { now: () => new Date('2026-01-29T09:21:48.123Z'), sleep: async () => undefined };
  const client = (retry = { maxRetries: 0, baseDelayMs: 1 }) =>
    new AgentBayClient({ apiKey: 'akm-xxxx', region: 'custom', customEndpoint: baseUrl, retry, clock: fixedClock });

  it('encodes CreateMcpSession exactly as the SDK example (§2.4)', async () => {
    const c = client();
    await runOperation(operationById('createSession'), {
      rawParameters: {
        imageId: 'linux_latest',
        labels: { project: 'demo' },
        contextSyncs: [{ contextId: 'SdkCtx-04bdwfj7u22a1s30g', path: '/home/wuying/data', policy: { uploadPolicy: { autoUpload: true } } }],
      },
      sessionField: 'Session',
      getClient: () => c,
      progress: () => undefined,
      clock: fixedClock,
    });
    c.close();
    const create = captured[0];
    assert.equal(create.method, 'POST');
    const url = new URL(create.url, 'http://x');
    assert.equal(url.pathname, '/');
    assert.deepEqual([...url.searchParams.keys()], ['Action', 'Format', 'Version', 'Timestamp', 'SignatureNonce']);
    assert.equal(url.searchParams.get('Action'), 'CreateMcpSession');
    assert.equal(url.searchParams.get('Format'), 'json');
    assert.equal(url.searchParams.get('Version'), '2025-05-06');
    assert.equal(url.searchParams.get('Timestamp'), '2026-01-29T09:21:48Z');
    assert.match(url.searchParams.get('SignatureNonce') ?? '', /^[0-9a-f]{64}$/);
    assert.equal(create.headers['x-acs-action'], 'CreateMcpSession');
    assert.equal(create.headers['x-acs-version'], '2025-05-06');
    assert.equal(create.headers['content-type'], 'application/x-www-form-urlencoded');
    assert.equal(create.headers.authorization, undefined, 'the key is a parameter, never an Authorization header');

    const [withoutStats, stats] = create.body.split('&SdkStats=');
    // Labels carry the user's labels plus the package's creation stamp and client token (after them).
    const form = new URLSearchParams(withoutStats);
    const labels = JSON.parse(form.get('Labels') ?? '') as Record<string, string>;
    assert.deepEqual(Object.keys(labels), ['project', 'agentbay-created-at', 'agentbay-client-token']);
    assert.equal(labels['agentbay-created-at'], '2026-01-29T09:21:48.123Z');
    assert.match(labels['agentbay-client-token'], /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const sdkLabels = encodeURIComponent(JSON.stringify({ project: 'demo' }));
    assert.equal(withoutStats.replace(/&Labels=[^&]*/, `&Labels=${sdkLabels}`), SDK_BODY_WITHOUT_STATS);
    const sdkStats = JSON.parse(decodeURIComponent(stats)) as Record<string, unknown>;
    assert.deepEqual(Object.keys(sdkStats), ['source', 'sdk_language', 'sdk_version', 'is_release', 'framework']);
    // The create waited for the context sync it asked for, with SessionId in the body.
    assert.equal(new URL(captured[1].url, 'http://x').searchParams.get('Action'), 'GetContextInfo');
  });

  it('puts SessionId in the query string for GetSessionDetail and omits null parameters', async () => {
    const c = client();
    // Fields outside the typed request, on purpose: the encoder must still drop null ones and keep empty ones.
    const params = { SessionId: 'session-9', Unused: undefined, Empty: '' } as { SessionId: string };
    await c.call('GetSessionDetail', params);
    c.close();
    const url = new URL(captured[0].url, 'http://x');
    assert.equal(url.searchParams.get('SessionId'), 'session-9');
    assert.equal(captured[0].body, 'Authorization=Bearer%20akm-xxxx&Empty=');
  });

  it('puts Authorization in the query string for SyncContext and sends GetAndLoadInternalContext as GET', async () => {
    const c = client();
    await c.call('SyncContext', { SessionId: 's', Mode: 'upload' });
    await c.call('GetAndLoadInternalContext', { SessionId: 's', 'ContextTypes.1': 'file_transfer' });
    c.close();
    assert.equal(new URL(captured[0].url, 'http://x').searchParams.get('Authorization'), 'Bearer akm-xxxx');
    assert.equal(captured[0].body, 'Mode=upload&SessionId=s');
    assert.equal(captured[1].method, 'GET');
    assert.equal(captured[1].body, '');
    const get = new URL(captured[1].url, 'http://x').searchParams;
    assert.equal(get.get('ContextTypes.1'), 'file_transfer');
    assert.equal(get.get('Authorization'), 'Bearer akm-xxxx');
  });

  it('turns an error envelope into one typed error with code, request id and status', async () => {
    reply = () => ({
      status: 400,
      body: { RequestId: 'REQ-E1', Code: 'InvalidMcpSession.NotFound', Message: 'The specified session does not exist.', HttpStatusCode: 400, Success: false },
    });
    const c = client();
    await assert.rejects(c.call('GetSession', { SessionId: 'x' }), (error: Record<string, unknown>) => {
      assert.equal(error.name, 'AgentBayError');
      assert.equal(error.code, 'InvalidMcpSession.NotFound');
      assert.equal(error.requestId, 'REQ-E1');
      assert.equal(error.httpStatus, 400);
      assert.equal(error.message, '[InvalidMcpSession.NotFound] The specified session does not exist.');
      assert.equal(error.isNotFound, true);
      return true;
    });
    c.close();
  });

  it('treats Success:false with a Code on HTTP 200 as a failure', async () => {
    reply = () => ({ status: 200, body: { RequestId: 'R', Success: false, Code: 'QuotaExceeded', Message: 'Too many sessions' } });
    const c = client();
    await assert.rejects(c.call('CreateMcpSession', {}), /\[QuotaExceeded\] Too many sessions/);
    c.close();
  });

  it('marks throttling with retry-after and retries it, even for writes', async () => {
    let calls = 0;
    let throttleUntil = 1;
    reply = () => {
      calls++;
      return calls <= throttleUntil
        ? { status: 400, body: { RequestId: 'T', Code: 'Throttling.User', Message: 'slow down' }, headers: { 'x-acs-retry-after': '0' } }
        : { status: 200, body: { RequestId: 'OK', Success: true, Code: 'ok', Data: { SessionId: 's' } } };
    };
    const c = client({ maxRetries: 2, baseDelayMs: 1 });
    const envelope = await c.call('CreateMcpSession', {});
    assert.equal(envelope.RequestId, 'OK');
    assert.equal(calls, 2);
    c.close();

    throttleUntil = Number.POSITIVE_INFINITY;
    const noRetry = client();
    await assert.rejects(noRetry.call('CreateMcpSession', {}), (error: Record<string, unknown>) => {
      assert.equal(error.throttled, true);
      assert.equal(error.retryAfterSeconds, 0);
      assert.equal(error.retryable, true);
      return true;
    });
    noRetry.close();
  });

  it('never repeats a write after a 5xx (it may have run), but repeats a read', async () => {
    let calls = 0;
    reply = () => {
      calls++;
      return { status: 503, body: { RequestId: 'X', Code: 'ServiceUnavailable', Message: 'busy' } };
    };
    const c = client({ maxRetries: 2, baseDelayMs: 1 });
    await assert.rejects(c.call('CreateMcpSession', {}), /ServiceUnavailable/);
    assert.equal(calls, 1);
    calls = 0;
    await assert.rejects(c.call('ListSession', { Labels: '{}' }), /ServiceUnavailable/);
    assert.equal(calls, 3);
    c.close();
  });

  it('reports a body that is not JSON without leaking the key', async () => {
    reply = () => ({ status: 502, body: '<html>Bad gateway Bearer akm-xxxx</html>' });
    const c = client();
    await assert.rejects(c.call('GetSession', { SessionId: 's' }), (error: Error) => {
      assert.match(error.message, /not JSON/);
      assert.doesNotMatch(error.message, /akm-xxxx/);
      return true;
    });
    c.close();
  });

  it('maps a refused connection to a retryable NetworkError without the key', async () => {
    const c = new AgentBayClient({ apiKey: 'akm-secret-key', region: 'custom', customEndpoint: 'http://127.0.0.1:1', retry: { maxRetries: 0, baseDelayMs: 1 } });
    await assert.rejects(c.call('GetSession', { SessionId: 's' }), (error: Record<string, unknown> & Error) => {
      assert.equal(error.code, 'NetworkError');
      assert.equal(error.retryable, true);
      assert.doesNotMatch(JSON.stringify(error.toJSON ? (error as unknown as { toJSON(): unknown }).toJSON() : error), /akm-secret-key/);
      return true;
    });
    c.close();
  });

  it('resolves regions and custom endpoints, rejecting malformed ones by field', () => {
    assert.equal(new AgentBayClient({ apiKey: 'k' }).baseUrl, 'https://wuyingai.cn-shanghai.aliyuncs.com');
    assert.equal(new AgentBayClient({ apiKey: 'k', region: 'ap-southeast-1' }).baseUrl, 'https://wuyingai.ap-southeast-1.aliyuncs.com');
    assert.equal(new AgentBayClient({ apiKey: 'k', region: 'custom', customEndpoint: 'http://127.0.0.1:8720/' }).baseUrl, 'http://127.0.0.1:8720');
    assert.throws(() => new AgentBayClient({ apiKey: 'k', region: 'custom', customEndpoint: '127.0.0.1:8720' }), /Custom Endpoint must be a URL including the scheme/);
    assert.throws(() => new AgentBayClient({ apiKey: 'k', region: 'mars' }), /Region must be one of/);
    assert.throws(() => new AgentBayClient({ apiKey: ' ' }), /API Key is required/);
  });
});
