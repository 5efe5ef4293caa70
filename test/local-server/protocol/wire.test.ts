/**
 * The wire protocol over real HTTP: envelope, JSON-string fields, auth, unknown Actions,
 * parameter validation, body handling.
 */
import { strict as assert } from 'node:assert';
import { browserToolDescriptors } from '../../../local-server/browser/page-tools';
import type { LocalServer } from '../../../local-server/server';
import { call, createSession, request, startFakeServer, type Json } from '../../support/local-server-wire';

const UUID_UPPER = /^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/;

function assertSuccess(body: Json): void {
  assert.match(String(body.RequestId), UUID_UPPER);
  assert.equal(body.Success, true);
  assert.equal(body.Code, 'ok');
  assert.equal(body.Message, '');
  assert.equal(body.HttpStatusCode, 200);
}

function assertError(res: { status: number; body: Json }, status: number, code: string): void {
  assert.equal(res.status, status, JSON.stringify(res.body));
  assert.match(String(res.body.RequestId), UUID_UPPER);
  assert.equal(res.body.Success, false);
  assert.equal(res.body.Code, code);
  assert.equal(res.body.HttpStatusCode, status);
  assert.equal(typeof res.body.Message, 'string');
}

describe('local server: wire protocol', () => {
  let server: LocalServer;
  let logs: string[];

  before(async () => {
    ({ server, logs } = await startFakeServer());
  });
  after(async () => {
    await server.close();
  });

  describe('envelope', () => {
    it('answers CreateMcpSession with the success envelope and string-typed fields', async () => {
      const res = await call(server, 'CreateMcpSession', { Labels: '{"project":"demo"}' });
      assert.equal(res.status, 200);
      assert.match(String(res.headers['content-type']), /^application\/json/);
      assertSuccess(res.body);
      const data = res.body.Data as Json;
      assert.match(String(data.SessionId), /^session-[0-9a-z]{17}$/);
      for (const field of ['ResourceUrl', 'AppInstanceId', 'ResourceId', 'ErrMsg', 'HttpPort', 'NetworkInterfaceIp']) {
        assert.equal(typeof data[field], 'string', field);
      }
      assert.equal(data.Success, true);
      assert.equal(data.VpcResource, false);
      // Empty LinkUrl/Token keep the official SDK on the CallMcpTool API route.
      assert.equal(data.LinkUrl, '');
      assert.equal(data.Token, '');
      assert.equal(data.ResourceUrl, `${server.url}/sessions/${String(data.SessionId)}`);
      assert.equal(typeof data.ToolList, 'string');
      const tools = JSON.parse(String(data.ToolList)) as Json[];
      // linux_latest (the default image) has a browser, so the browser agent's tools follow the sandbox's.
      assert.deepEqual(
        tools.map((t) => t.name),
        ['echo', 'block', ...browserToolDescriptors().map((t) => t.name)],
      );
      assert.deepEqual(Object.keys(tools[0]).sort(), ['description', 'inputSchema', 'name', 'server', 'tool']);
    });

    it('gives every answer a fresh RequestId', async () => {
      const a = await call(server, 'ListMcpTools');
      const b = await call(server, 'ListMcpTools');
      assert.notEqual(a.body.RequestId, b.body.RequestId);
      assert.equal(a.headers['x-acs-request-id'], a.body.RequestId);
    });

    it('returns GetSession Data with Status, lowercase contexts and ToolList as a string', async () => {
      const made = await call(server, 'GetContext', { Name: 'protocol-ctx', AllowCreate: 'true' });
      const contextId = String((made.body.Data as Json).Id);
      const id = await createSession(server, {
        PersistenceDataList: JSON.stringify([{ ContextId: contextId, Path: '/home/wuying/data', Policy: '{"uploadPolicy":{}}' }]),
      });
      const res = await call(server, 'GetSession', { SessionId: id });
      assertSuccess(res.body);
      const data = res.body.Data as Json;
      assert.equal(data.SessionId, id);
      assert.equal(data.Status, 'RUNNING');
      assert.equal(typeof data.ToolList, 'string');
      assert.deepEqual(data.contexts, [{ id: contextId, name: 'protocol-ctx' }]);
      assert.equal('Contexts' in data, false);
    });

    it('returns ListMcpTools Data as a JSON string array', async () => {
      const res = await call(server, 'ListMcpTools', { ImageId: 'linux_latest' });
      assertSuccess(res.body);
      assert.equal(typeof res.body.Data, 'string');
      const tools = JSON.parse(String(res.body.Data)) as Json[];
      assert.equal(tools[0].name, 'echo');
      assert.equal(tools[0].server, 'fake');
    });

    it('returns GetLabel Labels as a JSON string with pagination at envelope level', async () => {
      const id = await createSession(server, { Labels: '{"team":"qa","env":"dev"}' });
      const res = await call(server, 'GetLabel', { SessionId: id });
      assertSuccess(res.body);
      const data = res.body.Data as Json;
      assert.equal(typeof data.Labels, 'string');
      assert.deepEqual(JSON.parse(String(data.Labels)), { team: 'qa', env: 'dev' });
      assert.equal(res.body.TotalCount, 2);
      assert.equal(res.body.NextToken, '');
      assert.equal(typeof res.body.MaxResults, 'number');
    });

    it('returns GetMcpResource DesktopInfo with string fields only', async () => {
      const id = await createSession(server);
      const res = await call(server, 'GetMcpResource', { SessionId: id });
      assertSuccess(res.body);
      const data = res.body.Data as Json;
      assert.equal(data.SessionId, id);
      assert.equal(typeof data.ResourceUrl, 'string');
      const desktop = data.DesktopInfo as Json;
      for (const key of ['AppId', 'AuthCode', 'ConnectionProperties', 'ResourceId', 'ResourceType', 'Ticket']) {
        assert.equal(typeof desktop[key], 'string', key);
      }
    });

    it('omits Data for Actions without one (SetLabel)', async () => {
      const id = await createSession(server);
      const res = await call(server, 'SetLabel', { SessionId: id, Labels: '{"a":"1"}' });
      assertSuccess(res.body);
      assert.equal('Data' in res.body, false);
    });
  });

  describe('authentication', () => {
    it('refuses a missing key with HTTP 401 InvalidApiKey', async () => {
      const res = await call(server, 'ListSession', { Labels: '{}' }, { key: null });
      assertError(res, 401, 'InvalidApiKey');
    });

    it('refuses a wrong key with HTTP 401 InvalidApiKey that does not look like NotFound', async () => {
      const res = await call(server, 'ListSession', { Labels: '{}' }, { key: 'akl-wrong' });
      assertError(res, 401, 'InvalidApiKey');
      assert.equal(JSON.stringify(res.body).includes('NotFound'), false);
      assert.equal(res.text.includes('akl-wrong'), false);
    });

    it('refuses a key without the Bearer prefix', async () => {
      const res = await request(server, { query: { Action: 'ListSession' }, form: { Authorization: server.apiKey } });
      assertError(res, 401, 'InvalidApiKey');
    });

    it('accepts the key in the query string (SyncContext / GET style)', async () => {
      const res = await request(server, {
        query: { Action: 'ListSession', Authorization: `Bearer ${server.apiKey}` },
        form: { Labels: '{}' },
      });
      assert.equal(res.status, 200);
    });

    it('checks the key before anything else, even for unknown Actions', async () => {
      const res = await call(server, 'NoSuchAction', {}, { key: 'nope' });
      assertError(res, 401, 'InvalidApiKey');
    });

    it('never writes the key into the log', async () => {
      await call(server, 'ListSession', { Labels: '{}' });
      await call(server, 'ListSession', { Labels: '{}' }, { key: 'akl-leak-check' });
      assert.ok(logs.length > 0);
      for (const line of logs) {
        assert.equal(line.includes(server.apiKey), false, line);
        assert.equal(line.includes('akl-leak-check'), false, line);
        assert.equal(line.includes('Bearer'), false, line);
      }
    });
  });

  describe('Actions and parameters', () => {
    it('answers an unknown Action with InvalidAction', async () => {
      assertError(await call(server, 'DoSomethingElse'), 400, 'InvalidAction');
    });

    it('names a known but unimplemented Action as unsupported', async () => {
      const res = await call(server, 'GetAdbLink', { SessionId: 'x' });
      assertError(res, 400, 'InvalidAction');
      assert.match(String(res.body.Message), /not supported/);
    });

    it('answers a missing Action with InvalidAction', async () => {
      const res = await request(server, { form: { Authorization: `Bearer ${server.apiKey}` } });
      assertError(res, 400, 'InvalidAction');
    });

    it('falls back to the x-acs-action header', async () => {
      const res = await request(server, {
        headers: { 'x-acs-action': 'ListMcpTools' },
        form: { Authorization: `Bearer ${server.apiKey}` },
      });
      assert.equal(res.status, 200);
      assert.equal(typeof res.body.Data, 'string');
    });

    it('refuses GetLink Port 80 with InvalidParameter naming Port and the range', async () => {
      const id = await createSession(server);
      const res = await call(server, 'GetLink', { SessionId: id, Port: '80' });
      assertError(res, 400, 'InvalidParameter');
      assert.match(String(res.body.Message), /Port/);
      assert.match(String(res.body.Message), /30100.*30199/);
    });

    it('refuses a non-integer Port', async () => {
      const id = await createSession(server);
      const res = await call(server, 'GetLink', { SessionId: id, Port: '30100.5' });
      assertError(res, 400, 'InvalidParameter');
      assert.match(String(res.body.Message), /Port/);
    });

    it('refuses Labels that are not JSON, naming Labels', async () => {
      const res = await call(server, 'CreateMcpSession', { Labels: 'project=demo' });
      assertError(res, 400, 'InvalidParameter');
      assert.match(String(res.body.Message), /Labels/);
      assert.match(String(res.body.Message), /JSON/);
    });

    it('refuses Labels with non-string values', async () => {
      const res = await call(server, 'CreateMcpSession', { Labels: '{"n":1}' });
      assertError(res, 400, 'InvalidParameter');
      assert.match(String(res.body.Message), /Labels/);
    });

    it('refuses a malformed PersistenceDataList', async () => {
      const res = await call(server, 'CreateMcpSession', { PersistenceDataList: '[{"Path":"/x"}]' });
      assertError(res, 400, 'InvalidParameter');
      assert.match(String(res.body.Message), /PersistenceDataList/);
    });

    it('accepts ExtraConfigs as a JSON string or as Py\'s flattened keys, not both', async () => {
      const json = await call(server, 'CreateMcpSession', { ExtraConfigs: '{"mobile":{"lockResolution":true}}' });
      assert.equal(json.status, 200, json.text);
      const flat = await call(server, 'CreateMcpSession', { 'ExtraConfigs.Mobile.LockResolution': 'true' });
      assert.equal(flat.status, 200, flat.text);
      const both = await call(server, 'CreateMcpSession', {
        ExtraConfigs: '{"mobile":{}}',
        'ExtraConfigs.Mobile.LockResolution': 'true',
      });
      assertError(both, 400, 'InvalidParameter');
      assert.match(String(both.body.Message), /ExtraConfigs/);
    });

    it('accepts the other CreateMcpSession fields the SDK sends and checks their types', async () => {
      const ok = await call(server, 'CreateMcpSession', {
        ImageId: 'code_latest',
        McpPolicyId: 'policy-1',
        EnableRecord: 'false',
        LoginRegionId: 'cn-hangzhou',
        SdkStats: '{"source":"sdk","sdk_language":"python","sdk_version":"0.15.1","is_release":true,"framework":""}',
      });
      assert.equal(ok.status, 200, ok.text);
      const detail = await call(server, 'GetSessionDetail', { SessionId: String((ok.body.Data as Json).SessionId) });
      assert.equal((detail.body.Data as Json).ImageId, 'code_latest');
      assert.equal((detail.body.Data as Json).PolicyId, 'policy-1');
      assert.equal((detail.body.Data as Json).RegionId, 'cn-hangzhou');
      const bad = await call(server, 'CreateMcpSession', { EnableRecord: 'maybe' });
      assertError(bad, 400, 'InvalidParameter');
      assert.match(String(bad.body.Message), /EnableRecord/);
    });

    it('reports a missing SessionId as a missing parameter', async () => {
      const res = await call(server, 'GetSession');
      assertError(res, 400, 'InvalidParameter');
      assert.match(String(res.body.Message), /Missing parameter SessionId/);
    });

    it('refuses MaxResults that is not a positive integer', async () => {
      const res = await call(server, 'ListSession', { Labels: '{}', MaxResults: 'ten' });
      assertError(res, 400, 'InvalidParameter');
      assert.match(String(res.body.Message), /MaxResults/);
    });

    it('refuses an unknown ListSession Status', async () => {
      const res = await call(server, 'ListSession', { Labels: '{}', Status: 'SLEEPING' });
      assertError(res, 400, 'InvalidParameter');
      assert.match(String(res.body.Message), /Status/);
    });

    it('refuses a forged NextToken', async () => {
      const res = await call(server, 'ListSession', { Labels: '{}', NextToken: 'not-a-token' });
      assertError(res, 400, 'InvalidParameter');
      assert.match(String(res.body.Message), /NextToken/);
    });

    it('refuses AutoGenSession=true: a new environment is never started silently', async () => {
      const id = await createSession(server);
      const res = await call(server, 'CallMcpTool', { SessionId: id, Name: 'echo', Args: '{}', AutoGenSession: 'true' });
      assertError(res, 400, 'InvalidParameter');
      assert.match(String(res.body.Message), /AutoGenSession/);
    });

    it('refuses Args that are not a JSON object', async () => {
      const id = await createSession(server);
      const res = await call(server, 'CallMcpTool', { SessionId: id, Name: 'echo', Args: '{oops' });
      assertError(res, 400, 'InvalidParameter');
      assert.match(String(res.body.Message), /Args/);
    });

    it('runs CallMcpTool and returns the sandbox result as Data', async () => {
      const id = await createSession(server);
      const res = await call(server, 'CallMcpTool', {
        SessionId: id,
        Name: 'echo',
        Args: '{"command":"echo hi"}',
        Server: '',
        AutoGenSession: 'false',
      });
      assertSuccess(res.body);
      assert.deepEqual(res.body.Data, { content: [{ type: 'text', text: '{"command":"echo hi"}' }], isError: false });
    });
  });

  describe('HTTP handling', () => {
    it('accepts a chunked body', async () => {
      const res = await request(server, {
        query: { Action: 'CreateMcpSession' },
        form: { Authorization: `Bearer ${server.apiKey}`, Labels: '{"k":"chunked"}' },
        chunked: true,
      });
      assert.equal(res.status, 200, res.text);
      const id = String((res.body.Data as Json).SessionId);
      const labels = await call(server, 'GetLabel', { SessionId: id });
      assert.deepEqual(JSON.parse(String((labels.body.Data as Json).Labels)), { k: 'chunked' });
    });

    it('decodes both %20 and + as a space', async () => {
      const body = `Authorization=Bearer%20${server.apiKey}&Labels=${encodeURIComponent('{"a":"x y","b":"')}p+q${encodeURIComponent('"}')}`;
      const res = await request(server, { query: { Action: 'CreateMcpSession' }, body });
      assert.equal(res.status, 200, res.text);
      const id = String((res.body.Data as Json).SessionId);
      const labels = await call(server, 'GetLabel', { SessionId: id });
      assert.deepEqual(JSON.parse(String((labels.body.Data as Json).Labels)), { a: 'x y', b: 'p q' });
    });

    it('merges query and body parameters, the body winning', async () => {
      const id = await createSession(server);
      const viaQuery = await call(server, 'GetSessionDetail', {}, { query: { SessionId: id } });
      assert.equal(viaQuery.status, 200, viaQuery.text);
      assert.equal((viaQuery.body.Data as Json).Status, 'RUNNING');
      const bodyWins = await call(server, 'GetSession', { SessionId: id }, { query: { SessionId: 'session-bogus' } });
      assert.equal(bodyWins.status, 200, bodyWins.text);
      assert.equal((bodyWins.body.Data as Json).SessionId, id);
    });

    it('refuses GET for POST Actions', async () => {
      const res = await request(server, {
        method: 'GET',
        query: { Action: 'ListSession', Authorization: `Bearer ${server.apiKey}`, Labels: '{}' },
      });
      assertError(res, 405, 'UnsupportedHTTPMethod');
    });

    it('refuses a JSON body, naming Content-Type', async () => {
      const res = await request(server, {
        query: { Action: 'ListSession' },
        body: JSON.stringify({ Authorization: `Bearer ${server.apiKey}` }),
        headers: { 'content-type': 'application/json' },
      });
      assertError(res, 400, 'InvalidParameter');
      assert.match(String(res.body.Message), /Content-Type/);
    });

    it('answers 404 outside the API path and 501 for placeholder session URLs', async () => {
      assert.equal((await request(server, { method: 'GET', path: '/nowhere' })).status, 404);
      assert.equal((await request(server, { method: 'GET', path: '/sessions/x/ports/30100' })).status, 501);
    });
  });
});

describe('local server: body size limit', () => {
  let server: LocalServer;
  before(async () => {
    ({ server } = await startFakeServer({ maxBodyBytes: 1024 }));
  });
  after(async () => {
    await server.close();
  });

  it('answers 413 with an error envelope for an oversized body, then keeps serving', async () => {
    const big = { Authorization: `Bearer ${server.apiKey}`, Labels: JSON.stringify({ pad: 'x'.repeat(4000) }) };
    const res = await request(server, { query: { Action: 'CreateMcpSession' }, form: big });
    assertError(res, 413, 'RequestTooLarge');
    const chunked = await request(server, { query: { Action: 'CreateMcpSession' }, form: big, chunked: true });
    assertError(chunked, 413, 'RequestTooLarge');
    assert.equal(server.sessionCount(), 0);
    assert.equal((await call(server, 'ListMcpTools')).status, 200);
  });
});
