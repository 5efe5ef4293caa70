/**
 * Starts the package's local AgentBay server for a test suite (real HTTP on a free loopback
 * port, real sandboxes) and gives the connection settings both runtimes take.
 */
import { startLocalServer, type LocalServer, type LocalServerOptions } from '../../local-server/server';
import { AgentBayClient } from '../../nodes/core/client/client';
import type { ConnectionSettings } from '../../nodes/core/connection';

export const TEST_API_KEY = 'akl-test-0123456789abcdef0123456789abcdef';

export function startTestServer(options: LocalServerOptions = {}): Promise<LocalServer> {
  return startLocalServer({ port: 0, apiKey: TEST_API_KEY, idleTimeoutMs: 0, deleteDelayMs: 50, transitionDelayMs: 50, ...options });
}

export function connectionFor(server: LocalServer, apiKey = server.apiKey): ConnectionSettings {
  return { apiKey, region: 'custom', customEndpoint: server.url, timeoutMs: 30000 };
}

/** A direct client, for arranging and checking state around the nodes under test. */
export function clientFor(server: LocalServer): AgentBayClient {
  return new AgentBayClient({ apiKey: server.apiKey, region: 'custom', customEndpoint: server.url });
}
