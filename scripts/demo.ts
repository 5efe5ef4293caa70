/**
 * `npm run demo`: runs every example flow in a real, headless Node-RED against the local
 * AgentBay server, prints each step's output, and exits non-zero if a node type did not load,
 * a step fails, a flow does not finish, or a session is left behind.
 * `--node-red <dir>` runs another installed Node-RED (the version matrix does).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { inspect, parseArgs } from 'node:util';
import { startLocalServer } from '../local-server/server';
import { operations } from '../nodes/core/catalogue/index';
import { NODE_RED_CONFIG_TYPE, nodeRedType } from '../nodes/core/catalogue/naming';
import { callDirectly, exampleFlows, flowsOnTabs, startNodeRed, type FlowNode, type LogEntry, type NodeRedHost } from './node-red-host';
import { installShutdown } from '../local-server/shutdown';

const DEMO_TIMEOUT_MS = 180_000;
/** Each example ends in a debug node with this name; its message means the flow finished. */
const FINAL_DEBUG_NAME = 'deleted';
const ERROR_LEVEL = 20;
const WARN_LEVEL = 30;
const PACKAGE_TYPES = [NODE_RED_CONFIG_TYPE, ...operations.map(nodeRedType)];

function print(line: string): void {
  process.stdout.write(`${line}\n`);
}

async function main(): Promise<number> {
  const { values: args } = parseArgs({ options: { 'node-red': { type: 'string' } } });
  const nodeRedPath = args['node-red'] === undefined ? undefined : resolve(args['node-red']);
  const server = await startLocalServer({ port: 0, log: () => undefined });
  print(`local AgentBay server: ${server.url} (isolation: ${server.isolation})`);
  callDirectly(new URL(server.url).hostname);
  const examples = exampleFlows();
  const flows = flowsOnTabs(examples).map((node): FlowNode => {
    if (node.type === 'agentbay-config') return { ...node, region: 'custom', customEndpoint: server.url };
    if (node.type === 'inject') return { ...node, once: true, onceDelay: 0.5 };
    if (node.type === 'debug') return { ...node, console: true, tosidebar: false };
    return node;
  });
  const credentials = Object.fromEntries(
    flows.filter((node) => node.type === 'agentbay-config').map((node) => [node.id, { apiKey: server.apiKey }]),
  );
  const expectedFinishes = flows.filter((node) => node.type === 'debug' && node.name === FINAL_DEBUG_NAME).length;

  let finished = 0;
  const failures: string[] = [];
  let settle: () => void = () => undefined;
  const allDone = new Promise<void>((resolve) => {
    settle = resolve;
  });
  const tabOf = new Map(flows.map((node) => [node.id, String(node.z ?? '')]));
  // The flows run at the same time; each one's lines are held back and printed as one block when
  // it finishes, so the output reads flow by flow instead of interleaved.
  const pending = new Map<string, string[]>();
  const flowName = (tab: string): string => tab.replace(/^tab-/, '') || 'node-red';
  const printFlow = (tab: string): void => {
    const lines = pending.get(tab);
    if (!lines) return;
    pending.delete(tab);
    print(`\n== ${flowName(tab)} ==`);
    for (const line of lines) print(line.replace(/^/gm, '  '));
  };
  const runtimeWarnings: string[] = [];
  const record = (tab: string, line: string): void => {
    const lines = pending.get(tab) ?? [];
    lines.push(line);
    pending.set(tab, lines);
  };
  const onLog = (entry: LogEntry) => {
    const tab = tabOf.get(String(entry.id)) ?? '';
    if (entry.type === 'debug') {
      // CRLF text (the example's CSV) is shown with plain newlines, so the block indents line by line.
      const text = (typeof entry.msg === 'string' ? entry.msg.trim() : inspect(entry.msg, { depth: 4 })).replace(/\r\n/g, '\n');
      record(tab, text.includes('\n') ? `${entry.name}:\n${text.replace(/^/gm, '  ')}` : `${entry.name}: ${text}`);
      if (entry.name === 'error') failures.push(`${flowName(tab)}: ${String(entry.msg)}`);
      if (entry.name === FINAL_DEBUG_NAME) {
        printFlow(tab);
        if (++finished === expectedFinishes) settle();
      }
    } else if (entry.level <= ERROR_LEVEL) {
      failures.push(`${entry.type ?? 'node-red'}${entry.name ? ` "${entry.name}"` : ''}: ${String(entry.msg)}`);
      record(tab, `ERROR ${entry.type ?? ''} ${entry.name ?? ''}: ${String(entry.msg)}`);
    } else if (entry.level <= WARN_LEVEL) {
      const line = `WARNING ${entry.type ?? ''} ${entry.name ?? ''}: ${String(entry.msg)}`;
      // A node's warning belongs to its flow; Node-RED's own start-up warnings only matter when
      // something failed (they say why node types did not load).
      if (tab) record(tab, line);
      else runtimeWarnings.push(line);
    }
  };

  const userDir = mkdtempSync(join(tmpdir(), 'agentbay-demo-node-red-'));
  const running: { host?: NodeRedHost } = {}; // set once Node-RED runs; the stop path may come first
  // Interrupted (Ctrl-C, closed pipe) or crashed, the demo still leaves no temp dir or session behind.
  installShutdown({
    stop: async () => {
      await running.host?.stop().catch(() => undefined);
      await server.close();
      return 1;
    },
    onExit: () => {
      rmSync(userDir, { recursive: true, force: true });
      rmSync(server.dataDir, { recursive: true, force: true });
    },
  });
  const host = await startNodeRed({ userDir, flows, credentials, editor: false, port: 0, onLog, nodeRedPath });
  running.host = host;
  print(`Node-RED ${host.version} (Node.js ${process.version})`);
  const loaded = new Set(host.loadedPackageTypes());
  const missing = PACKAGE_TYPES.filter((type) => !loaded.has(type));
  if (missing.length > 0) {
    // The flows would wait for these types forever; say so now (Node-RED's own reason is in the warnings above).
    failures.push(`${missing.length} of ${PACKAGE_TYPES.length} node types did not load: ${missing.join(', ')}`);
    settle();
  } else {
    print(`all ${PACKAGE_TYPES.length} node types loaded`);
  }
  print(`Node-RED running ${examples.length} example flow(s): ${examples.map((example) => example.name).join(', ')}`);
  const timer = setTimeout(() => {
    failures.push(`timed out after ${DEMO_TIMEOUT_MS / 1000}s with ${finished}/${expectedFinishes} flows finished`);
    settle();
  }, DEMO_TIMEOUT_MS);
  await allDone;
  clearTimeout(timer);
  for (const tab of [...pending.keys()]) printFlow(tab); // flows that did not finish
  if (failures.length > 0 && runtimeWarnings.length > 0) print(`\n== node-red ==\n  ${runtimeWarnings.join('\n  ')}`);
  await host.stop();
  const leftover = server.sessionCount();
  if (leftover > 0) failures.push(`${leftover} session(s) left running on the local server`);
  await server.close();
  rmSync(userDir, { recursive: true, force: true });

  if (failures.length > 0) {
    print(`\nDemo FAILED:\n- ${failures.join('\n- ')}`);
    return 1;
  }
  print(`\nDemo OK: ${finished} flow(s) ran to the end, no session left behind.`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    print(`Demo FAILED: ${error instanceof Error ? error.stack : String(error)}`);
    process.exit(1);
  },
);
