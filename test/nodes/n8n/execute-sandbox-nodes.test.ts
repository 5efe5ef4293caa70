/**
 * The execution and file nodes through their real n8n `execute` with the real n8n-workflow,
 * against the local server: create → write → command → code → read → delete fed item to item
 * (the default Session ID expression), pairedItem everywhere, Continue On Fail keeping the
 * session, NodeOperationError with the item index, binary input and output.
 */
import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import { NodeApiError, NodeOperationError, type IDataObject, type INodeExecutionData, type INodeParameters } from 'n8n-workflow';
import type { LocalServer } from '../../../local-server/server';
import type { AgentBayClient } from '../../../nodes/core/client/client';
import { clientFor, connectionFor, startTestServer } from '../../support/local-server';
import { binaryItem, executeN8nNode, loadN8nNode } from '../../support/n8n';
import { PNG_MAGIC, PYTHON_PNG_CODE, SessionTracker, sha256 } from '../../support/core-session';

describe('n8n: execution and file nodes against the local server', function () {
  this.timeout(120000);
  let server: LocalServer;
  let client: AgentBayClient;
  let sessions: SessionTracker;

  before(async () => {
    server = await startTestServer();
    client = clientFor(server);
    sessions = new SessionTracker(() => client);
  });
  afterEach(async () => {
    await sessions.deleteAll();
    assert.equal(server.sessionCount(), 0, 'every session made by the test was deleted');
  });
  after(async () => {
    client?.close();
    await server?.close();
  });

  const run = async (operationId: string, items: INodeExecutionData[], parameters: INodeParameters = {}, continueOnFail = false) =>
    (await executeN8nNode(operationId, { items, parameters, credentials: connectionFor(server), continueOnFail })).output[0];

  const assertPaired = (items: INodeExecutionData[]): void =>
    items.forEach((item, index) => assert.deepEqual(item.pairedItem, { item: index }, `item ${index} is paired`));

  const sessionOf = (item: INodeExecutionData): string => String((item.json.session as IDataObject | undefined)?.sessionId);

  it('chains create → write → command → code → read → delete through items, one session per item', async () => {
    const created = await run('createSession', [{ json: { n: 3 } }, { json: { n: 4 } }]);
    created.forEach((item) => sessions.track(String(item.json.sessionId)));
    const ids = created.map(sessionOf);
    assert.notEqual(ids[0], ids[1]);

    const file = '/home/wuying/n8n/value.txt';
    // The content comes from the item, so each session gets its own number.
    const written = await run('writeFile', created, { path: file, content: '={{ $json.sessionId.length > 0 ? "10\\n" + ($itemIndex + 1) : "" }}' });
    assertPaired(written);
    assert.deepEqual(written.map(sessionOf), ids, 'the session passes through');
    assert.deepEqual(written.map((item) => item.json.bytesWritten), [4, 4]);

    const commanded = await run('executeCommand', written, { command: `cat ${file}` });
    assertPaired(commanded);
    assert.deepEqual(commanded.map((item) => item.json.stdout), ['10\n1', '10\n2']);
    assert.deepEqual(commanded.map((item) => item.json.exitCode), [0, 0]);

    const coded = await run('runCode', commanded, { language: 'python', code: `sum(int(x) for x in open('${file}').read().split())` });
    assertPaired(coded);
    assert.deepEqual(coded.map((item) => item.json.result), ['11', '12']);

    const read = await run('readFile', coded, { path: file });
    assertPaired(read);
    assert.deepEqual(read.map((item) => item.json.content), ['10\n1', '10\n2']);
    assert.deepEqual(read.map(sessionOf), ids);

    const deleted = await run('deleteSession', read, { waitTimeout: 30 });
    assertPaired(deleted);
    assert.deepEqual(deleted.map((item) => item.json.deleted), [true, true]);
    ids.forEach((id) => sessions.forget(id));
    assert.equal(server.sessionCount(), 0);
  });

  it('Continue On Fail returns an error item that still carries json.session, so Delete Session can clean up', async () => {
    const session = await sessions.create();
    const items: INodeExecutionData[] = [{ json: { session, path: '/etc/passwd' } }, { json: { session, path: '/home/wuying' } }];
    const output = await run('listDirectory', items, { path: '={{ $json.path }}' }, true);
    assertPaired(output);
    assert.equal(output[0].json.error, 'Access denied: path is outside the session: /etc/passwd');
    assert.deepEqual(output[0].json.session, session);
    assert.deepEqual(output[1].json.entries, []);
    assert.equal(sessionOf(output[1]), session.sessionId);

    const deleted = await run('deleteSession', [output[0]], { waitTimeout: 30 });
    assert.equal(deleted[0].json.deleted, true);
    sessions.forget(session.sessionId);
  });

  it('without Continue On Fail a tool failure is a NodeApiError naming the item', async () => {
    const session = await sessions.create();
    const items = [{ json: { session } }, { json: { session } }];
    await assert.rejects(run('getFileInfo', items, { path: '={{ $itemIndex === 1 ? "../../etc/passwd" : "/home/wuying" }}' }), (error: unknown) => {
      assert.ok(error instanceof NodeApiError, 'NodeApiError');
      assert.equal(error.context.itemIndex, 1);
      assert.equal(error.message, 'Access denied: path is outside the session: ../../etc/passwd');
      assert.match(String(error.description), /Code: ToolError/);
      return true;
    });
    await assert.rejects(run('readFile', [{ json: { session } }], { path: '/tmp' }), (error: unknown) => {
      assert.ok(error instanceof NodeApiError);
      assert.equal(error.message, 'Path does not exist or is a directory: /tmp');
      return true;
    });
  });

  it('bad input is a NodeOperationError with the item index, before any request', async () => {
    const session = await sessions.create();
    const items = [{ json: { session, timeout: 1000 } }, { json: { session, timeout: 999999 } }];
    await assert.rejects(run('executeCommand', items, { command: 'echo ok', options: { timeoutMs: '={{ $json.timeout }}' } }), (error: unknown) => {
      assert.ok(error instanceof NodeOperationError, 'NodeOperationError');
      assert.equal(error.context.itemIndex, 1);
      assert.match(error.message, /^Timeout \(Milliseconds\) \(timeoutMs\) must be <= 50000/);
      assert.match(String(error.description), /Expected a whole number of milliseconds from 1 to 50000/);
      return true;
    });
    await assert.rejects(run('runCode', [{ json: { session } }], { language: '={{ "cobol" }}', code: 'x' }), (error: unknown) => {
      assert.ok(error instanceof NodeOperationError);
      assert.equal(error.context.itemIndex, 0);
      assert.match(error.message, /Unsupported language: cobol\. Supported languages are 'python', 'javascript', 'r', and 'java'$/);
      return true;
    });
    await assert.rejects(run('executeCommand', [{ json: { session } }], { command: 'env', options: { environment: '{"A":1}' } }), (error: unknown) => {
      assert.ok(error instanceof NodeOperationError);
      assert.match(error.message, /^Environment \(environment\): Invalid environment variables: all keys and values must be strings/);
      return true;
    });
    await assert.rejects(run('writeFile', [{ json: { session } }], { path: '/tmp/x', contentIsBinary: true, contentBinaryProperty: 'data' }), (error: unknown) => {
      assert.ok(error instanceof NodeOperationError);
      assert.match(error.message, /expects the node's input data to contain a binary file 'data'/);
      return true;
    });
  });

  it('round-trips a 10 MB binary input item through Write File and Read File byte for byte', async function () {
    this.timeout(300000);
    const session = await sessions.create();
    const data = randomBytes(10 * 1024 * 1024);
    const written = await run('writeFile', [binaryItem({ session } as unknown as IDataObject, 'upload', data)], {
      path: '/home/wuying/n8n/random.bin',
      contentIsBinary: true,
      contentBinaryProperty: 'upload',
    });
    assertPaired(written);
    assert.equal(written[0].json.bytesWritten, data.length);
    assert.equal(written[0].json.encoding, 'binary');

    const read = await run('readFile', written, { path: '/home/wuying/n8n/random.bin', format: 'binary' });
    assertPaired(read);
    const file = read[0].binary?.data;
    assert.ok(file, 'binary property "data"');
    assert.equal(file.fileName, 'random.bin');
    assert.equal(file.mimeType, 'application/octet-stream');
    assert.equal(sha256(Buffer.from(file.data, 'base64')), sha256(data));
    assert.equal(read[0].json.size, data.length);
    assert.equal(sessionOf(read[0]), session.sessionId);
  });

  it('returns a Run Code image as binary data referenced from the results', async () => {
    const session = await sessions.create();
    const [item] = await run('runCode', [{ json: { session } }], { code: PYTHON_PNG_CODE });
    assert.deepEqual(item.pairedItem, { item: 0 });
    const image = item.binary?.image;
    assert.ok(image, 'binary property "image"');
    assert.equal(image.mimeType, 'image/png');
    assert.equal(image.fileName, 'result-0.png');
    assert.deepEqual(Buffer.from(image.data, 'base64').subarray(0, 8), PNG_MAGIC);
    assert.equal((item.json.results as IDataObject[])[0].imageKey, 'image');
  });

  it('keeps Run Code state between nodes of a session and returns a matplotlib figure as PNG binary', async () => {
    const session = await sessions.create();
    const [first] = await run('runCode', [{ json: { session } }], { code: 'import matplotlib.pyplot as plt\npoints = [1, 4, 9]' });
    assert.equal(first.json.success, true);
    const [item] = await run('runCode', [{ json: { session } }], { code: 'plt.plot(points)\nplt.show()' });
    assert.equal(item.json.success, true, String(item.json.executionError));
    assert.equal(item.json.executionCount, 2, 'the second cell of the same Python kernel');
    const image = item.binary?.image;
    assert.ok(image, 'binary property "image"');
    assert.equal(image.mimeType, 'image/png');
    assert.deepEqual(Buffer.from(image.data, 'base64').subarray(0, 8), PNG_MAGIC);
    assert.equal((item.json.results as IDataObject[])[0].imageKey, 'image');
  });

  it('offers the execution and file nodes as AI tools, Read File and Write File included', () => {
    for (const id of ['readFile', 'writeFile', 'executeCommand', 'runCode', 'listDirectory', 'createDirectory', 'moveFile', 'deleteFile', 'getFileInfo', 'searchFiles', 'editFile', 'readMultipleFiles']) {
      assert.equal(loadN8nNode(id).description.usableAsTool, true, id);
    }
  });
});
