/**
 * Shared set-up of the reliability suites: a Node-RED flow whose config node can take a short
 * timeout or retry-wait cap, a sweep that deletes every session the server holds, and a look at
 * which Actions the server answered.
 */
import type { LocalServer } from '../../local-server/server';
import type { AgentBayClient } from '../../nodes/core/client/client';
import { AgentBayClient as Client } from '../../nodes/core/client/client';
import { startTestServer } from './local-server';
import { loadFlow } from './node-red';
import { waitFor } from './wait';

export interface ConfigOverrides {
  timeoutMs?: number;
  maxRetryWait?: number;
}

export async function loadFlowWith(server: LocalServer, nodes: Array<Record<string, unknown>>, overrides: ConfigOverrides = {}): Promise<void> {
  await loadFlow(server, nodes, undefined, {
    timeoutMs: overrides.timeoutMs ?? 30000,
    ...(overrides.maxRetryWait === undefined ? {} : { maxRetryWait: overrides.maxRetryWait }),
  });
}

export function plainClient(server: LocalServer): AgentBayClient {
  return new Client({ apiKey: server.apiKey, region: 'custom', customEndpoint: server.url, retry: { maxRetries: 0, baseDelayMs: 1 } });
}

/** Every session the server lists, with its labels. */
export async function listAll(client: AgentBayClient): Promise<Array<{ sessionId: string; labels: Record<string, string> }>> {
  const envelope = await client.call('ListSession', { Labels: '{}', MaxResults: 100 });
  const ids = (envelope.Data as Array<{ SessionId: string }>).map((item) => item.SessionId);
  const result = [];
  for (const sessionId of ids) {
    const labels = await client.call('GetLabel', { SessionId: sessionId });
    result.push({ sessionId, labels: JSON.parse((labels.Data as { Labels: string }).Labels) as Record<string, string> });
  }
  return result;
}

/** Deletes every session and waits until the server holds none. */
export async function sweep(server: LocalServer): Promise<void> {
  server.setFaults({});
  const client = plainClient(server);
  try {
    for (const { sessionId } of await listAll(client)) await client.call('DeleteSessionAsync', { SessionId: sessionId }).catch(() => undefined);
    await waitFor(() => server.sessionCount() === 0, 10_000, 'the swept sessions to be gone').catch(() => undefined); // as before: the next test's counts show any left
  } finally {
    client.close();
  }
}

/**
 * The suite's local server: started before the suite, swept of sessions after each test, closed
 * after it. `assign` receives it once started; `log`, when given, collects the server's log lines
 * and is emptied before each test.
 */
export function useSweptServer(assign: (server: LocalServer) => void, log?: string[]): void {
  let server: LocalServer | undefined;
  before(async () => {
    server = await startTestServer(log ? { log: (line) => log.push(line) } : {});
    assign(server);
  });
  after(async () => {
    await server?.close();
  });
  if (log) {
    beforeEach(() => {
      log.length = 0;
    });
  }
  afterEach(async () => {
    if (server) await sweep(server);
  });
}

/** The Actions the server answered, from its log lines (`POST Action [session] -> status code ...`). */
export function answered(log: string[]): Array<{ action: string; outcome: string }> {
  return log
    .filter((line) => /^(GET|POST) /.test(line))
    .map((line) => {
      const [, action = '', ...rest] = line.split(' ');
      const arrow = rest.indexOf('->');
      return { action, outcome: rest.slice(arrow + 1, arrow + 3).join(' ') };
    });
}
