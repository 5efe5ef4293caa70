/**
 * What the child-process Node-RED hosts of the tests share (editor-host.ts, runtime-language-host.ts): a
 * local server, the flow file of argv[2] pointed at it with its key as the config node's credential, a
 * temporary user directory, and on SIGTERM everything stopped and removed.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalServer, type LocalServer } from '../../local-server/server';
import type { FlowNode, NodeRedHost } from '../../scripts/node-red-host';

export interface ChildSetUp {
  server: LocalServer;
  flows: FlowNode[];
  credentials: Record<string, { apiKey: string }>;
  userDir: string;
}

/** The local server and the flow of argv[2] wired to it, in a fresh user directory named after `purpose`. */
export async function setUpChild(purpose: string): Promise<ChildSetUp> {
  const server = await startLocalServer({ port: 0, log: () => undefined });
  const flows = (JSON.parse(readFileSync(process.argv[2], 'utf8')) as FlowNode[]).map((node) =>
    node.type === 'agentbay-config' ? { ...node, customEndpoint: server.url } : node,
  );
  const credentials = Object.fromEntries(flows.filter((node) => node.type === 'agentbay-config').map((node) => [node.id, { apiKey: server.apiKey }]));
  return { server, flows, credentials, userDir: mkdtempSync(join(tmpdir(), `agentbay-${purpose}-test-`)) };
}

/** Stops Node-RED and the server and removes the user directory on SIGTERM, then exits. */
export function stopOnSigterm(host: NodeRedHost, setUp: ChildSetUp): void {
  process.on('SIGTERM', () => {
    void (async () => {
      await host.stop().catch(() => undefined);
      await setUp.server.close();
      rmSync(setUp.userDir, { recursive: true, force: true });
      process.exit(0);
    })();
  });
}

/** Runs the child's main; a failure is printed and exits 1 (the test reads stderr). */
export function runChild(main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  });
}
