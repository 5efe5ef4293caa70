/**
 * `npm start`: the local AgentBay server plus a Node-RED editor with this package installed and
 * the example flows loaded, wired to that server. Ctrl-C stops both (and deletes the sessions).
 * The key is kept in .agentbay-local/api-key so flows keep working across restarts.
 * Ports, key and Node-RED directory come from NODE_RED_PORT, AGENTBAY_LOCAL_PORT, AGENTBAY_LOCAL_API_KEY
 * and NODE_RED_USER_DIR (README, "Ports and environment variables").
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { startLocalServer, type LocalServer } from '../local-server/server';
import { callDirectly, exampleFlows, flowsOnTabs, mergeExamples, PACKAGE_ROOT, savedFlows, startNodeRed, type FlowNode, type NodeRedHost } from './node-red-host';
import { installShutdown } from '../local-server/shutdown';

const DEFAULT_SERVER_PORT = 8720;
const DEFAULT_EDITOR_PORT = 1880;
/** Exit code when a port cannot be had; distinct from 1 (anything else) so scripts can tell. */
const EXIT_PORT_BUSY = 3;

/** Thrown for a problem the user fixes by reading the message: printed without a stack trace. */
class StartError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

function portFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new StartError(`${name} must be a port number from 0 to 65535 (0 picks a free port), not "${raw}"`, 2);
  }
  return port;
}

const isAddressInUse = (error: unknown): boolean => (error as NodeJS.ErrnoException | undefined)?.code === 'EADDRINUSE';

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

/**
 * The default port falls back to a free one (the example flows are rewired to it anyway); a port
 * the user asked for with AGENTBAY_LOCAL_PORT is kept or refused, never silently changed.
 */
async function startServer(apiKey: string): Promise<LocalServer> {
  const asked = process.env.AGENTBAY_LOCAL_PORT !== undefined && process.env.AGENTBAY_LOCAL_PORT.trim() !== '';
  const port = portFromEnv('AGENTBAY_LOCAL_PORT', DEFAULT_SERVER_PORT);
  try {
    return await startLocalServer({ port, apiKey, log: () => undefined });
  } catch (error) {
    if (!isAddressInUse(error)) throw error;
    if (asked) {
      throw new StartError(
        `Port ${port} (AGENTBAY_LOCAL_PORT) is already in use, so the local AgentBay server cannot start.\n` +
          'Stop whatever uses it, or choose another port, e.g. AGENTBAY_LOCAL_PORT=8721 npm start (0 picks a free port).',
        EXIT_PORT_BUSY,
      );
    }
    process.stdout.write(`port ${port} is busy; the local server takes a free port instead\n`);
    return startLocalServer({ port: 0, apiKey, log: () => undefined });
  }
}

async function startEditor(server: LocalServer, apiKey: string): Promise<NodeRedHost> {
  const port = portFromEnv('NODE_RED_PORT', DEFAULT_EDITOR_PORT);
  const userDir = process.env.NODE_RED_USER_DIR || join(PACKAGE_ROOT, '.node-red-data');
  const examples = flowsOnTabs(exampleFlows());
  const exampleConfigIds = new Set(examples.filter((node) => node.type === 'agentbay-config').map((node) => node.id));
  // The examples' own connections always point at this run's local server (its port may differ).
  const flows = mergeExamples(savedFlows(userDir), examples).map((node): FlowNode =>
    exampleConfigIds.has(node.id) ? { ...node, region: 'custom', customEndpoint: server.url } : node,
  );
  const credentials = Object.fromEntries([...exampleConfigIds].map((id) => [id, { apiKey }]));
  try {
    return await startNodeRed({ userDir, flows, credentials, editor: true, port });
  } catch (error) {
    if (!isAddressInUse(error)) throw error;
    throw new StartError(
      `Port ${port} is already in use (another Node-RED?), so the Node-RED editor cannot start.\n` +
        'Stop whatever uses it, or choose another port, e.g. NODE_RED_PORT=1881 npm start (0 picks a free port).',
      EXIT_PORT_BUSY,
    );
  }
}

async function main(): Promise<void> {
  const apiKey = localApiKey();
  const server = await startServer(apiKey);
  callDirectly(new URL(server.url).hostname);
  let host: NodeRedHost | undefined;
  // From here on every way out (signal, closed pipe, error, crash) removes the server's temp dir.
  installShutdown({
    stop: async () => {
      await host?.stop().catch(() => undefined);
      await server.close();
      return 0;
    },
    onExit: () => rmSync(server.dataDir, { recursive: true, force: true }),
  });
  try {
    host = await startEditor(server, apiKey);
  } catch (error) {
    await server.close();
    throw error;
  }
  process.stdout.write(
    [
      '',
      `Local AgentBay server: ${server.url}  (isolation: ${server.isolation}${server.isolationNote ? `; ${server.isolationNote}` : ''})`,
      `  Limits:  ${server.limitsSummary} per session${server.limitsNote ? `; ${server.limitsNote}` : ''}`,
      `  API key: ${apiKey}`,
      `  Session files: ${server.dataDir}  (removed when this stops)`,
      `Node-RED editor:       ${host.url}`,
      '  The example flows are loaded, one tab each; click an inject node to run one.',
      '  More examples: menu → Import → Examples → n8n-nodes-agentbay. Ctrl-C stops everything.',
      '',
    ].join('\n'),
  );
}

main().catch((error: unknown) => {
  const exitCode = error instanceof StartError ? error.exitCode : 1;
  process.stderr.write(`npm start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(exitCode);
});
