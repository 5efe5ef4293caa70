/**
 * `npm run bench`: what this package's layers cost, as ratios against a baseline measured in the
 * same run on the same machine (never absolute times, never asserted in tests).
 *
 * Baseline: a hand-written keep-alive HTTP POST of the same action to the local server.
 * Measured: the AgentBay client (encoding + envelope + errors), and a full operation run
 * (validation + session + mapping), for a cheap action (GetSession) and a sandbox tool call
 * (CallMcpTool shell `true`).
 */
import { randomBytes } from 'node:crypto';
import { Agent, request } from 'node:http';
import { stringify } from 'node:querystring';
import { operationById } from '../nodes/core/catalogue/index';
import { AgentBayClient } from '../nodes/core/client/client';
import { runOperation } from '../nodes/core/run-operation';
import { startLocalServer } from '../local-server/server';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 200);
const WARMUP = 20;

function rawCall(agent: Agent, url: string, action: string, params: Record<string, string>): Promise<void> {
  const body = stringify(params);
  return new Promise((resolve, reject) => {
    const req = request(
      `${url}/?Action=${action}&Format=json&Version=2025-05-06`,
      { method: 'POST', agent, headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) } },
      (res) => {
        res.resume();
        res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`HTTP ${res.statusCode}`))));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function timePerCall(fn: () => Promise<unknown>, rounds: number): Promise<number> {
  for (let index = 0; index < Math.min(WARMUP, rounds); index++) await fn();
  const started = process.hrtime.bigint();
  for (let index = 0; index < rounds; index++) await fn();
  return Number(process.hrtime.bigint() - started) / 1e6 / rounds;
}

async function main(): Promise<void> {
  const server = await startLocalServer({ port: 0, log: () => undefined });
  const agent = new Agent({ keepAlive: true });
  const client = new AgentBayClient({ apiKey: server.apiKey, region: 'custom', customEndpoint: server.url });
  const created = await client.call('CreateMcpSession', { ImageId: 'linux_latest' });
  const sessionId = (created.Data as { SessionId: string }).SessionId;
  const auth = { Authorization: `Bearer ${server.apiKey}` };
  const shellArgs = JSON.stringify({ command: 'true', timeout_ms: 5000 });
  const run = (id: string, raw: Record<string, unknown>) =>
    runOperation(operationById(id), {
      rawParameters: raw,
      rawSession: { sessionId },
      sessionField: 'Session',
      getClient: () => client,
      progress: () => undefined,
    });

  const rows: Array<[string, number, number]> = [];
  const getBaseline = await timePerCall(() => rawCall(agent, server.url, 'GetSession', { ...auth, SessionId: sessionId }), ROUNDS);
  rows.push(['client.call GetSession', await timePerCall(() => client.call('GetSession', { SessionId: sessionId }), ROUNDS), getBaseline]);
  rows.push(['Get Session operation', await timePerCall(() => run('getSession', {}), ROUNDS), getBaseline]);

  const toolRounds = Math.max(10, Math.round(ROUNDS / 4));
  const toolBaseline = await timePerCall(
    () => rawCall(agent, server.url, 'CallMcpTool', { ...auth, Args: shellArgs, AutoGenSession: 'false', Name: 'shell', Server: '', SessionId: sessionId }),
    toolRounds,
  );
  rows.push([
    'client.call CallMcpTool shell',
    await timePerCall(() => client.call('CallMcpTool', { Args: shellArgs, AutoGenSession: false, Name: 'shell', Server: '', SessionId: sessionId }), toolRounds),
    toolBaseline,
  ]);

  // File transfer: 4 MiB through Write File (binary, chunked) against the same chunks sent raw.
  const file = randomBytes(4 * 1024 * 1024);
  const base64 = file.toString('base64');
  const chunks: string[] = [];
  for (let offset = 0; offset < base64.length; offset += 61440) chunks.push(base64.slice(offset, offset + 61440));
  const rawWrite = async () => {
    for (const [index, content] of chunks.entries()) {
      const args = JSON.stringify({ path: '/tmp/raw.bin', content, mode: index === 0 ? 'overwrite' : 'append', format: 'binary' });
      await rawCall(agent, server.url, 'CallMcpTool', { ...auth, Args: args, AutoGenSession: 'false', Name: 'write_file', Server: '', SessionId: sessionId });
    }
  };
  const fileRounds = 3;
  rows.push([
    'Write File 4 MiB binary',
    await timePerCall(() => run('writeFile', { path: '/tmp/node.bin', content: file }), fileRounds),
    await timePerCall(rawWrite, fileRounds),
  ]);

  process.stdout.write(`isolation: ${server.isolation}; rounds: ${ROUNDS} (tool calls ${toolRounds}, file writes ${fileRounds})\n`);
  process.stdout.write('measured                          ratio to raw HTTP baseline\n');
  for (const [name, measured, baseline] of rows) process.stdout.write(`${name.padEnd(34)}${(measured / baseline).toFixed(2)}x\n`);

  await client.call('DeleteSessionAsync', { SessionId: sessionId });
  client.close();
  agent.destroy();
  await server.close();
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
