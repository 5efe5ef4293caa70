/**
 * The execution and file nodes in the real Node-RED runtime against the local server:
 * create → write file → execute command → run code → read file → delete, wired node to node;
 * bad paths reaching a Catch node (which then deletes the session); bad input refused before
 * any request; a 10 MB Buffer round trip; Run Code images as Buffers.
 */
import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import type { LocalServer } from '../../../local-server/server';
import { BINARY_CHUNK_BYTES } from '../../../nodes/core/catalogue/operations/file-paths';
import type { AgentBayClient } from '../../../nodes/core/client/client';
import { clientFor, startTestServer } from '../../support/local-server';
import { catchNodeModule, CONFIG_ID, configNode, helper, nextMessage, packageNodeModules, TAB_ID, type Message } from '../../support/node-red';
import { PNG_MAGIC, PYTHON_PNG_CODE, SessionTracker, sha256 } from '../../support/core-session';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const changeNodeModule = require('@node-red/nodes/core/function/15-change.js') as unknown;

type Payload = Record<string, unknown>;

describe('Node-RED: execution and file nodes against the local server', function () {
  this.timeout(120000);
  let server: LocalServer;
  let client: AgentBayClient;
  let sessions: SessionTracker;
  const serverLog: string[] = [];

  before(async () => {
    server = await startTestServer({ log: (line) => serverLog.push(line) });
    client = clientFor(server);
    sessions = new SessionTracker(() => client);
  });
  after(async () => {
    await sessions?.deleteAll();
    client?.close();
    await server?.close();
  });
  beforeEach(() => helper.startServer());
  afterEach(async () => {
    await helper.unload();
    await helper.stopServer();
    await sessions.deleteAll();
    assert.equal(server.sessionCount(), 0, 'every session made by the flows was deleted');
  });

  /** Loads the flow with the package's nodes, Catch and Change. */
  async function load(nodes: Array<Record<string, unknown>>): Promise<void> {
    const config = configNode(server);
    await helper.load(
      [...packageNodeModules(), catchNodeModule, changeNodeModule],
      [{ id: TAB_ID, type: 'tab', label: 'test' }, config.node, ...nodes.map((node) => ({ z: TAB_ID, ...node }))],
      config.credentials,
    );
  }

  const toolCalls = (): number => serverLog.filter((line) => line.includes('CallMcpTool')).length;

  it('runs create → write → command → code → read → delete, each step’s result in msg.payload', async () => {
    const file = '/home/wuying/flow/numbers.txt';
    await load([
      { id: 'create', type: 'agentbay-create-session', server: CONFIG_ID, wires: [['toPayload', 'afterCreate']] },
      {
        id: 'toPayload',
        type: 'change',
        rules: [{ t: 'set', p: 'payload', pt: 'msg', to: 'text', tot: 'msg' }],
        wires: [['write']],
      },
      { id: 'write', type: 'agentbay-write-file', server: CONFIG_ID, path: file, pathType: 'str', wires: [['command', 'afterWrite']] },
      { id: 'command', type: 'agentbay-execute-command', server: CONFIG_ID, command: `cat ${file}`, commandType: 'str', wires: [['code', 'afterCommand']] },
      {
        id: 'code',
        type: 'agentbay-run-code',
        server: CONFIG_ID,
        language: 'python',
        languageType: 'agentbay-option',
        code: `numbers = [int(x) for x in open('${file}').read().split()]\nprint(len(numbers), 'numbers')\nsum(numbers) * 2`,
        codeType: 'str',
        wires: [['read', 'afterCode']],
      },
      { id: 'read', type: 'agentbay-read-file', server: CONFIG_ID, path: file, pathType: 'str', wires: [['delete', 'afterRead']] },
      { id: 'delete', type: 'agentbay-delete-session', server: CONFIG_ID, wires: [['afterDelete']] },
      ...['afterCreate', 'afterWrite', 'afterCommand', 'afterCode', 'afterRead', 'afterDelete'].map((id) => ({ id, type: 'helper' })),
    ]);
    const ids = ['afterCreate', 'afterWrite', 'afterCommand', 'afterCode', 'afterRead', 'afterDelete'];
    const pending = ids.map((id) => nextMessage(id, 60000));
    const text = '3\n4\n5\n';
    helper.getNode('create').receive({ text, topic: 'keep-me' });
    const [created, written, commanded, coded, read, deleted] = (await Promise.all(pending)) as Message[];

    const sessionId = (created.payload as Payload).sessionId as string;
    assert.match(sessionId, /^session-/);
    for (const msg of [written, commanded, coded, read]) {
      assert.equal(msg.agentbay?.session?.sessionId, sessionId, 'the session rides on every message');
      assert.equal(msg.topic, 'keep-me');
    }
    assert.deepEqual({ ...(written.payload as Payload), requestId: '' }, {
      path: file, bytesWritten: 6, mode: 'overwrite', encoding: 'utf-8', chunks: 1, transfer: 'tool', requestId: '',
    });
    const command = commanded.payload as Payload;
    assert.equal(command.stdout, text);
    assert.equal(command.exitCode, 0);
    assert.equal(command.success, true);
    const code = coded.payload as Payload;
    assert.equal(code.result, '24');
    assert.equal(code.stdout, '3 numbers\n');
    assert.equal(code.success, true);
    const readPayload = read.payload as Payload;
    assert.equal(readPayload.content, text);
    assert.equal(readPayload.size, 6);
    assert.equal(readPayload.fileName, 'numbers.txt');
    assert.equal((deleted.payload as Payload).deleted, true);
    assert.equal(deleted.agentbay?.session, undefined);
  });

  it('sends bad paths to a Catch node with the session still on the message; the error path deletes the session', async () => {
    await load([
      { id: 'create', type: 'agentbay-create-session', server: CONFIG_ID, wires: [['read']] },
      { id: 'read', type: 'agentbay-read-file', server: CONFIG_ID, path: 'filePath', pathType: 'msg', wires: [['out']] },
      { id: 'out', type: 'helper' },
      { id: 'catcher', type: 'catch', scope: ['read'], uncaught: false, wires: [['caught', 'cleanup']] },
      { id: 'caught', type: 'helper' },
      { id: 'cleanup', type: 'agentbay-delete-session', server: CONFIG_ID, wires: [['cleaned']] },
      { id: 'cleaned', type: 'helper' },
    ]);
    for (const filePath of ['../../etc/passwd', '/etc/passwd']) {
      const caught = nextMessage('caught');
      const cleaned = nextMessage('cleaned');
      helper.getNode('create').receive({ filePath });
      const msg = await caught;
      assert.equal(msg.error?.source?.id, 'read');
      assert.equal(msg.error?.message, `Access denied: path is outside the session: ${filePath}`);
      assert.match(String(msg.agentbay?.session?.sessionId), /^session-/, 'the session is still on the failed message');
      assert.equal(((await cleaned).payload as Payload).deleted, true);
    }
  });

  it('refuses bad input before any request, naming the field', async () => {
    const session = await sessions.create();
    await load([
      { id: 'badTimeout', type: 'agentbay-execute-command', server: CONFIG_ID, command: 'true', commandType: 'str', timeoutMs: '999999', timeoutMsType: 'num', wires: [['out']] },
      { id: 'badEnv', type: 'agentbay-execute-command', server: CONFIG_ID, command: 'env', commandType: 'str', environment: '{"A":1}', environmentType: 'json', wires: [['out']] },
      { id: 'badLanguage', type: 'agentbay-run-code', server: CONFIG_ID, language: 'cobol', languageType: 'str', code: 'DISPLAY "HI".', codeType: 'str', wires: [['out']] },
      { id: 'blankPath', type: 'agentbay-write-file', server: CONFIG_ID, path: ' ', pathType: 'str', wires: [['out']] },
      { id: 'notData', type: 'agentbay-write-file', server: CONFIG_ID, path: '/tmp/x', pathType: 'str', wires: [['out']] },
      { id: 'out', type: 'helper' },
      { id: 'catcher', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
      { id: 'caught', type: 'helper' },
    ]);
    const callsBefore = toolCalls();
    const expectError = async (nodeId: string, msg: Record<string, unknown>, pattern: RegExp): Promise<void> => {
      const caught = nextMessage('caught');
      helper.getNode(nodeId).receive({ agentbay: { session }, ...msg });
      const error = await caught;
      assert.equal(error.error?.source?.id, nodeId);
      assert.match(error.error?.message ?? '', pattern);
      assert.equal(error.agentbay?.session?.sessionId, session.sessionId);
    };
    await expectError('badTimeout', {}, /^Timeout \(Milliseconds\) \(timeoutMs\) must be <= 50000: expected a whole number of milliseconds from 1 to 50000/);
    await expectError('badEnv', {}, /^Environment \(environment\): Invalid environment variables: all keys and values must be strings\. Found invalid entries: value for key 'A' \(type: number\)$/);
    await expectError('badLanguage', {}, /^Language \(language\): Unsupported language: cobol\. Supported languages are 'python', 'javascript', 'r', and 'java'$/);
    await expectError('blankPath', { payload: 'x' }, /^Path \(path\) is only whitespace: expected an absolute path in the session such as \/home\/wuying\/report\.txt, or a path relative to \/home\/wuying$/);
    await expectError('notData', { payload: { an: 'object' } }, /^Content \(content\) is an object without a text "stdout" field: expected text, binary data/);
    assert.equal(toolCalls(), callsBefore, 'no tool call reached the server');
  });

  it('round-trips a 10 MB Buffer from msg.payload through Write File and Read File byte for byte', async function () {
    this.timeout(300000);
    const session = await sessions.create();
    await load([
      { id: 'write', type: 'agentbay-write-file', server: CONFIG_ID, path: '/home/wuying/big/random.bin', pathType: 'str', wires: [['read', 'afterWrite']] },
      {
        id: 'read',
        type: 'agentbay-read-file',
        server: CONFIG_ID,
        path: '/home/wuying/big/random.bin',
        pathType: 'str',
        format: 'binary',
        formatType: 'agentbay-option',
        wires: [['afterRead']],
      },
      { id: 'afterWrite', type: 'helper' },
      { id: 'afterRead', type: 'helper' },
    ]);
    const statuses: Array<{ text?: string }> = [];
    helper.getNode('read').on('call:status', ((call: { args: Array<{ text?: string }> }) => statuses.push(call.args[0])) as never);
    const data = randomBytes(10 * 1024 * 1024);
    const afterWrite = nextMessage('afterWrite', 240000);
    const afterRead = nextMessage('afterRead', 240000);
    helper.getNode('write').receive({ payload: data, agentbay: { session } });
    const written = (await afterWrite).payload as Payload;
    assert.equal(written.bytesWritten, data.length);
    assert.equal(written.encoding, 'binary');
    const read = (await afterRead).payload as Payload;
    assert.ok(Buffer.isBuffer(read.data), 'msg.payload.data is a Buffer');
    assert.equal(read.size, data.length);
    assert.equal(sha256(read.data as Buffer), sha256(data));
    assert.equal(read.mimeType, 'application/octet-stream');
    const chunks = Math.ceil(data.length / BINARY_CHUNK_BYTES);
    assert.ok(statuses.some((status) => status.text === `reading 3/${chunks} chunks`), 'the node shows its read progress');
  });

  it('puts a Run Code image in msg.payload.image as a PNG Buffer', async () => {
    const session = await sessions.create();
    await load([
      { id: 'code', type: 'agentbay-run-code', server: CONFIG_ID, code: PYTHON_PNG_CODE, codeType: 'str', wires: [['out']] },
      { id: 'out', type: 'helper' },
    ]);
    const out = nextMessage('out');
    helper.getNode('code').receive({ agentbay: { session } });
    const payload = (await out).payload as Payload;
    assert.ok(Buffer.isBuffer(payload.image));
    assert.deepEqual((payload.image as Buffer).subarray(0, 8), PNG_MAGIC);
    assert.equal((payload.results as Payload[])[0].imageKey, 'image');
  });

  it('keeps Run Code state between two nodes of a flow and puts a matplotlib figure in msg.payload.image', async () => {
    const session = await sessions.create();
    await load([
      { id: 'setup', type: 'agentbay-run-code', server: CONFIG_ID, code: 'import matplotlib.pyplot as plt\npoints = [1, 4, 9]', codeType: 'str', wires: [['plot']] },
      { id: 'plot', type: 'agentbay-run-code', server: CONFIG_ID, code: 'plt.plot(points)\nplt.show()', codeType: 'str', wires: [['out']] },
      { id: 'out', type: 'helper' },
    ]);
    const out = nextMessage('out');
    helper.getNode('setup').receive({ agentbay: { session } });
    const payload = (await out).payload as Payload;
    assert.equal(payload.success, true, String(payload.executionError));
    assert.equal(payload.executionCount, 2, 'the second cell of the same Python kernel');
    assert.ok(Buffer.isBuffer(payload.image));
    assert.deepEqual((payload.image as Buffer).subarray(0, 8), PNG_MAGIC);
    assert.equal((payload.results as Payload[])[0].imageKey, 'image');
  });
});
