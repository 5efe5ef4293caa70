/**
 * Child process for the editor test: the local server plus a real Node-RED with its editor,
 * on free ports, loading the flow file given as argv[2]. Prints one JSON line
 * `{ editorUrl, serverUrl }` when ready; stops everything on SIGTERM. argv[3], when given, is the password
 * of an `admin` user with every permission (Node-RED's adminAuth); without it the editor is open. A separate process because
 * the Node-RED test helper in the mocha process owns that process's Node-RED runtime.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalServer } from '../../local-server/server';
import { startNodeRed, type FlowNode } from '../../scripts/node-red-host';

async function main(): Promise<void> {
  const server = await startLocalServer({ port: 0, log: () => undefined });
  const flows = (JSON.parse(readFileSync(process.argv[2], 'utf8')) as FlowNode[]).map((node) =>
    node.type === 'agentbay-config' ? { ...node, customEndpoint: server.url } : node,
  );
  const credentials = Object.fromEntries(flows.filter((node) => node.type === 'agentbay-config').map((node) => [node.id, { apiKey: server.apiKey }]));
  const userDir = mkdtempSync(join(tmpdir(), 'agentbay-editor-test-'));
  const password = process.argv[3];
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const hash = password ? (require('bcryptjs') as { hashSync(text: string, rounds: number): string }).hashSync(password, 8) : '';
  const adminAuth = password ? { type: 'credentials', users: [{ username: 'admin', password: hash, permissions: '*' }] } : undefined;
  const host = await startNodeRed({ userDir, flows, credentials, editor: true, port: 0, onLog: () => undefined, adminAuth });
  process.stdout.write(`${JSON.stringify({ editorUrl: host.url, serverUrl: server.url, apiKey: server.apiKey })}\n`);
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
