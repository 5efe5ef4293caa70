/**
 * Runs this package's Node-RED nodes in the real Node-RED runtime (node-red-node-test-helper),
 * loading the built entry files exactly as Node-RED loads them from package.json.
 */
import * as path from 'node:path';
import type { LocalServer } from '../../local-server/server';
import { connectionFor } from './local-server';

// eslint-disable-next-line @typescript-eslint/no-require-imports
export const helper = require('node-red-node-test-helper') as NodeRedTestHelper;
helper.init(require.resolve('node-red'));

export interface HelperNode {
  id: string;
  receive(msg: Record<string, unknown>): void;
  on(event: string, listener: (...args: never[]) => void): void;
  status: unknown;
  credentials?: Record<string, unknown>;
}

export interface NodeRedTestHelper {
  init(path: string): void;
  load(modules: unknown[], flow: unknown[], credentials: Record<string, unknown>): Promise<void>;
  unload(): Promise<void>;
  startServer(): Promise<void>;
  stopServer(): Promise<void>;
  getNode(id: string): HelperNode;
}

const packageRoot = path.join(__dirname, '..', '..', '..');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const pkg = require(path.join(packageRoot, 'package.json')) as { 'node-red': { nodes: Record<string, string> } };

/** Every node module the package registers, as Node-RED would load them. */
export function packageNodeModules(): unknown[] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return Object.values(pkg['node-red'].nodes).map((file) => require(path.join(packageRoot, file)));
}


export const TAB_ID = 'tab1';
export const CONFIG_ID = 'agentbay-cfg';

/** The config node for a local server plus the credentials map test-helper wants. */
export function configNode(server: LocalServer, apiKey?: string): { node: Record<string, unknown>; credentials: Record<string, unknown> } {
  const settings = connectionFor(server, apiKey);
  return {
    node: {
      id: CONFIG_ID,
      type: 'agentbay-config',
      name: 'local',
      region: settings.region,
      customEndpoint: settings.customEndpoint,
      timeoutMs: settings.timeoutMs,
    },
    credentials: { [CONFIG_ID]: { apiKey: settings.apiKey } },
  };
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
export const catchNodeModule = require('@node-red/nodes/core/common/25-catch.js') as unknown;

/** A whole flow (nodes get `z: tab1`) with the config node for the local server, and its credentials. */
export function flowFor(
  server: LocalServer,
  nodes: Array<Record<string, unknown>>,
  options: { apiKey?: string; config?: Record<string, unknown> } = {},
): { flow: Array<Record<string, unknown>>; credentials: Record<string, unknown> } {
  const config = configNode(server, options.apiKey);
  return {
    flow: [{ id: TAB_ID, type: 'tab', label: 'test' }, { ...config.node, ...options.config }, ...nodes.map((node) => ({ z: TAB_ID, ...node }))],
    credentials: config.credentials,
  };
}

/** Loads the flow (nodes get `z: tab1`) with the package's modules and the core Catch node. */
export async function loadFlow(server: LocalServer, nodes: Array<Record<string, unknown>>, apiKey?: string, config?: Record<string, unknown>): Promise<void> {
  const { flow, credentials } = flowFor(server, nodes, { apiKey, config });
  await helper.load([...packageNodeModules(), catchNodeModule], flow, credentials);
}

export interface Message {
  payload?: unknown;
  agentbay?: { session?: Record<string, unknown> };
  error?: { message: string; source?: { id: string; type: string } };
  [key: string]: unknown;
}

/** Resolves with the next message a helper node receives (rejects after `timeoutMs`). */
export function nextMessage(nodeId: string, timeoutMs = 30000): Promise<Message> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no message reached ${nodeId} within ${timeoutMs} ms`)), timeoutMs);
    helper.getNode(nodeId).on('input', ((msg: Message) => {
      clearTimeout(timer);
      resolve(msg);
    }) as never);
  });
}

/** Starts the Node-RED test runtime before each test of the suite and unloads it after. */
export function useNodeRedRuntime(): void {
  beforeEach(() => helper.startServer());
  afterEach(async () => {
    await helper.unload();
    await helper.stopServer();
  });
}
