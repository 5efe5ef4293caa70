/**
 * The session nodes executed through their real n8n `execute` with the real n8n-workflow,
 * against the local server: the chain fed item to item (the default Session ID expression),
 * pairedItem on every output, Continue On Fail, NodeApiError/NodeOperationError with the item.
 */
import { strict as assert } from 'node:assert';
import { NodeApiError, NodeHelpers, NodeOperationError, type ICredentialDataDecryptedObject, type INode, type IDataObject, type INodeExecutionData, type INodeParameters } from 'n8n-workflow';
import type { LocalServer } from '../../../local-server/server';
import { agentBayApiTest } from '../../../nodes/n8n/node-type';
import { connectionFor, startTestServer } from '../../support/local-server';
import { executeN8nNode, loadN8nNode } from '../../support/n8n';

describe('n8n: session nodes against the local server', () => {
  let server: LocalServer;
  before(async () => {
    server = await startTestServer();
  });
  after(async () => {
    await server.close();
  });

  const run = (operationId: string, items: INodeExecutionData[], parameters: INodeParameters = {}, continueOnFail = false) =>
    executeN8nNode(operationId, { items, parameters, credentials: connectionFor(server), continueOnFail });

  it('chains create → get → info → list → delete through items, pairing every output', async () => {
    const created = (await run('createSession', [{ json: { n: 1 } }, { json: { n: 2 } }], { labels: '{"suite":"n8n-chain"}' })).output[0];
    assert.equal(created.length, 2);
    created.forEach((item, index) => {
      assert.deepEqual(item.pairedItem, { item: index });
      assert.match(String(item.json.sessionId), /^session-/);
      assert.equal((item.json.session as IDataObject).sessionId, item.json.sessionId);
    });
    assert.notEqual(created[0].json.sessionId, created[1].json.sessionId, 'one session per item');

    const got = (await run('getSession', created)).output[0];
    assert.deepEqual(got.map((item) => item.json.sessionId), created.map((item) => item.json.sessionId));
    assert.deepEqual(got.map((item) => item.json.status), ['RUNNING', 'RUNNING']);
    got.forEach((item, index) => assert.deepEqual(item.pairedItem, { item: index }));

    const info = (await run('getSessionInfo', got)).output[0];
    assert.equal(info[0].json.resourceUrl, created[0].json.resourceUrl);
    assert.ok('token' in info[0].json && 'httpPort' in info[0].json);

    const listed = (await run('listSessions', [info[0]], { labels: '{"suite":"n8n-chain"}', returnAll: true, limit: 1 })).output[0];
    const ids = (listed[0].json.sessionIds as Array<{ sessionId: string }>).map((entry) => entry.sessionId).sort();
    assert.deepEqual(ids, created.map((item) => String(item.json.sessionId)).sort(), 'Return All walked both one-item pages');
    assert.equal((listed[0].json.session as IDataObject).sessionId, created[0].json.sessionId, 'the session passes through');

    const deleted = (await run('deleteSession', info)).output[0];
    assert.deepEqual(
      deleted.map((item) => ({ deleted: item.json.deleted, sessionId: item.json.sessionId, session: item.json.session, pairedItem: item.pairedItem })),
      created.map((item, index) => ({ deleted: true, sessionId: item.json.sessionId, session: undefined, pairedItem: { item: index } })),
    );
    assert.equal(server.sessionCount(), 0);
  });

  it('rejects bad input with NodeOperationError naming the field, before any request', async () => {
    await assert.rejects(run('listSessions', [{ json: {} }], { status: 'SLEEPING' }), (error: unknown) => {
      assert.ok(error instanceof NodeOperationError);
      assert.equal(error.message, "Status (status): Invalid status 'SLEEPING'. Must be one of: RUNNING, PAUSING, PAUSED, RESUMING, DELETING, DELETED");
      return true;
    });
    await assert.rejects(run('createSession', [{ json: {} }, { json: {} }], { labels: '{not json' }), (error: unknown) => {
      assert.ok(error instanceof NodeOperationError);
      assert.equal(error.context.itemIndex, 0);
      assert.match(error.message, /^Labels \(labels\) is not valid JSON: expected a JSON object/);
      return true;
    });
    await assert.rejects(run('getSession', [{ json: {} }]), /Session ID must be a session object with a sessionId/);
    await assert.rejects(run('generateContextName', [{ json: {} }], { length: 0 }), /Length \(length\) must be >= 1/);
    assert.equal(server.sessionCount(), 0, 'nothing was created');
  });

  it('puts the service code and request id on a Continue On Fail item', async () => {
    const output = (await run('getSession', [{ json: { sessionId: 'session-does-not-exist' } }], {}, true)).output[0];
    assert.equal(output.length, 1);
    assert.match(String(output[0].json.error), /session-does-not-exist/);
    assert.equal(output[0].json.code, 'InvalidMcpSession.NotFound');
    assert.match(String(output[0].json.requestId), /^[0-9A-F-]{36}$/);
  });

  it('fails each item with its index when the credential cannot make a client, honouring Continue On Fail', async () => {
    const credentials = { ...connectionFor(server), proxy: 'ftp://proxy.invalid:21' };
    const items = [{ json: { sessionId: 'session-a' } }, { json: { sessionId: 'session-b' } }];
    await assert.rejects(executeN8nNode('getSession', { items, credentials }), (error: unknown) => {
      assert.ok(error instanceof NodeApiError, String(error));
      assert.equal(error.context.itemIndex, 0);
      assert.match(error.message, /proxy/i);
      return true;
    });
    const output = (await executeN8nNode('getSession', { items, credentials, continueOnFail: true })).output[0];
    assert.deepEqual(output.map((item) => [item.json.code, item.pairedItem]), [['InvalidProxy', { item: 0 }], ['InvalidProxy', { item: 1 }]]);
    // The item's own input is still checked first.
    await assert.rejects(executeN8nNode('getSession', { items: [{ json: {} }], credentials }), /Session ID must be a session object with a sessionId/);
  });

  it('tests credentials with a real authenticated call', async () => {
    const test = (apiKey: string) =>
      agentBayApiTest.call({} as never, { id: '1', name: 'c', type: 'agentBayApi', data: { ...connectionFor(server, apiKey) } as unknown as ICredentialDataDecryptedObject });
    assert.deepEqual(await test(server.apiKey), { status: 'OK', message: 'Connection successful' });
    const bad = await test('akl-wrong');
    assert.equal(bad.status, 'Error');
    assert.match(bad.message, /InvalidApiKey/);
    assert.doesNotMatch(bad.message, /akl-wrong/);
  });

  it('describes each node the n8n way', () => {
    const create = loadN8nNode('createSession').description;
    assert.equal(create.name, 'agentBayCreateSession');
    assert.equal(create.usableAsTool, true);
    assert.deepEqual(create.credentials?.map((credential) => credential.name), ['agentBayApi']);
    const deleteNode = loadN8nNode('deleteSession').description;
    const sessionParameter = deleteNode.properties.find((property) => property.name === 'sessionId');
    assert.equal(sessionParameter?.default, '={{ $json.session?.sessionId ?? $json.sessionId }}');
    const options = deleteNode.properties.find((property) => property.name === 'options');
    assert.deepEqual(
      (options?.options as Array<{ name: string }>).map((option) => option.name),
      ['concurrency', 'errorIfNoSession', 'waitForDeletion', 'waitTimeout'],
    );
  });

  it('gives the n8n editor the schema bounds and required flags', () => {
    const description = loadN8nNode('executeCommand').description;
    const options = description.properties.find((property) => property.name === 'options')?.options as Array<{ name: string; typeOptions?: unknown }>;
    assert.deepEqual(options.find((option) => option.name === 'timeoutMs')?.typeOptions, { minValue: 1, maxValue: 50000, numberPrecision: 0 });
    const deleteOptions = loadN8nNode('deleteSession').description.properties.find((property) => property.name === 'options')?.options as Array<{ name: string; typeOptions?: unknown }>;
    assert.deepEqual(deleteOptions.find((option) => option.name === 'waitTimeout')?.typeOptions, { minValue: 1, maxValue: 3600, numberPrecision: 0 });
    // n8n's own issue check (the editor's warning triangle) reports the empty required command.
    const node: INode = { id: 'n', name: 'Execute Command', type: description.name, typeVersion: 1, position: [0, 0], parameters: { command: '' } };
    const issues = NodeHelpers.getNodeParametersIssues(description.properties, node, description);
    assert.ok(issues?.parameters?.command, JSON.stringify(issues));
  });
});
