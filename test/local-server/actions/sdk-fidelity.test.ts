/**
 * Fidelity with the official SDK's RPC core: @alicloud/openapi-core 1.0.8, driven exactly the
 * way the SDK's generated client drives it (signatureAlgorithm "v2" → doRPCRequest; Anonymous,
 * formData body, json answer, RPC style, version 2025-05-06, POST /), with the protocol
 * switched to HTTP as docs/protocol.md §8 Option 1 says. Answers go through `$dara.cast`
 * against SDK-shaped models, so a wrongly typed field fails the test.
 */
import { strict as assert } from 'node:assert';
import OpenApi, { $OpenApiUtil, ClientError, OpenApiUtil, ThrottlingError } from '@alicloud/openapi-core';
import * as $dara from '@darabonba/typescript';
import { startLocalServer, type LocalServer } from '../../../local-server/server';
import * as M from '../../support/sdk-models';
import { waitFor } from '../../support/wait';

type Params = Record<string, string | number | boolean>;

/** The SDK's generated Client constructor, minus the endpoint rules it never uses. */
class AgentBayRpcClient extends OpenApi {
  constructor(config: $OpenApiUtil.Config) {
    super(config);
    this._signatureAlgorithm = 'v2';
    this._endpointRule = '';
    this.checkConfig(config);
  }

  /** Like `<action>WithOptions`: body params in the form, optional query params, cast to `model`. */
  async rpc<T>(action: string, model: typeof $dara.Model, body: Params, query?: Params): Promise<T> {
    const req = new $OpenApiUtil.OpenApiRequest({
      body: OpenApiUtil.parseToMap(body),
      ...(query ? { query: OpenApiUtil.query(query) } : {}),
    });
    const params = new $OpenApiUtil.Params({
      action,
      version: '2025-05-06',
      protocol: 'HTTPS',
      pathname: '/',
      method: 'POST',
      authType: 'Anonymous',
      style: 'RPC',
      reqBodyType: 'formData',
      bodyType: 'json',
    });
    const raw: unknown = await this.callApi(params, req, new $dara.RuntimeOptions({}));
    return $dara.cast(raw, new model({})) as unknown as T;
  }
}

interface Response<D> {
  statusCode: number;
  body: {
    RequestId: string;
    Success: boolean;
    Code: string;
    Message: string;
    HttpStatusCode: number;
    Data: D;
    NextToken?: string;
    MaxResults?: number;
    TotalCount?: number;
  };
}

interface CreateData {
  SessionId: string;
  ToolList: string;
  LinkUrl: string;
  Token: string;
  ResourceUrl: string;
  Success: boolean;
}

function clientFor(server: LocalServer): AgentBayRpcClient {
  const client = new AgentBayRpcClient(
    new $OpenApiUtil.Config({ endpoint: server.endpoint, regionId: 'cn-shanghai', readTimeout: 60000, connectTimeout: 60000 }),
  );
  // docs/protocol.md §8 Option 1: honoured because openapi-core uses `this._protocol || "HTTPS"`.
  client._protocol = 'HTTP';
  return client;
}

const SDK_STATS = JSON.stringify({ source: 'sdk', sdk_language: 'typescript', sdk_version: '0.15.1', is_release: true, framework: '' });

describe('local server: fidelity with the official SDK RPC core (openapi-core 1.0.8)', () => {
  let server: LocalServer;
  let client: AgentBayRpcClient;
  let auth: string;

  before(async () => {
    server = await startLocalServer({ port: 0, deleteDelayMs: 200 });
    client = clientFor(server);
    auth = `Bearer ${server.apiKey}`;
  });
  after(async () => {
    await server.close();
  });

  it('does not depend on openapi-core\'s skipped postinstall (select-version only acts on Node 10/12)', () => {
    assert.ok(Number(process.versions.node.split('.')[0]) >= 14);
    assert.equal(typeof OpenApi.prototype.callApi, 'function');
  });

  it('runs a whole session through the SDK wire calls', async () => {
    const created = await client.rpc<Response<CreateData>>('CreateMcpSession', M.responseModel(M.CreateMcpSessionData), {
      Authorization: auth,
      ImageId: 'linux_latest',
      Labels: JSON.stringify({ project: 'fidelity' }),
      SdkStats: SDK_STATS,
    });
    assert.equal(created.statusCode, 200);
    assert.equal(created.body.Success, true);
    assert.equal(created.body.Code, 'ok');
    const data = created.body.Data;
    assert.equal(data.Success, true);
    assert.equal(data.LinkUrl, '');
    assert.equal(data.Token, '');
    const tools = JSON.parse(data.ToolList) as Array<{ name: string; server: string }>;
    assert.ok(tools.some((t) => t.name === 'shell'));
    const sessionId = data.SessionId;

    const got = await client.rpc<Response<{ Status: string; ToolList: string; contexts?: unknown[] }>>(
      'GetSession',
      M.responseModel(M.GetSessionData),
      { Authorization: auth, SessionId: sessionId },
    );
    assert.equal(got.body.Data.Status, 'RUNNING');
    assert.equal(typeof got.body.Data.ToolList, 'string');

    const listed = await client.rpc<Response<Array<{ SessionId: string; SessionStatus: string }>>>(
      'ListSession',
      M.responseModel({ type: 'array', itemType: M.ListSessionItem }),
      { Authorization: auth, Labels: JSON.stringify({ project: 'fidelity' }), MaxResults: 10 },
    );
    assert.deepEqual(
      listed.body.Data.map((d) => d.SessionId),
      [sessionId],
    );
    assert.equal(listed.body.TotalCount, 1);
    assert.equal(listed.body.NextToken, '');

    const shell = tools.find((t) => t.name === 'shell');
    const called = await client.rpc<Response<{ content: Array<{ type: string; text: string }>; isError: boolean }>>(
      'CallMcpTool',
      M.responseModel('any'),
      {
        Args: JSON.stringify({ command: 'echo fidelity-ok', timeout_ms: 5000 }),
        Authorization: auth,
        AutoGenSession: false,
        Name: 'shell',
        Server: shell?.server ?? '',
        SessionId: sessionId,
      },
    );
    assert.equal(called.body.Data.isError, false, JSON.stringify(called.body.Data));
    assert.match(called.body.Data.content[0].text, /fidelity-ok/);

    await client.rpc('SetLabel', M.responseModel('any'), {
      Authorization: auth,
      Labels: JSON.stringify({ project: 'fidelity', stage: 'labelled' }),
      SessionId: sessionId,
    });
    const labels = await client.rpc<Response<{ Labels: string }>>('GetLabel', M.responseModel(M.GetLabelData), {
      Authorization: auth,
      SessionId: sessionId,
    });
    assert.deepEqual(JSON.parse(labels.body.Data.Labels), { project: 'fidelity', stage: 'labelled' });
    assert.equal(labels.body.TotalCount, 2);

    const link = await client.rpc<Response<{ Url: string }>>('GetLink', M.responseModel(M.GetLinkData), {
      Authorization: auth,
      Port: 30101,
      SessionId: sessionId,
    });
    assert.match(link.body.Data.Url, /\/ports\/30101$/);
    await client.rpc('GetMcpResource', M.responseModel(M.GetMcpResourceData), { Authorization: auth, SessionId: sessionId });
    const ctx = await client.rpc<Response<{ ContextStatus: string }>>('GetContextInfo', M.responseModel(M.GetContextInfoData), {
      Authorization: auth,
      SessionId: sessionId,
    });
    assert.equal(ctx.body.Data.ContextStatus, '[]');
    const mcpTools = await client.rpc<Response<string>>('ListMcpTools', M.responseModel('string'), {
      Authorization: auth,
      ImageId: 'linux_latest',
    });
    assert.ok(Array.isArray(JSON.parse(mcpTools.body.Data)));

    const deleted = await client.rpc<Response<undefined>>('DeleteSessionAsync', M.responseModel('any'), {
      Authorization: auth,
      SessionId: sessionId,
    });
    assert.equal(deleted.body.Success, true);

    // Session.delete's polling: GetSessionDetail with SessionId in the query string, until FINISH.
    const detail = (): Promise<Response<{ Status: string }>> =>
      client.rpc('GetSessionDetail', M.responseModel(M.GetSessionDetailData), { Authorization: auth }, { SessionId: sessionId });
    assert.equal((await detail()).body.Data.Status, 'DELETING');
    await waitFor(async () => (await detail()).body.Data.Status === 'FINISH', 2500, 'GetSessionDetail to say FINISH', 50);
    // Anything but a status query on the deleted session is the SDK's not-found error.
    let notFound: unknown;
    try {
      await client.rpc('DeleteSessionAsync', M.responseModel('any'), { Authorization: auth, SessionId: sessionId });
    } catch (err) {
      notFound = err;
    }
    assert.ok(notFound instanceof ClientError, String(notFound));
    assert.equal(notFound.statusCode, 400);
    assert.equal(notFound.code, 'InvalidMcpSession.NotFound');
    assert.ok(String(notFound).includes('InvalidMcpSession.NotFound'), String(notFound));
    assert.match(String(notFound), /^ClientError: InvalidMcpSession\.NotFound: code: 400, .+ request id: [0-9A-F-]{36}$/);
  });

  it('throws a ClientError with statusCode 401 for a wrong key', async () => {
    await assert.rejects(
      client.rpc('ListSession', M.responseModel('any'), { Authorization: 'Bearer akl-wrong', Labels: '{}', MaxResults: 10 }),
      (err: unknown) => {
        assert.ok(err instanceof ClientError);
        assert.equal(err.statusCode, 401);
        assert.equal(err.code, 'InvalidApiKey');
        assert.equal(String(err).includes('NotFound'), false);
        return true;
      },
    );
  });

  it('throws a ThrottlingError with retryAfter from x-acs-retry-after', async () => {
    server.setFaults({ throttleEveryN: 1 });
    try {
      await assert.rejects(client.rpc('ListMcpTools', M.responseModel('string'), { Authorization: auth }), (err: unknown) => {
        assert.ok(err instanceof ThrottlingError);
        assert.equal(err.code, 'Throttling.User');
        assert.equal(err.retryAfter, 1);
        return true;
      });
    } finally {
      server.setFaults({});
    }
  });

  it('would reject a nested JSON value where the SDK model says string (the cast is strict)', () => {
    const bogus = { statusCode: 200, headers: {}, body: { Success: true, Data: { ToolList: [{ name: 'shell' }] } } };
    assert.throws(() => $dara.cast(bogus, new (M.responseModel(M.CreateMcpSessionData))({})), /ToolList is mismatch/);
  });
});
