/**
 * n8n: If No Session → Use a Temporary Session on the use nodes (created and gone after success,
 * failure and cancellation; no session carried on), the Node-RED-only Create Session option kept
 * out of n8n, and NodeApiError carrying the request id.
 */
import { strict as assert } from 'node:assert';
import { NodeApiError, NodeOperationError, type INodeParameters } from 'n8n-workflow';
import type { LocalServer } from '../../../local-server/server';

import { livePidsWith, uniqueSleepSeconds } from '../../support/core-session';
import { connectionFor } from '../../support/local-server';
import { executeN8nNode, loadN8nNode } from '../../support/n8n';
import { lastRequestId, requestsFor, startLoggedServer } from '../../support/logged-server';
import { waitFor } from '../../support/wait';

describe('n8n: temporary sessions and error details', function () {
  let server: LocalServer;
  let lines: string[];

  before(async () => {
    ({ server, lines } = await startLoggedServer());
  });
  afterEach(async () => {
    await waitFor(() => server.sessionCount() === 0, 5000, 'no session left by the test');
  });
  after(async () => {
    await server.close();
  });

  const run = (operationId: string, parameters: INodeParameters, signal?: AbortSignal) =>
    executeN8nNode(operationId, { items: [{ json: {} }, { json: {} }], parameters, credentials: connectionFor(server), signal });

  it('runs each item in a session of its own, deletes them and carries no session on', async () => {
    const { output } = await run('executeCommand', { ifNoSession: 'temporary', command: 'echo $((6*7))' });
    const ids = output[0].map((item) => String(item.json.temporarySessionId));
    assert.deepEqual(output[0].map((item) => item.json.stdout), ['42\n', '42\n']);
    assert.equal(new Set(ids).size, 2, 'one temporary session per item');
    for (const [index, item] of output[0].entries()) {
      assert.match(ids[index], /^session-/);
      assert.equal(item.json.session, undefined, 'no session rides on');
      assert.deepEqual(item.pairedItem, { item: index });
      assert.equal(requestsFor(lines, 'DeleteSessionAsync', ids[index]), 1);
    }
  });

  it('works for a file node too (write in a temporary session)', async () => {
    const { output } = await executeN8nNode('writeFile', {
      parameters: { ifNoSession: 'temporary', path: 'note.txt', content: 'hello' },
      credentials: connectionFor(server),
    });
    assert.match(String(output[0][0].json.temporarySessionId), /^session-/);
  });

  it('deletes the temporary session when the command fails with Fail On Non-Zero Exit', async () => {
    const creates = lines.filter((line) => line.startsWith('POST CreateMcpSession')).length;
    await assert.rejects(run('executeCommand', { ifNoSession: 'temporary', command: 'exit 5', failOnNonZeroExit: true }), NodeApiError);
    assert.equal(lines.filter((line) => line.startsWith('POST CreateMcpSession')).length, creates + 1, 'the first item failed the node');
    // afterEach: no session left.
  });

  it('deletes the temporary session when the execution is cancelled mid-command', async () => {
    const sleep = uniqueSleepSeconds(30);
    const cancel = new AbortController();
    const running = run('executeCommand', { ifNoSession: 'temporary', command: `sleep ${sleep}` }, cancel.signal);
    await waitFor(() => livePidsWith(sleep).length > 0, 30000, 'the command running');
    cancel.abort();
    await assert.rejects(running, /Aborted|abort/i);
    await waitFor(() => server.sessionCount() === 0, 15000, 'the temporary session deleted after the cancel');
  });

  it('fails without a session when If No Session is left at Fail, creating nothing', async () => {
    const creates = lines.filter((line) => line.startsWith('POST CreateMcpSession')).length;
    await assert.rejects(run('readFile', { path: 'x.txt' }), (error: unknown) => {
      assert.ok(error instanceof NodeOperationError);
      assert.match(error.message, /Session ID must be .*If No Session/);
      return true;
    });
    assert.equal(lines.filter((line) => line.startsWith('POST CreateMcpSession')).length, creates);
  });

  it('shows If No Session on the use nodes, makes Session ID optional there, and keeps the Node-RED-only option out', () => {
    const command = loadN8nNode('executeCommand').description.properties;
    assert.ok(command.filter((property) => property.name === 'sessionId').every((property) => !property.required));
    assert.equal(command.find((property) => property.name === 'ifNoSession')?.default, 'fail');
    const runCode = loadN8nNode('runCode').description.properties;
    assert.equal(runCode.find((property) => property.name === 'temporaryImageId')?.default, 'code_latest');
    assert.equal(loadN8nNode('getSession').description.properties.find((property) => property.name === 'sessionId')?.required, true);
    const create = JSON.stringify(loadN8nNode('createSession').description.properties);
    assert.ok(!create.includes('deleteOnStop'), 'Create Session in n8n has no Delete When Flow Stops');
  });

  it('puts the service code and request id on the NodeApiError', async () => {
    await assert.rejects(
      executeN8nNode('getSession', { parameters: { sessionId: 'session-does-not-exist' }, credentials: connectionFor(server) }),
      (error: unknown) => {
        assert.ok(error instanceof NodeApiError);
        const requestId = lastRequestId(lines, 'GetSession');
        assert.match(String(error.description), new RegExp(`Request ID: ${requestId}`));
        assert.equal(error.context.requestId, requestId);
        assert.equal(error.context.code, 'InvalidMcpSession.NotFound');
        return true;
      },
    );
  });
});
