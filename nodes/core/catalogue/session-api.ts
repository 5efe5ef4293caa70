/**
 * Session reads shared by several operations, with the SDK's result mapping and error texts
 * (docs/protocol.md §4.1 `_getSession`/`get`, §4.2 `getStatus`).
 */
import type { AgentBayClient, CallOptions } from '../client/client';
import { AgentBayError } from '../client/errors';

export interface SessionDetails {
  requestId: string;
  sessionId: string;
  status: string;
  resourceUrl: string;
  appInstanceId: string;
  resourceId: string;
  httpPort: string;
  networkInterfaceIp: string;
  vpcResource: boolean;
  token: string;
  toolNames: string[];
  /** The raw `ToolList` JSON string, for the tool-server cache (tool-servers.ts). */
  toolList: unknown;
  contexts: Array<{ id: string; name: string }>;
}

export function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

export const str = (value: unknown): string => (value === undefined || value === null ? '' : String(value));

/** The last list read and its names: Get Session returns the same list on every call (see tool-servers.ts). */
let lastToolNames: { source: string; names: readonly string[] } | undefined;

/** Tool names from a `ToolList` JSON string; unreadable lists give none rather than failing. */
export function parseToolNames(toolList: unknown): string[] {
  if (typeof toolList !== 'string' || toolList === '') return [];
  if (lastToolNames?.source === toolList) return [...lastToolNames.names];
  let names: string[];
  try {
    const tools: unknown = JSON.parse(toolList);
    names = Array.isArray(tools) ? tools.map((tool) => str(asRecord(tool).name ?? asRecord(tool).Name)).filter((name) => name !== '') : [];
  } catch {
    names = [];
  }
  lastToolNames = { source: toolList, names };
  return [...names];
}

/** GetSession; a missing session gives `Failed to get session X: Session X not found`. */
export async function getSessionDetails(
  client: AgentBayClient,
  sessionId: string,
  options: CallOptions = {},
): Promise<SessionDetails> {
  let envelope;
  try {
    envelope = await client.call('GetSession', { SessionId: sessionId }, options);
  } catch (error) {
    if (error instanceof AgentBayError && error.isNotFound) {
      throw new AgentBayError(`Failed to get session ${sessionId}: Session ${sessionId} not found`, {
        code: 'InvalidMcpSession.NotFound',
        requestId: error.requestId,
        httpStatus: error.httpStatus ?? 400,
      });
    }
    const reason = error instanceof Error ? error.message : String(error);
    throw new AgentBayError(`Failed to get session ${sessionId}: ${reason}`, {
      code: error instanceof AgentBayError ? error.code : 'Unknown',
      requestId: error instanceof AgentBayError ? error.requestId : '',
      httpStatus: error instanceof AgentBayError ? error.httpStatus : undefined,
      retryable: error instanceof AgentBayError ? error.retryable : false,
    });
  }
  const data = asRecord(envelope.Data);
  const contexts = Array.isArray(data.contexts) ? data.contexts : [];
  return {
    requestId: str(envelope.RequestId),
    sessionId: str(data.SessionId) || sessionId,
    status: str(data.Status),
    resourceUrl: str(data.ResourceUrl),
    appInstanceId: str(data.AppInstanceId),
    resourceId: str(data.ResourceId),
    httpPort: str(data.HttpPort),
    networkInterfaceIp: str(data.NetworkInterfaceIp),
    vpcResource: data.VpcResource === true || data.VpcResource === 'true',
    token: str(data.Token),
    toolNames: parseToolNames(data.ToolList),
    toolList: data.ToolList,
    contexts: contexts
      .map((context) => ({ id: str(asRecord(context).id), name: str(asRecord(context).name) }))
      .filter((context) => context.id !== '' && context.name !== ''),
  };
}

/** GetSessionDetail status; `undefined` when the session no longer exists. */
export async function getSessionStatus(
  client: AgentBayClient,
  sessionId: string,
  options: CallOptions = {},
): Promise<{ status: string | undefined; requestId: string }> {
  try {
    const envelope = await client.call('GetSessionDetail', { SessionId: sessionId }, options);
    return { status: str(asRecord(envelope.Data).Status), requestId: str(envelope.RequestId) };
  } catch (error) {
    if (error instanceof AgentBayError && (error.isNotFound || /not found/i.test(error.message))) {
      return { status: undefined, requestId: error.requestId };
    }
    throw error;
  }
}
