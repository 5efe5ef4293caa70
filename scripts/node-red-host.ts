/**
 * Runs a real Node-RED (the devDependency, or another installed version) with this package
 * installed in its user directory, the way a user's Node-RED loads it: a package in
 * <userDir>/node_modules found by its `node-red` section, examples included. Used by `npm start`
 * (editor) and `npm run demo` (headless; also the Node-RED version matrix).
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

export const PACKAGE_ROOT = join(__dirname, '..', '..');
const PACKAGE_NAME = (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { name: string }).name;

export type FlowNode = Record<string, unknown> & { id: string; type: string };

export interface LogEntry {
  level: number;
  type?: string;
  name?: string;
  id?: string;
  msg?: unknown;
}

export interface NodeRedHostOptions {
  userDir: string;
  /** Written to the flow file before Node-RED starts. */
  flows: FlowNode[];
  /** Credentials by node id, merged into the plain-text credential file (credentialSecret false: a local dev setup). */
  credentials: Record<string, Record<string, string>>;
  editor: boolean;
  port: number;
  onLog?: (entry: LogEntry) => void;
  /** Directory of the node-red package to run; the devDependency when absent. */
  nodeRedPath?: string;
  /** Node-RED's `adminAuth` setting (users and permissions of the editor and its admin API). */
  adminAuth?: Record<string, unknown>;
  /** Node-RED's `lang` setting: the runtime's language (status texts, errors); the system locale when absent. */
  lang?: string;
}

export interface NodeRedHost {
  url: string;
  /** The running Node-RED's own version (RED.version()). */
  version: string;
  /** Node types this package registered, from the runtime's registry (enabled, no load error). */
  loadedPackageTypes(): string[];
  stop(): Promise<void>;
}

interface NodeSet {
  module: string;
  types: string[];
  enabled: boolean;
  err?: unknown;
}

interface NodeRedApp {
  init(server: Server, settings: Record<string, unknown>): void;
  start(): Promise<void>;
  stop(): Promise<void>;
  httpAdmin: (request: IncomingMessage, response: ServerResponse) => void;
  version(): string;
  nodes: { getNodeList(): NodeSet[] };
}

/** Reads every example flow shipped in examples/, by file name. */
export function exampleFlows(): Array<{ name: string; nodes: FlowNode[] }> {
  const dir = join(PACKAGE_ROOT, 'examples');
  return readdirSync(dir)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => ({ name: file.replace(/\.json$/, ''), nodes: JSON.parse(readFileSync(join(dir, file), 'utf8')) as FlowNode[] }));
}

/** Puts each example on its own tab (examples are tab-less so Import drops them where the user is). */
export function flowsOnTabs(examples: Array<{ name: string; nodes: FlowNode[] }>): FlowNode[] {
  const flows: FlowNode[] = [];
  for (const example of examples) {
    const tabId = `tab-${example.name}`;
    flows.push({ id: tabId, type: 'tab', label: example.name });
    for (const node of example.nodes) {
      const isConfig = node.type === 'agentbay-config';
      if (isConfig && flows.some((existing) => existing.id === node.id)) continue;
      flows.push(isConfig ? { ...node } : { ...node, z: tabId });
    }
  }
  return flows;
}

/** The flows saved in a user directory, or none. */
export function savedFlows(userDir: string): FlowNode[] {
  try {
    return JSON.parse(readFileSync(join(userDir, 'flows.json'), 'utf8')) as FlowNode[];
  } catch {
    return [];
  }
}

/**
 * Keeps the user's saved flows and adds the example tabs (and their config nodes) they lack,
 * so edits survive a restart and new examples still appear.
 */
export function mergeExamples(saved: FlowNode[], examples: FlowNode[]): FlowNode[] {
  const known = new Set(saved.map((node) => node.id));
  const missingTabs = new Set(examples.filter((node) => node.type === 'tab' && !known.has(node.id)).map((node) => node.id));
  const added = examples.filter((node) => !known.has(node.id) && (missingTabs.has(node.id) || missingTabs.has(String(node.z)) || node.z === undefined));
  return [...saved, ...added];
}

function installPackage(userDir: string): void {
  const modules = join(userDir, 'node_modules');
  mkdirSync(modules, { recursive: true });
  const link = join(modules, PACKAGE_NAME);
  rmSync(link, { recursive: true, force: true });
  symlinkSync(PACKAGE_ROOT, link, 'dir');
}

/**
 * Calls to the local server's host go direct even when a proxy is set in the environment (both
 * runtimes proxy loopback unless NO_PROXY lists it, and a corporate proxy cannot reach this
 * machine's loopback). Both spellings get the merged list, since the lower-case one wins.
 */
export function callDirectly(host: string): void {
  const current = process.env.no_proxy || process.env.NO_PROXY || '';
  const merged = current.split(/[,\s]/).includes(host) ? current : [current, host].filter(Boolean).join(',');
  process.env.no_proxy = merged;
  process.env.NO_PROXY = merged;
}

/** `{ playwright }` when playwright-core is installed (a devDependency of this package), else nothing. */
function playwrightGlobal(): Record<string, unknown> {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return { playwright: require('playwright-core') as unknown };
  } catch {
    return {};
  }
}

export async function startNodeRed(options: NodeRedHostOptions): Promise<NodeRedHost> {
  mkdirSync(options.userDir, { recursive: true });
  installPackage(options.userDir);
  writeFileSync(join(options.userDir, 'flows.json'), JSON.stringify(options.flows, null, 2));
  // Credentials of the user's own nodes stay; only the given nodes' entries are (re)written.
  const credentialFile = join(options.userDir, 'flows_cred.json');
  let savedCredentials: Record<string, Record<string, string>> = {};
  try {
    savedCredentials = JSON.parse(readFileSync(credentialFile, 'utf8')) as typeof savedCredentials;
  } catch {
    savedCredentials = {};
  }
  writeFileSync(credentialFile, JSON.stringify({ ...savedCredentials, ...options.credentials }, null, 2), { mode: 0o600 });

  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const RED = require(options.nodeRedPath ?? 'node-red') as NodeRedApp;
  const onLog = options.onLog;
  const settings: Record<string, unknown> = {
    userDir: options.userDir,
    flowFile: 'flows.json',
    credentialSecret: false,
    httpAdminRoot: options.editor ? '/' : false,
    httpNodeRoot: false,
    disableEditor: !options.editor,
    uiHost: '127.0.0.1',
    uiPort: options.port,
    externalModules: { autoInstall: false, palette: { allowInstall: false } },
    // The playwright example's function node reads playwright-core from here, as its comment tells users to set up.
    functionGlobalContext: playwrightGlobal(),
    editorTheme: { tours: false, projects: { enabled: false } },
    telemetry: { enabled: false },
    ...(options.adminAuth ? { adminAuth: options.adminAuth } : {}),
    ...(options.lang ? { lang: options.lang } : {}),
    diagnostics: { enabled: false },
    logging: {
      console: { level: onLog ? 'off' : 'info', metrics: false, audit: false },
      ...(onLog ? { host: { level: 'info', metrics: false, audit: false, handler: () => onLog } } : {}),
    },
  };
  const server = createServer((request, response) => {
    if (options.editor) RED.httpAdmin(request, response);
    else response.writeHead(404).end();
  });
  // Listen before Node-RED initialises, so a busy port is a plain rejected promise (EADDRINUSE)
  // instead of an 'error' event thrown from inside Node-RED's start-up.
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  RED.init(server, settings);
  await RED.start();
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/`,
    version: RED.version(),
    loadedPackageTypes: () =>
      RED.nodes
        .getNodeList()
        .filter((set) => set.module === PACKAGE_NAME && set.enabled && !set.err)
        .flatMap((set) => set.types),
    stop: async () => {
      await RED.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
