/**
 * Which MCP server each tool of a session belongs to, for CallMcpTool's `Server` parameter. The SDK
 * sends the server from the session's tool list (`ToolList` of CreateMcpSession or GetSession), and
 * `""` only when the list lacks the tool. The package does the same: Create Session records the list
 * it got; a session the package did not create here (an id typed in, another workflow's session) has
 * its list read once with GetSession, as the SDK's `AgentBay.get` does. The cache is per endpoint and
 * session id, bounded, and forgets the oldest sessions first.
 */
import type { AgentBayClient, CallOptions } from '../client/client';
import { AgentBayError } from '../client/errors';
import { asRecord, str } from './session-api';

/** Sessions remembered at once; each holds one short map of tool names. */
const MAX_SESSIONS = 500;
/** Tools read from one list; the cloud's images have a few dozen. */
const MAX_TOOLS = 1000;

const cache = new Map<string, ReadonlyMap<string, string>>();

function cacheKey(client: AgentBayClient, sessionId: string): string {
  return `${client.baseUrl}\n${sessionId}`;
}

/** `name → server` from a `ToolList` JSON string; an unreadable list gives an empty map. */
export function parseToolServers(toolList: unknown): Map<string, string> {
  const servers = new Map<string, string>();
  if (typeof toolList !== 'string' || toolList === '' || toolList.length > 4 * 1024 * 1024) return servers;
  let tools: unknown;
  try {
    tools = JSON.parse(toolList);
  } catch {
    return servers;
  }
  if (!Array.isArray(tools)) return servers;
  for (const tool of tools.slice(0, MAX_TOOLS)) {
    const name = str(asRecord(tool).name);
    const server = str(asRecord(tool).server);
    if (name !== '' && server !== '' && !servers.has(name)) servers.set(name, server);
  }
  return servers;
}

/** Records a session's tool list (from CreateMcpSession or GetSession). */
export function rememberToolList(client: AgentBayClient, sessionId: string, toolList: unknown): void {
  const key = cacheKey(client, sessionId);
  cache.delete(key);
  cache.set(key, parseToolServers(toolList));
  while (cache.size > MAX_SESSIONS) {
    const oldest = cache.keys().next();
    if (oldest.done) break;
    cache.delete(oldest.value);
  }
}

/** Drops a deleted session's entry. */
export function forgetToolList(client: AgentBayClient, sessionId: string): void {
  cache.delete(cacheKey(client, sessionId));
}

/**
 * The server of `tool` in the session's tool list, or `""` when the list lacks it (the service then
 * resolves it by name, as for the SDK). A failed GetSession is not cached and not an error here: the
 * tool call that follows reports the real problem (a deleted session, a bad key) itself.
 */
export async function toolServer(
  client: AgentBayClient,
  sessionId: string,
  tool: string,
  options: CallOptions = {},
): Promise<string> {
  const key = cacheKey(client, sessionId);
  let servers = cache.get(key);
  if (!servers) {
    try {
      const envelope = await client.call('GetSession', { SessionId: sessionId }, options);
      rememberToolList(client, sessionId, asRecord(envelope.Data).ToolList);
      servers = cache.get(key);
    } catch (error) {
      if (error instanceof AgentBayError && error.code === 'Aborted') throw error;
      return '';
    }
  }
  return servers?.get(tool) ?? '';
}
