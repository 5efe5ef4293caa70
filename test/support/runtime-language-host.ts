/**
 * Child process for the runtime-language test: the local server plus a real Node-RED (no editor)
 * whose `lang` setting is argv[3], running the flow file given as argv[2]. Prints one JSON line per
 * warning a node logs (`{ id, msg }`), which is how the test's flow reports the status texts and
 * errors it sees; stops everything on SIGTERM. A separate process because Node-RED reads its language
 * once per process, and the Node-RED test helper in the mocha process translates nothing.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalServer } from '../../local-server/server';
import { startNodeRed, type FlowNode } from '../../scripts/node-red-host';

const WARN_LEVEL = 30;

async function main(): Promise<void> {
  const server = await startLocalServer({ port: 0, log: () => undefined });
  const flows = (JSON.parse(readFileSync(process.argv[2], 'utf8')) as FlowNode[]).map((node) =>
    node.type === 'agentbay-config' ? { ...node, customEndpoint: server.url } : node,
  );
  const credentials = Object.fromEntries(flows.filter((node) => node.type === 'agentbay-config').map((node) => [node.id, { apiKey: server.apiKey }]));
  const userDir = mkdtempSync(join(tmpdir(), 'agentbay-language-test-'));
  const host = await startNodeRed({
    userDir,
    flows,
    credentials,
    editor: false,
    port: 0,
    lang: process.argv[3],
    onLog: (entry) => {
      if (entry.level === WARN_LEVEL && entry.id) process.stdout.write(`${JSON.stringify({ id: entry.id, msg: entry.msg })}\n`);
    },
  });
  process.on('SIGTERM', () => {
    void (async () => {
      await host.stop().catch(() => undefined);
      await server.close();
      rmSync(userDir, { recursive: true, force: true });
      process.exit(0);
    })();
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
