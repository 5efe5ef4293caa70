/**
 * Answers the local server never gives (pause stuck in PAUSING, an unexpected state, metrics
 * with the alternative key spellings, Data as a JSON string, an unreadable tool list), through
 * the real client and runOperation with a scripted transport and a fake clock: no server, no
 * real sleeping.
 */
import { strict as assert } from 'node:assert';
import { AgentBayClient, type Clock } from '../../nodes/core/client/client';
import { AgentBayError, InputValidationError } from '../../nodes/core/client/errors';
import type { HttpTransport, TransportRequest, TransportResponse } from '../../nodes/core/client/transport';
import { operationById } from '../../nodes/core/catalogue/index';
import { runOperation } from '../../nodes/core/run-operation';
import { rememberToolList } from '../../nodes/core/catalogue/tool-servers';

const SESSION_ID = 'session-scripted';

type Reply = Record<string, unknown> | ((params: URLSearchParams) => Record<string, unknown>);

interface Sent {
  action: string;
  /** Body and query merged. */
  params: URLSearchParams;
  query: URLSearchParams;
}

/** Answers each Action from a queue of envelopes (the last one repeats); records what was sent. */
class ScriptedTransport implements HttpTransport {
  readonly sent: Sent[] = [];
  constructor(private readonly script: Record<string, Reply[]>) {}

  async send(request: TransportRequest): Promise<TransportResponse> {
    const url = new URL(request.url);
    const action = url.searchParams.get('Action') ?? '';
    const params = new URLSearchParams(request.body ?? '');
    for (const [key, value] of url.searchParams) if (!params.has(key)) params.set(key, value);
    this.sent.push({ action, params, query: url.searchParams });
    const queue = this.script[action];
    if (!queue || queue.length === 0) throw new Error(`unscripted action ${action}`);
    const reply = queue.length > 1 ? queue.shift()! : queue[0];
    const body = typeof reply === 'function' ? reply(params) : reply;
    const status = typeof body.HttpStatusCode === 'number' ? body.HttpStatusCode : 200;
    return { status, headers: {}, body: JSON.stringify({ RequestId: `REQ-${this.sent.length}`, ...body }) };
  }

  actions(): string[] {
    return this.sent.map((entry) => entry.action);
  }
}

class FakeClock implements Clock {
  private time = Date.parse('2026-01-01T00:00:00Z');
  readonly sleeps: number[] = [];
  now(): Date {
    return new Date(this.time);
  }
  async sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
    this.time += ms;
  }
}

const ok = (data?: unknown): Record<string, unknown> => ({ Success: true, Code: 'ok', Message: '', HttpStatusCode: 200, Data: data });
const status = (value: string): Record<string, unknown> => ok({ SessionId: SESSION_ID, Status: value });
const notFound = (): Record<string, unknown> => ({
  Success: false,
  Code: 'InvalidMcpSession.NotFound',
  Message: `The specified session does not exist. SessionId: ${SESSION_ID}`,
  HttpStatusCode: 400,
});
const toolText = (text: string, isError = false): Record<string, unknown> => ok({ content: [{ type: 'text', text }], isError });

interface Run {
  json: Record<string, unknown>;
  transport: ScriptedTransport;
  clock: FakeClock;
  progress: string[];
}

async function run(operationId: string, script: Record<string, Reply[]>, parameters: Record<string, unknown> = {}): Promise<Run> {
  const transport = new ScriptedTransport(script);
  const clock = new FakeClock();
  const progress: string[] = [];
  const client = new AgentBayClient({ apiKey: 'akl-scripted', region: 'custom', customEndpoint: 'http://scripted.invalid', transport, clock, retry: { maxRetries: 0, baseDelayMs: 1 } });
  // As if Create Session had run here: its (empty) tool list is known, so no GetSession precedes the tool calls.
  rememberToolList(client, SESSION_ID, '[]');
  try {
    const { output } = await runOperation(operationById(operationId), {
      rawParameters: parameters,
      rawSession: { sessionId: SESSION_ID, imageId: 'code_latest' },
      sessionField: 'Session',
      getClient: () => client,
      progress: (text) => progress.push(text),
      clock,
    });
    return { json: output.json, transport, clock, progress };
  } catch (error) {
    (error as { transport?: ScriptedTransport; clock?: FakeClock }).transport = transport;
    (error as { transport?: ScriptedTransport; clock?: FakeClock }).clock = clock;
    throw error;
  }
}

async function failure(operationId: string, script: Record<string, Reply[]>, parameters: Record<string, unknown> = {}) {
  try {
    await run(operationId, script, parameters);
  } catch (error) {
    return error as Error & { transport: ScriptedTransport; clock: FakeClock };
  }
  assert.fail(`${operationId} should have failed`);
}

describe('session ops: scripted answers', () => {
  describe('Pause Session / Resume Session', () => {
    it('pause polls GetSession at the default 2 s interval through PAUSING until PAUSED', async () => {
      const result = await run('pauseSession', {
        PauseSessionAsync: [ok()],
        GetSession: [status('PAUSING'), status('PAUSING'), status('PAUSED')],
      });
      assert.deepEqual(result.json, { sessionId: SESSION_ID, status: 'PAUSED', requestId: 'REQ-1' });
      assert.deepEqual(result.transport.actions(), ['PauseSessionAsync', 'GetSession', 'GetSession', 'GetSession']);
      assert.equal(result.transport.sent[0].params.get('SessionId'), SESSION_ID);
      assert.deepEqual(result.clock.sleeps, [2000, 2000]);
      assert.equal(result.progress[0], 'pausing');
      assert.ok(result.progress.some((text) => text.startsWith('waiting for session pause')), result.progress.join(' | '));
    });

    it('resume honours pollIntervalS and ends at RUNNING', async () => {
      const result = await run(
        'resumeSession',
        { ResumeSessionAsync: [ok()], GetSession: [status('RESUMING'), status('RUNNING')] },
        { pollIntervalS: 0.5 },
      );
      assert.equal(result.json.status, 'RUNNING');
      assert.deepEqual(result.clock.sleeps, [500]);
    });

    it('an unexpected state fails with the SDK text and the elapsed time', async () => {
      const error = await failure('pauseSession', {
        PauseSessionAsync: [ok()],
        GetSession: [status('PAUSING'), status('RUNNING')],
      });
      assert.ok(error instanceof AgentBayError);
      assert.equal(error.message, "Session pause failed: unexpected state 'RUNNING' after 2000ms");
    });

    it('resume seeing PAUSED again (not RESUMING) is unexpected too', async () => {
      const error = await failure('resumeSession', { ResumeSessionAsync: [ok()], GetSession: [status('PAUSED')] });
      assert.equal(error.message, "Session resume failed: unexpected state 'PAUSED' after 0ms");
    });

    it('times out after waitTimeoutS with the SDK text, without sleeping past the timeout', async () => {
      const error = await failure(
        'resumeSession',
        { ResumeSessionAsync: [ok()], GetSession: [status('RESUMING')] },
        { waitTimeoutS: 5 },
      );
      assert.equal(error.message, 'Session resume timed out after 4000ms');
      assert.equal((error as unknown as AgentBayError).code, 'WaitTimeout');
      assert.deepEqual(error.clock.sleeps, [2000, 2000]);
    });

    it('Success:false without a code gives "[Unknown] <Message>" and no polling', async () => {
      const error = await failure('pauseSession', {
        PauseSessionAsync: [{ Success: false, Code: '', Message: 'quota exceeded', HttpStatusCode: 200 }],
      });
      assert.equal(error.message, '[Unknown] quota exceeded');
      assert.deepEqual(error.transport.actions(), ['PauseSessionAsync']);
    });

    it('an API error keeps the client\'s "[Code] Message"', async () => {
      const error = await failure('pauseSession', {
        PauseSessionAsync: [{ Success: false, Code: 'InvalidSessionStatus', Message: 'Session is PAUSED', HttpStatusCode: 400 }],
      });
      assert.equal(error.message, '[InvalidSessionStatus] Session is PAUSED');
    });

    it('a session gone while waiting fails with "Failed to get session status: Session <id> not found"', async () => {
      const error = await failure('pauseSession', { PauseSessionAsync: [ok()], GetSession: [status('PAUSING'), notFound()] });
      assert.equal(error.message, `Failed to get session status: Session ${SESSION_ID} not found`);
      assert.equal((error as unknown as AgentBayError).code, 'InvalidMcpSession.NotFound');
    });

    it('with wait off it returns PAUSING after the one request', async () => {
      const result = await run('pauseSession', { PauseSessionAsync: [ok()] }, { wait: false });
      assert.deepEqual(result.json, { sessionId: SESSION_ID, status: 'PAUSING', requestId: 'REQ-1' });
      assert.deepEqual(result.transport.actions(), ['PauseSessionAsync']);
    });

    it('rejects a poll interval of 0 before any request', async () => {
      const error = await failure('pauseSession', { PauseSessionAsync: [ok()] }, { pollIntervalS: 0 });
      assert.ok(error instanceof InputValidationError);
      assert.match(error.message, /^Poll Interval \(Seconds\) \(pollIntervalS\) /);
    });
  });

  describe('Get Metrics', () => {
    it('reads the alternative key spellings (rx_rate_KBps, rx_used_KB, ...)', async () => {
      const text = JSON.stringify({
        cpu_count: 4, cpu_used_pct: 1.5, disk_total: 100, disk_used: 40, mem_total: 2048, mem_used: 1024,
        rx_rate_KBps: 0.22, tx_rate_kbps: 0.38, rx_used_KB: 1247.27, tx_used_kb: 120.13, timestamp: '2025-12-24T10:54:23+08:00',
      });
      const result = await run('getMetrics', { CallMcpTool: [toolText(text)] });
      assert.deepEqual(result.json, {
        cpuCount: 4, cpuUsedPct: 1.5, diskTotal: 100, diskUsed: 40, memTotal: 2048, memUsed: 1024,
        rxRateKbytePerS: 0.22, txRateKbytePerS: 0.38, rxUsedKbyte: 1247.27, txUsedKbyte: 120.13,
        timestamp: '2025-12-24T10:54:23+08:00', requestId: 'REQ-1',
      });
      const sent = result.transport.sent[0].params;
      assert.equal(sent.get('Name'), 'get_metrics');
      assert.equal(sent.get('Args'), '{}');
      assert.equal(sent.get('AutoGenSession'), 'false');
    });

    it('missing keys read 0 and "" like the SDK', async () => {
      const result = await run('getMetrics', { CallMcpTool: [toolText('{"cpu_count":2}')] });
      assert.equal(result.json.cpuCount, 2);
      assert.equal(result.json.memTotal, 0);
      assert.equal(result.json.timestamp, '');
    });

    it('a JSON array fails with "Failed to parse get_metrics response: get_metrics returned non-object JSON"', async () => {
      const error = await failure('getMetrics', { CallMcpTool: [toolText('[1,2]')] });
      assert.equal(error.message, 'Failed to parse get_metrics response: get_metrics returned non-object JSON');
    });

    it('text that is not JSON fails with "Failed to parse get_metrics response: ..."', async () => {
      const error = await failure('getMetrics', { CallMcpTool: [toolText('cpu: lots')] });
      assert.match(error.message, /^Failed to parse get_metrics response: .+/);
    });

    it('a tool error surfaces the tool\'s text', async () => {
      const error = await failure('getMetrics', { CallMcpTool: [toolText('metrics unavailable', true)] });
      assert.equal(error.message, 'metrics unavailable');
    });
  });

  describe('Get Link', () => {
    it('parses Data given as a JSON string and accepts a lowercase url', async () => {
      const result = await run('getLink', { GetLink: [ok('{"url":"wss://example.test/abc"}')] }, { protocolType: 'wss', port: 30101 });
      assert.deepEqual(result.json, { url: 'wss://example.test/abc', requestId: 'REQ-1' });
      const sent = result.transport.sent[0].params;
      assert.equal(sent.get('ProtocolType'), 'wss');
      assert.equal(sent.get('Port'), '30101');
      assert.equal(sent.has('Option'), false);
    });

    it('sends no Port for 0 (an empty Node-RED number field) and Option when given', async () => {
      const result = await run('getLink', { GetLink: [ok({ Url: 'https://example.test' })] }, { port: 0, option: 'x=1' });
      const sent = result.transport.sent[0].params;
      assert.equal(sent.has('Port'), false);
      assert.equal(sent.get('Option'), 'x=1');
    });

    it('refuses a non-integer port with the SDK text, before any request', async () => {
      const error = await failure('getLink', { GetLink: [ok({ Url: 'x' })] }, { port: 30150.5 });
      assert.equal(error.message, 'Port (port): Invalid port value: 30150.5. Port must be an integer in the range [30100, 30199].');
      assert.deepEqual(error.transport.actions(), []);
    });

    it('an answer without Url is an error rather than an empty link', async () => {
      const error = await failure('getLink', { GetLink: [ok({})] });
      assert.equal(error.message, 'Failed to get link: the response carries no Url');
    });
  });

  describe('List MCP Tools', () => {
    it('unreadable Data gives no tools, as in the SDK', async () => {
      const result = await run('listMcpTools', { ListMcpTools: [ok('[not json')] });
      assert.deepEqual(result.json, { tools: [], count: 0, imageId: 'code_latest', requestId: 'REQ-1' });
    });

    it('asks for the session\'s image without a SessionId, and the Image ID parameter overrides it', async () => {
      const fromSession = await run('listMcpTools', { ListMcpTools: [ok('[]')] });
      assert.equal(fromSession.transport.sent[0].params.get('ImageId'), 'code_latest');
      assert.equal(fromSession.transport.sent[0].params.has('SessionId'), false);
      const overridden = await run('listMcpTools', { ListMcpTools: [ok('[{"name":"shell"}]')] }, { imageId: 'browser_latest' });
      assert.equal(overridden.transport.sent[0].params.get('ImageId'), 'browser_latest');
      assert.deepEqual(overridden.json.tools, [{ name: 'shell', description: '', inputSchema: {}, server: '', tool: '' }]);
    });
  });

  describe('Get Labels / Get Status / Get Resource Info', () => {
    it('empty Labels give {}', async () => {
      const result = await run('getLabels', { GetLabel: [ok({ Labels: '' })] });
      assert.deepEqual(result.json, { labels: {}, requestId: 'REQ-1' });
    });

    it('Get Status: other errors read "Failed to get session detail <id>: ..."', async () => {
      const error = await failure('getStatus', {
        GetSessionDetail: [{ Success: false, Code: 'InternalError', Message: 'boom', HttpStatusCode: 500 }],
      });
      assert.equal(error.message, `Failed to get session detail ${SESSION_ID}: [InternalError] boom`);
      assert.equal((error as unknown as AgentBayError).code, 'InternalError');
    });

    it('Get Status sends SessionId in the query string and returns the status', async () => {
      const result = await run('getStatus', { GetSessionDetail: [status('PAUSED')] });
      assert.deepEqual(result.json, { sessionId: SESSION_ID, status: 'PAUSED', requestId: 'REQ-1' });
      assert.equal(result.transport.sent[0].query.get('SessionId'), SESSION_ID);
    });

    it('Get Resource Info: other errors read "Failed to get session info for session <id>: ..."', async () => {
      const error = await failure('getResourceInfo', {
        GetMcpResource: [{ Success: false, Code: 'Forbidden', Message: 'no', HttpStatusCode: 403 }],
      });
      assert.equal(error.message, `Failed to get session info for session ${SESSION_ID}: [Forbidden] no`);
    });
  });

  describe('Call MCP Tool', () => {
    it('with Fail on Tool Error off returns the error in the result; plain text has no "parsed"', async () => {
      const result = await run(
        'callMcpTool',
        { CallMcpTool: [ok({ content: [{ type: 'text', text: 'first' }, { type: 'text', text: 'second' }], isError: true })] },
        { toolName: 'shell', arguments: { command: 'false' }, failOnToolError: false },
      );
      assert.equal(result.json.isError, true);
      assert.equal(result.json.errorMessage, 'first; second');
      assert.equal(result.json.text, 'first');
      assert.equal('parsed' in result.json, false);
      assert.equal(result.transport.sent[0].params.get('Args'), '{"command":"false"}');
      assert.equal(result.transport.sent[0].params.get('Server'), '');
    });

    it('fails with the tool\'s joined error texts by default', async () => {
      const error = await failure(
        'callMcpTool',
        { CallMcpTool: [ok({ content: [{ type: 'text', text: 'first' }, { type: 'text', text: 'second' }], isError: true })] },
        { toolName: 'shell', arguments: {} },
      );
      assert.equal(error.message, 'first; second');
      assert.equal((error as unknown as AgentBayError).code, 'ToolError');
    });

    it('a blank tool name is refused before any request', async () => {
      const error = await failure('callMcpTool', { CallMcpTool: [ok()] }, { toolName: '   ' });
      assert.ok(error instanceof InputValidationError);
      assert.match(error.message, /^Tool Name \(toolName\) /);
      assert.deepEqual(error.transport.actions(), []);
    });

    it('an arguments array is refused naming the field', async () => {
      const error = await failure('callMcpTool', { CallMcpTool: [ok()] }, { toolName: 'shell', arguments: '[1]' });
      assert.ok(error instanceof InputValidationError);
      assert.match(error.message, /^Arguments \(arguments\) must be an object/);
    });
  });

  describe('Write File (binary) against a service that ignores format: "binary"', () => {
    const fileInfo = (size: number) => toolText(`name: a.bin\npath: /home/wuying/a.bin\nsize: ${size}\nisDirectory: false\nmodTime: 2026-01-01T00:00:00Z\nmode: -rw-r--r--`);
    const content = Buffer.from([0, 1, 2, 250, 251, 252]);

    it('fails when the stored size shows the base64 text was written instead of the bytes', async () => {
      const base64Length = content.toString('base64').length;
      const error = await failure('writeFile', { CallMcpTool: [(params) => (params.get('Name') === 'write_file' ? toolText('ok') : fileInfo(base64Length))] }, { path: '/home/wuying/a.bin', content });
      assert.ok(error instanceof AgentBayError);
      assert.equal((error as AgentBayError).code, 'BinaryWriteUnsupported');
      assert.match(error.message, /has 8 bytes instead of 6 \(it stored the base64 text\)/);
    });

    it('passes when the size matches, and counts the existing size when appending', async () => {
      const written = await run('writeFile', { CallMcpTool: [(params) => (params.get('Name') === 'write_file' ? toolText('ok') : fileInfo(6))] }, { path: '/home/wuying/a.bin', content });
      assert.equal(written.json.bytesWritten, 6);
      const sizes = [fileInfo(10), fileInfo(16)];
      const appended = await run('writeFile', { CallMcpTool: [(params) => (params.get('Name') === 'write_file' ? toolText('ok') : sizes.shift()!)] }, { path: '/home/wuying/a.bin', content, mode: 'append' });
      assert.equal(appended.json.mode, 'append');
      assert.deepEqual(appended.transport.sent.map((entry) => entry.params.get('Name')), ['get_file_info', 'write_file', 'get_file_info']);
    });
  });

  describe('Delete Session: Sync Context and errors', () => {
    const contextStatus = (...tasks: Array<{ status: string; taskType: string }>) =>
      ok({ ContextStatus: JSON.stringify([{ type: 'data', data: JSON.stringify(tasks.map((task) => ({ contextId: 'ctx', path: '/data', errorMessage: '', ...task }))) }]) });

    it('uploads, then polls GetContextInfo every 1.5 s until the upload is settled, then deletes', async () => {
      const result = await run(
        'deleteSession',
        {
          SyncContext: [ok()],
          // An unrelated task type never holds the wait; the in-progress upload does.
          GetContextInfo: [contextStatus({ status: 'InProgress', taskType: 'upload' }, { status: 'Running', taskType: 'other' }), contextStatus({ status: 'Success', taskType: 'upload' }, { status: 'Running', taskType: 'other' })],
          DeleteSessionAsync: [ok()],
          GetSessionDetail: [notFound()],
        },
        { syncContext: true },
      );
      assert.deepEqual(result.transport.actions(), ['SyncContext', 'GetContextInfo', 'GetContextInfo', 'DeleteSessionAsync', 'GetSessionDetail']);
      assert.equal(result.transport.sent[0].params.get('Mode'), null, 'SyncContext carries no Mode, as the SDK sends it');
      assert.deepEqual(result.clock.sleeps, [1500]);
      assert.ok(result.progress.includes('waiting for context sync (1/150)'), JSON.stringify(result.progress));
      assert.equal(result.json.deleted, true);
    });

    it('a failing GetContextInfo ends the wait and the deletion goes on', async () => {
      const result = await run(
        'deleteSession',
        { SyncContext: [ok()], GetContextInfo: [{ Success: false, Code: 'InternalError', Message: 'boom', HttpStatusCode: 500 }], DeleteSessionAsync: [ok()], GetSessionDetail: [notFound()] },
        { syncContext: true },
      );
      assert.deepEqual(result.transport.actions(), ['SyncContext', 'GetContextInfo', 'DeleteSessionAsync', 'GetSessionDetail']);
    });

    it('a session already gone is reported as such, and with Error If No Session fails with "Failed to delete session <id>: Session <id> not found"', async () => {
      const gone = await run('deleteSession', { DeleteSessionAsync: [notFound()] });
      assert.equal(gone.json.deleted, true);
      assert.equal(gone.json.alreadyGone, true);
      const error = await failure('deleteSession', { DeleteSessionAsync: [notFound()] }, { errorIfNoSession: true });
      assert.ok(error instanceof AgentBayError);
      assert.equal(error.message, `Failed to delete session ${SESSION_ID}: Session ${SESSION_ID} not found`);
      assert.equal(error.code, 'InvalidMcpSession.NotFound');
    });
  });
});
