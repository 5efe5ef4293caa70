/**
 * `npm start`: the local AgentBay server plus a Node-RED editor with this package installed and
 * the example flows loaded, wired to that server. Ctrl-C stops both (and deletes the sessions).
 * The key is kept in .agentbay-local/api-key so flows keep working across restarts.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { startLocalServer, type LocalServer } from '../local-server/server';
import { exampleFlows, flowsOnTabs, mergeExamples, PACKAGE_ROOT, savedFlows, startNodeRed, type FlowNode } from './node-red-host';

const SERVER_PORT = Number(process.env.AGENTBAY_LOCAL_PORT ?? 8720);
const EDITOR_PORT = Number(process.env.NODE_RED_PORT ?? 1880);

function localApiKey(): string {
  if (process.env.AGENTBAY_LOCAL_API_KEY) return process.env.AGENTBAY_LOCAL_API_KEY;
  const dir = join(PACKAGE_ROOT, '.agentbay-local');
  const file = join(dir, 'api-key');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dir, { recursive: true });
  const key = `akl-${randomBytes(16).toString('hex')}`;
  writeFileSync(file, `${key}\n`, { mode: 0o600 });
  return key;
}

async function startServer(apiKey: string): Promise<LocalServer> {
  try {
    return await startLocalServer({ port: SERVER_PORT, apiKey, log: () => undefined });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    process.stdout.write(`port ${SERVER_PORT} is busy; the local server takes a free port instead\n`);
    return startLocalServer({ port: 0, apiKey, log: () => undefined });
  }
}

async function main(): Promise<void> {
  const apiKey = localApiKey();
  const server = await startServer(apiKey);
  const userDir = join(PACKAGE_ROOT, '.node-red-data');
  const examples = flowsOnTabs(exampleFlows());
  const exampleConfigIds = new Set(examples.filter((node) => node.type === 'agentbay-config').map((node) => node.id));
  // The examples' own connections always point at this run's local server (its port may differ).
  const flows = mergeExamples(savedFlows(userDir), examples).map((node): FlowNode =>
    exampleConfigIds.has(node.id) ? { ...node, region: 'custom', customEndpoint: server.url } : node,
  );
  const credentials = Object.fromEntries([...exampleConfigIds].map((id) => [id, { apiKey }]));
  const host = await startNodeRed({ userDir, flows, credentials, editor: true, port: EDITOR_PORT });
  process.stdout.write(
    [
      '',
      `Local AgentBay server: ${server.url}  (isolation: ${server.isolation}${server.isolationNote ? `; ${server.isolationNote}` : ''})`,
      `  Limits:  ${server.limitsSummary} per session${server.limitsNote ? `; ${server.limitsNote}` : ''}`,
      `  API key: ${apiKey}`,
      `Node-RED editor:       ${host.url}`,
      '  The example flows are loaded, one tab each; click an inject node to run one.',
      '  More examples: menu → Import → Examples → n8n-nodes-agentbay. Ctrl-C stops everything.',
      '',
    ].join('\n'),
  );
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await host.stop().catch(() => undefined);
    await server.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
