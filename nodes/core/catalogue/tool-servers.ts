/**
 * Which MCP server each tool of a session belongs to, for CallMcpTool's `Server` parameter. The SDK
 * sends the server from the session's tool list (`ToolList` of CreateMcpSession or GetSession), and
 * `""` only when the list lacks the tool. The package does the same: Create Session records the list
 * it got; a session the package did not create here (an id typed in, another workflow's session) has
 * its list read once with GetSession, as the SDK's `AgentBay.get` does. The cache is per endpoint and
 * session id, bounded, and forgets the oldest sessions first.
 *
 * The same list tells whether the session's `read_file` / `write_file` understand this package's
 * `format: "binary"` extension: the tool's `inputSchema` then lists `format` with `binary` among its
 * values (the local server's does; the cloud's lists carry no such argument). Without it, Read File
 * and Write File move binary and large files through the file-transfer context (`file-transfer.ts`).
 */
import type { AgentBayClient, CallOptions } from '../client/client';
import { AgentBayError } from '../client/errors';
import { asRecord, str } from './session-api';

/** Sessions remembered at once; each holds one short map of tool names. */
const MAX_SESSIONS = 500;
/** Tools read from one list; the cloud's images have a few dozen. */
const MAX_TOOLS = 1000;

interface SessionTools {
  /** The `ToolList` string these were read from ('' when it was not a string). */
  source: string;
  servers: ReadonlyMap<string, string>;
  /** Tools whose inputSchema offers `format: "binary"`. */
  binaryFormat: ReadonlySet<string>;
}

const cache = new Map<string, SessionTools>();

function cacheKey(client: AgentBayClient, sessionId: string): string {
  return `${client.baseUrl}\n${sessionId}`;
}

/** The tool entries of a `ToolList` JSON string; an unreadable list gives none. */
function toolEntries(toolList: unknown): unknown[] {
  if (typeof toolList !== 'string' || toolList === '' || toolList.length > 4 * 1024 * 1024) return [];
  try {
    const tools: unknown = JSON.parse(toolList);
    return Array.isArray(tools) ? tools.slice(0, MAX_TOOLS) : [];
  } catch {
    return [];
  }
}

/** `name → server` from a `ToolList` JSON string; an unreadable list gives an empty map. */
export function parseToolServers(toolList: unknown): Map<string, string> {
  return serversOf(toolEntries(toolList));
}

function serversOf(tools: unknown[]): Map<string, string> {
  const servers = new Map<string, string>();
  for (const tool of tools) {
    const name = str(asRecord(tool).name);
    const server = str(asRecord(tool).server);
    if (name !== '' && server !== '' && !servers.has(name)) servers.set(name, server);
  }
  return servers;
}

/** Whether a tool's inputSchema offers `format` with the value `binary` (the SDK reads `inputSchema|input_schema`). */
function offersBinaryFormat(tool: unknown): boolean {
  const record = asRecord(tool);
  const schema = asRecord(record.inputSchema ?? record.input_schema);
  const format = asRecord(asRecord(schema.properties).format);
  return Array.isArray(format.enum) && format.enum.includes('binary');
}

/**
 * The last list read. Sessions of one image share one list (tens of KiB of JSON), and Get Session
 * returns it on every call: comparing the text is far cheaper than parsing it again (bench/).
 */
let lastRead: SessionTools | undefined;

function parseToolList(toolList: unknown): SessionTools {
  const source = typeof toolList === 'string' ? toolList : '';
  if (lastRead !== undefined && lastRead.source === source) return lastRead;
  const tools = toolEntries(toolList);
  const binaryFormat = new Set<string>();
  for (const tool of tools) {
    const name = str(asRecord(tool).name);
    if (name !== '' && offersBinaryFormat(tool)) binaryFormat.add(name);
  }
  lastRead = { source, servers: serversOf(tools), binaryFormat };
  return lastRead;
}

/** Records a session's tool list (from CreateMcpSession or GetSession). */
export function rememberToolList(client: AgentBayClient, sessionId: string, toolList: unknown): void {
  const key = cacheKey(client, sessionId);
  const known = cache.get(key);
  cache.delete(key);
  cache.set(key, known !== undefined && known.source === toolList ? known : parseToolList(toolList));
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
  return (await sessionTools(client, sessionId, options))?.servers.get(tool) ?? '';
}

/**
 * Whether the session's `tool` (read_file, write_file) takes `format: "binary"`. Unknown (the
 * GetSession read failed) counts as no: the file-transfer path works on every service.
 */
export async function offersBinaryFileFormat(
  client: AgentBayClient,
  sessionId: string,
  tool: 'read_file' | 'write_file',
  options: CallOptions = {},
): Promise<boolean> {
  return (await sessionTools(client, sessionId, options))?.binaryFormat.has(tool) ?? false;
}

async function sessionTools(client: AgentBayClient, sessionId: string, options: CallOptions): Promise<SessionTools | undefined> {
  const key = cacheKey(client, sessionId);
  const known = cache.get(key);
  if (known) return known;
  try {
    const envelope = await client.call('GetSession', { SessionId: sessionId }, options);
    rememberToolList(client, sessionId, asRecord(envelope.Data).ToolList);
    return cache.get(key);
  } catch (error) {
    if (error instanceof AgentBayError && error.code === 'Aborted') throw error;
    return undefined;
  }
}
