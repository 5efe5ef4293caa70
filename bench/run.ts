/**
 * `npm run bench`: every figure of the performance targets, each as a ratio to a baseline
 * measured in the same run (interleaved, median of blocks), plus the absolute figures the
 * targets name. Writes bench/results.md; `--smoke` runs every section with tiny counts and
 * writes nothing (CI runs it so the harness keeps working; nothing is asserted on times).
 *
 * The official SDK is not a dependency: set AGENTBAY_SDK_PATH to a built checkout of its
 * TypeScript package (the folder holding dist/index.cjs) to add it to the client comparison.
 */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Agent, request } from 'node:http';
import { randomBytes } from 'node:crypto';
import { stringify } from 'node:querystring';
import { operationById } from '../nodes/core/catalogue/index';
import { AgentBayClient } from '../nodes/core/client/client';
import { runOperation } from '../nodes/core/run-operation';
import { startLocalServer, type LocalServer } from '../local-server/server';
import { executeN8nNode } from '../test/support/n8n';
import { CONFIG_ID, helper, loadFlow, type Message } from '../test/support/node-red';
import axios from 'axios';
import { BINARY_CHUNK_BYTES } from '../nodes/core/catalogue/operations/file-paths';
import { compare, concurrently, cpuPerCall, descendantsCpuMs, machine, median, percentile } from './measure';
import { NodeHttpTransport } from './node-http-transport';

const SMOKE = process.argv.includes('--smoke');
const scale = (full: number, smoke: number): number => (SMOKE ? smoke : full);
/** The sections a run measures, in order, with the Section column their rows carry. */
const SECTIONS = {
  client: ['Client'],
  n8n: ['n8n'],
  'node-red': ['Node-RED'],
  'local-server': ['Local server', 'Local server + client'],
  files: ['Files'],
  memory: ['Memory'],
} as const;
type SectionName = keyof typeof SECTIONS;
/**
 * `--section=local-server` (repeatable, or comma-separated) runs only those sections; results.md then
 * keeps the other sections' rows from the last run and replaces these.
 */
function chosenSections(): SectionName[] {
  const asked = process.argv.filter((arg) => arg.startsWith('--section=')).flatMap((arg) => arg.slice('--section='.length).split(','));
  for (const name of asked) {
    if (!(name in SECTIONS)) throw new Error(`Unknown bench section '${name}': expected one of ${Object.keys(SECTIONS).join(', ')}`);
  }
  return asked.length === 0 ? (Object.keys(SECTIONS) as SectionName[]) : (asked as SectionName[]);
}

interface Row {
  section: string;
  figure: string;
  target: string;
  measured: string;
  met: boolean | undefined;
}
const rows: Row[] = [];
const notes: string[] = [];
const record = (row: Row): void => {
  rows.push(row);
  process.stdout.write(`${row.section} | ${row.figure} | ${row.measured} | target ${row.target}${row.met === undefined ? '' : row.met ? ' (met)' : ' (NOT met)'}\n`);
};

function rawCall(agent: Agent, url: string, action: string, params: Record<string, string>): Promise<string> {
  const body = stringify(params);
  return new Promise((resolve, reject) => {
    const req = request(
      `${url}/?Action=${action}&Format=json&Version=2025-05-06`,
      { method: 'POST', agent, headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => (res.statusCode === 200 ? resolve(Buffer.concat(chunks).toString()) : reject(new Error(`HTTP ${res.statusCode}`))));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

interface Setup {
  server: LocalServer;
  agent: Agent;
  client: AgentBayClient;
  sessionId: string;
  auth: { Authorization: string };
}

async function newSession(client: AgentBayClient): Promise<string> {
  return String((await client.call('CreateMcpSession', { ImageId: 'linux_latest' })).Data?.SessionId);
}

/** The official SDK's own API client, pointed at the local server over HTTP, or undefined. */
function sdkGetSession(setup: Setup): (() => Promise<unknown>) | undefined {
  const sdkPath = process.env.AGENTBAY_SDK_PATH;
  if (!sdkPath) {
    notes.push('Official SDK comparison skipped: set AGENTBAY_SDK_PATH to a built checkout of its TypeScript package.');
    return undefined;
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const sdk = require(path.resolve(sdkPath, 'dist', 'index.cjs')) as {
    AgentBay: new (options: unknown) => { client: { _protocol: string; getSession(request: unknown): Promise<{ body?: { success?: boolean } }> } };
    GetSessionRequest: new (fields: unknown) => unknown;
  };
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const sdkPackage = require(path.resolve(sdkPath, 'package.json')) as { name?: string; version?: string };
  notes.push(`Official SDK: ${sdkPackage.name ?? 'unknown'} ${sdkPackage.version ?? ''}, its own API client (\`client.getSession\`) over HTTP to the same server.`);
  const agentBay = new sdk.AgentBay({ apiKey: setup.server.apiKey, config: { endpoint: setup.server.url.replace(/^http:\/\//, ''), timeout_ms: 60000 } });
  // The SDK always uses HTTPS; its API client honours this field (see README, "The official SDK against it").
  agentBay.client._protocol = 'HTTP';
  const authorization = `Bearer ${setup.server.apiKey}`;
  return async () => {
    const answer = await agentBay.client.getSession(new sdk.GetSessionRequest({ authorization, sessionId: setup.sessionId }));
    if (answer.body?.success !== true) throw new Error('the SDK GetSession failed');
  };
}

async function clientSection(setup: Setup): Promise<void> {
  const { server, agent, client, sessionId, auth } = setup;
  const raw = () => rawCall(agent, server.url, 'GetSession', { ...auth, SessionId: sessionId });
  const nodeHttp = new NodeHttpTransport();
  const clientOnNodeHttp = new AgentBayClient({ apiKey: server.apiKey, region: 'custom', customEndpoint: server.url, transport: nodeHttp });
  const variants: Record<string, () => Promise<unknown>> = {
    client: () => client.call('GetSession', { SessionId: sessionId }),
    clientOnNodeHttp: () => clientOnNodeHttp.call('GetSession', { SessionId: sessionId }),
    operation: () =>
      runOperation(operationById('getSession'), {
        rawParameters: {},
        rawSession: { sessionId },
        sessionField: 'Session',
        getClient: () => client,
        progress: () => undefined,
      }),
  };
  const sdk = sdkGetSession(setup);
  if (sdk) {
    await sdk();
    variants.sdk = sdk;
  }
  const blocks = scale(15, 2);
  const result = await compare(raw, variants, blocks, scale(150, 5));
  nodeHttp.close();
  const rawMs = result.msPerCall.baseline;
  record({ section: 'Client', figure: 'raw keep-alive HTTP POST GetSession (baseline)', target: '—', measured: `${rawMs.toFixed(3)} ms/call`, met: undefined });
  record({ section: 'Client', figure: 'client.call GetSession ÷ raw', target: '≤ 1.15×', measured: `${result.ratios.client.toFixed(2)}×`, met: result.ratios.client <= 1.15 });
  record({
    section: 'Client',
    figure: 'the same client on a bare node:http transport (candidate, bench only) ÷ raw',
    target: '—',
    measured: `${result.ratios.clientOnNodeHttp.toFixed(2)}×: axios accounts for ${(((result.ratios.client - result.ratios.clientOnNodeHttp) / Math.max(0.001, result.ratios.client - 1)) * 100).toFixed(0)}% of the client's overhead`,
    met: undefined,
  });
  const coreUs = await axiosCoreMicroseconds(setup);
  const axiosUs = (result.ratios.client - result.ratios.clientOnNodeHttp) * rawMs * 1000;
  record({
    section: 'Client',
    figure: "axios's cost per call: the client on axios minus the same client on node:http; of it, axios's core (config, headers, promise chain) with no HTTP",
    target: '—',
    measured: `${axiosUs.toFixed(0)} µs per call (${((axiosUs / 1000 / rawMs) * 100).toFixed(0)}% of a raw call); core alone ${coreUs.toFixed(0)} µs, its HTTP adapter the rest`,
    met: undefined,
  });
  record({ section: 'Client', figure: 'Get Session operation (validation, mapping) ÷ raw', target: '—', measured: `${result.ratios.operation.toFixed(2)}×`, met: undefined });
  if (sdk) {
    const clientFaster = result.perBlock.client.filter((ratio, index) => ratio < result.perBlock.sdk[index]).length;
    const candidateFaster = result.perBlock.clientOnNodeHttp.filter((ratio, index) => ratio < result.perBlock.sdk[index]).length;
    record({ section: 'Client', figure: 'official SDK getSession ÷ raw', target: '—', measured: `${result.ratios.sdk.toFixed(2)}×`, met: undefined });
    record({
      section: 'Client',
      figure: 'client ÷ official SDK (same server, same run)',
      target: '< 1× (faster)',
      measured: `${(result.ratios.client / result.ratios.sdk).toFixed(2)}×; client faster in ${clientFaster} of ${blocks} blocks`,
      met: result.ratios.client < result.ratios.sdk,
    });
    record({
      section: 'Client',
      figure: 'client on node:http (candidate) ÷ official SDK',
      target: '—',
      measured: `${(result.ratios.clientOnNodeHttp / result.ratios.sdk).toFixed(2)}×; faster in ${candidateFaster} of ${blocks} blocks`,
      met: undefined,
    });
  }
}

/**
 * axios's own per-request work, without any HTTP: the package's request config through an axios
 * instance whose adapter answers at once (config merge, headers, transforms, promise chain), in µs.
 */
async function axiosCoreMicroseconds(setup: Setup): Promise<number> {
  const instance = axios.create({
    adapter: async (config) => ({ data: '{}', status: 200, statusText: 'OK', headers: {}, config, request: {} }),
    validateStatus: () => true,
    responseType: 'text',
    transformResponse: (data: unknown) => data,
    maxRedirects: 0,
    proxy: false,
  });
  const headers = { 'user-agent': 'bench', 'x-acs-version': '2025-05-06', 'x-acs-action': 'GetSession', 'content-type': 'application/x-www-form-urlencoded' };
  const data = stringify({ Authorization: `Bearer ${setup.server.apiKey}`, SessionId: setup.sessionId });
  const one = () => instance.request({ method: 'POST', url: `${setup.server.url}/?Action=GetSession`, headers, data, timeout: 60000 });
  const calls = scale(20_000, 50);
  for (let index = 0; index < calls / 4; index++) await one();
  const started = process.hrtime.bigint();
  for (let index = 0; index < calls; index++) await one();
  return Number(process.hrtime.bigint() - started) / 1e3 / calls;
}

async function n8nConcurrencySection(setup: Setup): Promise<void> {
  const { server, sessionId } = setup;
  const itemCount = scale(100, 10);
  const latencyMs = scale(50, 10);
  const items = Array.from({ length: itemCount }, (_, index) => ({ json: { n: index, session: { sessionId } } }));
  const credentials = { apiKey: server.apiKey, region: 'custom', customEndpoint: server.url, timeoutMs: 30000 };
  const run = async (concurrency: number): Promise<number> => {
    const started = process.hrtime.bigint();
    const output = await executeN8nNode('getSession', { items, parameters: { options: { concurrency } }, credentials });
    if (output.output[0].length !== itemCount) throw new Error('n8n run lost items');
    return Number(process.hrtime.bigint() - started) / 1e6;
  };
  server.setFaults({ latencyMs, onlyActions: ['GetSession'] });
  try {
    const sequential = await run(1);
    for (const concurrency of [10, 20]) {
      server.setFaults({ latencyMs, onlyActions: ['GetSession'] }); // resets the in-flight count
      const parallel = await run(concurrency);
      const inFlight = server.faultStats().maxInFlight;
      record({
        section: 'n8n',
        figure: `${itemCount} items at ${latencyMs} ms latency: Concurrency 1 ÷ Concurrency ${concurrency}`,
        target: '≥ 8× faster',
        measured: `${(sequential / parallel).toFixed(1)}× (${sequential.toFixed(0)} ms vs ${parallel.toFixed(0)} ms; max ${inFlight} in flight; ideal ${Math.min(concurrency, itemCount)}×)`,
        met: sequential / parallel >= 8,
      });
    }
  } finally {
    server.setFaults({});
  }
}

/** `next()` resolves with the next message reaching any of the nodes; call it before sending. */
function messageWaiter(...nodeIds: string[]): { next(): Promise<Message> } {
  const waiting: Array<(msg: Message) => void> = [];
  for (const nodeId of nodeIds) helper.getNode(nodeId).on('input', ((msg: Message) => waiting.shift()?.(msg)) as never);
  return { next: () => new Promise<Message>((resolve) => waiting.push(resolve)) };
}

async function nodeRedSection(setup: Setup): Promise<void> {
  const { server, client, sessionId } = setup;
  await helper.startServer();
  try {
    await loadFlow(server, [
      { id: 'get', type: 'agentbay-get-session', server: CONFIG_ID, wires: [['got']] },
      { id: 'got', type: 'helper' },
      { id: 'create', type: 'agentbay-create-session', server: CONFIG_ID, wires: [['exec']] },
      { id: 'exec', type: 'agentbay-execute-command', server: CONFIG_ID, command: 'echo chain', commandType: 'str', wires: [['del']] },
      { id: 'del', type: 'agentbay-delete-session', server: CONFIG_ID, wires: [['done']] },
      { id: 'done', type: 'helper' },
      { id: 'errors', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
      { id: 'caught', type: 'helper' },
    ]);
    const got = messageWaiter('got');
    const viaNodeRed = async (): Promise<void> => {
      const answer = got.next();
      helper.getNode('get').receive({ agentbay: { session: { sessionId } } });
      await answer;
    };
    const direct = () => client.call('GetSession', { SessionId: sessionId });
    const measureNodeLayer = async (how: string): Promise<void> => {
      const result = await compare(direct, { nodeRed: viaNodeRed }, scale(11, 2), scale(100, 5));
      const overheadMs = result.msPerCall.baseline * (result.ratios.nodeRed - 1);
      // The same difference in CPU time (client, server and Node-RED share this process), blocks interleaved.
      const cpuOverheads: number[] = [];
      for (let block = 0; block < scale(11, 2); block++) {
        const directCpu = await cpuPerCall(direct, scale(100, 5));
        cpuOverheads.push((await cpuPerCall(viaNodeRed, scale(100, 5))) - directCpu);
      }
      const cpuOverheadMs = median(cpuOverheads);
      record({
        section: 'Node-RED',
        figure: `Get Session node per message, over client.call GetSession directly (${how})`,
        target: '< 0.2 ms (CPU time: wall time on a shared machine adds waits for other jobs)',
        measured: `${cpuOverheadMs.toFixed(3)} ms CPU; ${overheadMs.toFixed(3)} ms wall (${result.ratios.nodeRed.toFixed(2)}× the direct call of ${result.msPerCall.baseline.toFixed(3)} ms)`,
        met: cpuOverheadMs < 0.2,
      });
    };
    await measureNodeLayer("through node-red-node-test-helper, whose sinon spies record every node method call");
    // The helper replaces Node.prototype's methods (send, status, log...) and the runtime's log function
    // (which every message's metric events go through) with recording spies; put the runtime's own back
    // for the figure a deployed Node-RED sees (helper.unload restores them anyway).
    const internals = helper as unknown as { _NodePrototype: Record<string, unknown>; _log: Record<string, unknown> };
    const spied = [internals._NodePrototype, internals._log].flatMap((owner) =>
      Object.entries(owner)
        .filter(([, value]) => typeof (value as { wrappedMethod?: unknown } | null)?.wrappedMethod === 'function')
        .map(([name, value]) => ({ owner, name, value })),
    );
    for (const { owner, name, value } of spied) owner[name] = (value as { wrappedMethod: unknown }).wrappedMethod;
    try {
      await measureNodeLayer(`the runtime's own functions, the helper's ${spied.length} spies removed`);
    } finally {
      for (const { owner, name, value } of spied) owner[name] = value;
    }

    const chains = scale(1000, 16);
    const sessionsBefore = server.sessionCount();
    let errors = 0;
    // A chain ends at Delete Session's output or, failing, at the Catch node.
    const finished = messageWaiter('done', 'caught');
    helper.getNode('caught').on('input', (() => {
      errors += 1;
    }) as never);
    const started = process.hrtime.bigint();
    await concurrently(async () => {
      const answer = finished.next();
      helper.getNode('create').receive({});
      await answer;
    }, chains, 16).catch(() => undefined);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const left = server.sessionCount() - sessionsBefore;
    record({
      section: 'Node-RED',
      figure: `${chains} create → execute → delete chains at concurrency 16`,
      target: '0 errors, 0 sessions left',
      measured: `${errors} errors, ${left} sessions left (${(chains / seconds).toFixed(0)} chains/s)`,
      met: errors === 0 && left === 0,
    });
  } finally {
    await helper.unload();
    await helper.stopServer();
  }
}

async function localServerSection(setup: Setup): Promise<void> {
  const { server, agent, client, sessionId, auth } = setup;
  const noop = async (): Promise<number> => {
    const started = process.hrtime.bigint();
    await rawCall(agent, server.url, 'GetSession', { ...auth, SessionId: sessionId });
    return Number(process.hrtime.bigint() - started) / 1e6;
  };
  const noopTimes: number[] = [];
  for (let index = 0; index < scale(200, 5); index++) noopTimes.push(await noop());
  const noopP50 = percentile(noopTimes, 0.5);
  record({ section: 'Local server', figure: 'GetSession round trip p50 (baseline)', target: '—', measured: `${noopP50.toFixed(2)} ms`, met: undefined });

  const createTimes: number[] = [];
  for (let index = 0; index < scale(40, 2); index++) {
    const started = process.hrtime.bigint();
    const id = await newSession(client);
    createTimes.push(Number(process.hrtime.bigint() - started) / 1e6);
    await client.call('DeleteSessionAsync', { SessionId: id });
  }
  const createP50 = percentile(createTimes, 0.5);
  record({ section: 'Local server', figure: 'CreateMcpSession p50', target: '≤ 10 ms', measured: `${createP50.toFixed(1)} ms (${(createP50 / noopP50).toFixed(1)}× baseline)`, met: createP50 <= 10 });

  const echoArgs = JSON.stringify({ command: 'echo hi', timeout_ms: 10000 });
  const echo = () => client.call('CallMcpTool', { Args: echoArgs, AutoGenSession: false, Name: 'shell', Server: '', SessionId: sessionId });
  const sequential = await concurrently(echo, scale(60, 3), 1);
  const echoP50 = percentile(sequential.latencies, 0.5);
  record({ section: 'Local server', figure: '`echo hi` p50, sequential', target: '≤ 15 ms', measured: `${echoP50.toFixed(1)} ms (${(echoP50 / noopP50).toFixed(1)}× baseline)`, met: echoP50 <= 15 });

  const total = scale(400, 16);
  const cpuBefore = process.cpuUsage();
  const sandboxCpuBefore = descendantsCpuMs();
  const parallel = await concurrently(echo, total, 16);
  const perSecond = total / (parallel.wallMs / 1000);
  const serverCpu = process.cpuUsage(cpuBefore);
  const serverCpuMs = (serverCpu.user + serverCpu.system) / 1000 / total;
  const sandboxCpuMs = (descendantsCpuMs() - sandboxCpuBefore) / total;
  const cores = os.cpus().length;
  record({
    section: 'Local server',
    figure: '`echo hi` at concurrency 16',
    target: '≥ 150/s',
    measured: `${perSecond.toFixed(0)}/s, p50 ${percentile(parallel.latencies, 0.5).toFixed(0)} ms`,
    met: perSecond >= 150,
  });
  record({
    section: 'Local server',
    figure: 'CPU per `echo hi` at concurrency 16: server and client (one process) + the sandbox (command host, bash)',
    target: '—',
    measured: `${(serverCpuMs + sandboxCpuMs).toFixed(2)} ms (${serverCpuMs.toFixed(2)} + ${sandboxCpuMs.toFixed(2)}): at most ${Math.round((cores * 1000) / (serverCpuMs + sandboxCpuMs))}/s on ${cores} idle cores`,
    met: undefined,
  });

  const calls = scale(10_000, 100);
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const before = process.memoryUsage();
  await concurrently(() => client.call('GetSession', { SessionId: sessionId }), calls, 4);
  gc?.();
  const after = process.memoryUsage();
  const heapMb = (after.heapUsed - before.heapUsed) / 2 ** 20;
  const rssMb = (after.rss - before.rss) / 2 ** 20;
  record({
    section: 'Local server + client',
    figure: `heap / RSS growth over ${calls} GetSession calls (server and client in one process${gc ? ', after GC' : ', no --expose-gc'})`,
    target: 'flat (< 5 MiB each)',
    measured: `heap ${heapMb.toFixed(1)} MiB, RSS ${rssMb.toFixed(1)} MiB`,
    met: gc ? heapMb < 5 && rssMb < 5 : undefined,
  });
  await freshServerRss();
}

/** VmRSS of a process in MiB (Linux). */
function rssMiB(pid: number): number {
  return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
}

/**
 * A local server in a process of its own, started fresh, so its RSS is neither the bench's nor shaped
 * by the sections before: its RSS after `calls` warm-up calls, then after `calls` more (half
 * GetSession, half `echo hi` commands, 16 in flight).
 */
async function freshServerRss(): Promise<void> {
  const serverModule = path.join(__dirname, '..', 'local-server', 'server');
  const script = [
    `const { startLocalServer } = require(${JSON.stringify(serverModule)});`,
    'startLocalServer({ port: 0, log: () => undefined, idleTimeoutMs: 0, deleteDelayMs: 10, transitionDelayMs: 10 }).then((server) => {',
    "  process.stdout.write(JSON.stringify({ url: server.url, apiKey: server.apiKey }) + '\\n');",
    "  process.stdin.on('end', () => server.close().then(() => process.exit(0))).resume();",
    '});',
  ].join('\n');
  const child = spawn(process.execPath, ['-e', script], { stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const first = await new Promise<string>((resolve, reject) => {
    let text = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      text += chunk;
      if (text.includes('\n')) resolve(text.slice(0, text.indexOf('\n')));
    });
    void exited.then(() => reject(new Error('the server process exited before it was ready')));
  });
  const { url, apiKey } = JSON.parse(first) as { url: string; apiKey: string };
  const client = new AgentBayClient({ apiKey, region: 'custom', customEndpoint: url });
  try {
    const sessionId = await newSession(client);
    const echoArgs = JSON.stringify({ command: 'echo hi', timeout_ms: 10000 });
    const call = (index: number) => (index % 2 === 0
      ? client.call('GetSession', { SessionId: sessionId })
      : client.call('CallMcpTool', { Args: echoArgs, AutoGenSession: false, Name: 'shell', Server: '', SessionId: sessionId }));
    const started = rssMiB(child.pid ?? 0);
    const calls = scale(10_000, 50);
    // A fresh process grows while it warms up (JIT code, heap sizing, allocator arenas): measured apart.
    await concurrently(call, calls, 16);
    const before = rssMiB(child.pid ?? 0);
    await concurrently(call, calls, 16);
    const after = rssMiB(child.pid ?? 0);
    await client.call('DeleteSessionAsync', { SessionId: sessionId });
    record({
      section: 'Local server',
      figure: `RSS of a fresh server process over ${calls} calls (half GetSession, half \`echo hi\`, 16 in flight), after ${calls} such calls to warm up`,
      target: 'flat (< 5 MiB)',
      measured: `${(after - before).toFixed(1)} MiB (${before.toFixed(0)} → ${after.toFixed(0)} MiB; the warm-up took it from ${started.toFixed(0)} MiB)`,
      met: after - before < 5,
    });
  } finally {
    client.close();
    child.stdin.end();
    await exited;
  }
}

async function filesSection(setup: Setup): Promise<void> {
  const { server, agent, client, sessionId, auth } = setup;
  const size = scale(10, 1) * 1024 * 1024;
  const file = randomBytes(size);
  const operation = (id: string, raw: Record<string, unknown>) =>
    runOperation(operationById(id), { rawParameters: raw, rawSession: { sessionId }, sessionField: 'Session', getClient: () => client, progress: () => undefined });
  const nodesRound = async (): Promise<void> => {
    await operation('writeFile', { path: '/tmp/bench.bin', content: file });
    const read = await operation('readFile', { path: '/tmp/bench.bin', format: 'binary' });
    if (read.output.binary?.[0]?.data.length !== size) throw new Error('read back a different size');
  };
  // The same round trips sent raw: the chunks the operations send (BINARY_CHUNK_BYTES), written then read back.
  const chunks: string[] = [];
  for (let offset = 0; offset < size; offset += BINARY_CHUNK_BYTES) chunks.push(file.subarray(offset, offset + BINARY_CHUNK_BYTES).toString('base64'));
  const rawRound = async (): Promise<void> => {
    for (const [index, content] of chunks.entries()) {
      const args = JSON.stringify({ path: '/tmp/raw.bin', content, mode: index === 0 ? 'overwrite' : 'append', format: 'binary' });
      await rawCall(agent, server.url, 'CallMcpTool', { ...auth, Args: args, AutoGenSession: 'false', Name: 'write_file', Server: '', SessionId: sessionId });
    }
    for (let offset = 0; offset < size; offset += BINARY_CHUNK_BYTES) {
      const args = JSON.stringify({ path: '/tmp/raw.bin', offset, length: Math.min(BINARY_CHUNK_BYTES, size - offset), format: 'binary' });
      await rawCall(agent, server.url, 'CallMcpTool', { ...auth, Args: args, AutoGenSession: 'false', Name: 'read_file', Server: '', SessionId: sessionId });
    }
  };
  const result = await compare(rawRound, { nodes: nodesRound }, scale(5, 1), 1);
  const megabytesPerSecond = (2 * size) / 1e6 / (result.msPerCall.nodes / 1000);
  record({
    section: 'Files',
    figure: `${size / 2 ** 20} MiB Write File + Read File (binary) through the operations (${chunks.length} + ${chunks.length} chunks of ${BINARY_CHUNK_BYTES / 1024} KiB)`,
    target: '≥ 50 MB/s',
    measured: `${megabytesPerSecond.toFixed(0)} MB/s (${(megabytesPerSecond / 1.048576).toFixed(0)} MiB/s); ${result.ratios.nodes.toFixed(2)}× the same write_file + read_file chunks sent raw`,
    met: megabytesPerSecond >= 50,
  });
}

async function nodesMemorySection(setup: Setup): Promise<void> {
  const { server, sessionId } = setup;
  const messages = scale(10_000, 50);
  const credentials = { apiKey: server.apiKey, region: 'custom', customEndpoint: server.url, timeoutMs: 30000 };
  const batch = Array.from({ length: 100 }, () => ({ json: { session: { sessionId } } }));
  const gc = (globalThis as { gc?: () => void }).gc;
  const runBatches = async (count: number) => {
    for (let done = 0; done < count; done += batch.length) {
      await executeN8nNode('getSession', { items: batch.slice(0, Math.min(batch.length, count - done)), parameters: { options: { concurrency: 10 } }, credentials });
    }
  };
  await runBatches(Math.min(500, messages));
  gc?.();
  const before = process.memoryUsage().heapUsed;
  await runBatches(messages);
  gc?.();
  const growth = (process.memoryUsage().heapUsed - before) / 2 ** 20;
  record({
    section: 'Memory',
    figure: `heap growth over ${messages} n8n Get Session items (server in the same process${gc ? ', after GC' : ', no --expose-gc'})`,
    target: '< 5 MiB',
    measured: `${growth.toFixed(1)} MiB`,
    met: gc ? growth < 5 : undefined,
  });
}

function tableLines(): string[] {
  return rows.map((row) => `| ${row.section} | ${row.figure} | ${row.target} | ${row.measured} | ${row.met === undefined ? '—' : row.met ? 'yes' : 'no'} |`);
}

function writeResults(started: string, machineText: string, isolation: string, sections: SectionName[]): void {
  const file = path.join(__dirname, '..', '..', 'bench', 'results.md');
  if (sections.length < Object.keys(SECTIONS).length) {
    writeFileSync(file, mergedResults(readFileSync(file, 'utf8'), started, machineText, isolation, sections));
    return;
  }
  const lines = [
    '# Benchmark results',
    '',
    `Written by \`npm run bench\` (bench/run.ts) on ${started}.`,
    '',
    `Machine: ${machineText}. Local server isolation: ${isolation}.`,
    '',
    'Ratios are medians of interleaved blocks (variant and baseline alternate), so load that drifts during the',
    'run hits both alike; absolute times on a shared machine are noisy and only indicate. What the figures',
    'showed, and the measured cause of each target not met: [README.md](README.md).',
    '',
    '| Section | Figure | Target | Measured | Met |',
    '| --- | --- | --- | --- | --- |',
    ...tableLines(),
    '',
    ...notes.map((note) => `- ${note}`),
    '- The machine is shared with other jobs (see the load average above): figures vary between runs; rerun before comparing.',
    '',
  ];
  writeFileSync(file, lines.join('\n'));
}

/** The last results with the rows of `sections` replaced by this run's, and a line saying when and where. */
function mergedResults(previous: string, started: string, machineText: string, isolation: string, sections: SectionName[]): string {
  const labels = new Set<string>(sections.flatMap((name) => SECTIONS[name]));
  const sectionOf = (line: string): string | undefined => (line.startsWith('| ') ? line.split(' | ')[0]?.slice(2) : undefined);
  const lines = previous.split('\n').filter((line) => !line.startsWith(`Rerun of ${sections.join(', ')} `));
  const firstRow = lines.findIndex((line) => labels.has(sectionOf(line) ?? ''));
  const kept = lines.filter((line) => !labels.has(sectionOf(line) ?? ''));
  const tableEnd = kept.findIndex((line, index) => index > 0 && kept[index - 1].startsWith('| ') && !line.startsWith('| '));
  const at = firstRow >= 0 ? firstRow : tableEnd;
  kept.splice(at, 0, ...tableLines());
  const machineLine = kept.findIndex((line) => line.startsWith('Machine: '));
  kept.splice(machineLine + 1, 0, '', `Rerun of ${sections.join(', ')} on ${started} (its rows below): ${machineText}. Local server isolation: ${isolation}.`);
  // The rerun line replaced may leave its blank line behind: no two blank lines in a row.
  return kept.filter((line, index) => line !== '' || kept[index - 1] !== '').join('\n');
}

async function main(): Promise<void> {
  const started = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const machineText = machine();
  process.stdout.write(`${SMOKE ? 'smoke run (tiny counts, nothing written)' : 'full run'}; ${machineText}\n`);
  const server = await startLocalServer({ port: 0, log: () => undefined, idleTimeoutMs: 0, deleteDelayMs: 10, transitionDelayMs: 10 });
  const agent = new Agent({ keepAlive: true });
  const client = new AgentBayClient({ apiKey: server.apiKey, region: 'custom', customEndpoint: server.url });
  const sessionId = await newSession(client);
  const setup: Setup = { server, agent, client, sessionId, auth: { Authorization: `Bearer ${server.apiKey}` } };
  const sections = chosenSections();
  const run: Record<SectionName, (setup: Setup) => Promise<void>> = {
    client: clientSection,
    n8n: n8nConcurrencySection,
    'node-red': nodeRedSection,
    'local-server': localServerSection,
    files: filesSection,
    memory: nodesMemorySection,
  };
  try {
    for (const name of sections) await run[name](setup);
  } finally {
    await client.call('DeleteSessionAsync', { SessionId: sessionId });
    client.close();
    agent.destroy();
    await server.close();
  }
  if (!SMOKE) writeResults(started, machineText, server.isolation, sections);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
