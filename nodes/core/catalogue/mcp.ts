/**
 * CallMcpTool as the SDK uses it (docs/protocol.md §5): JSON-string Args, AutoGenSession=false
 * (never silently start a new environment), Server from the session's tool list as the SDK sends it
 * (tool-servers.ts), and the SDK's parsing of the `{content, isError}` answer.
 */
import type { AgentBayClient, CallOptions } from '../client/client';
import { AgentBayError } from '../client/errors';
import { toolServer } from './tool-servers';

export interface ToolAnswer {
  requestId: string;
  /** `content[0].text` (or blob/data, or the whole Data as JSON when those are empty). */
  text: string;
  isError: boolean;
  /** All content texts joined with "; " when isError, as the SDK reports them. */
  errorMessage: string;
}

interface McpContentItem {
  text?: unknown;
  blob?: unknown;
  data?: unknown;
}

export async function callMcpTool(
  client: AgentBayClient,
  sessionId: string,
  tool: string,
  args: Record<string, unknown>,
  options: CallOptions = {},
): Promise<ToolAnswer> {
  const server = await toolServer(client, sessionId, tool, options);
  const envelope = await client.call(
    'CallMcpTool',
    { Args: JSON.stringify(args), AutoGenSession: false, Name: tool, Server: server, SessionId: sessionId },
    options,
  );
  const requestId = String(envelope.RequestId ?? '');
  let data: unknown = envelope.Data;
  if (typeof data === 'string') {
    // Py accepts Data as a JSON string holding the object; do the same.
    try {
      data = JSON.parse(data);
    } catch {
      return { requestId, text: data as string, isError: false, errorMessage: '' };
    }
  }
  if (!data || typeof data !== 'object') {
    throw new AgentBayError('Invalid response data format', { code: 'InvalidResponse', requestId });
  }
  const record = data as { content?: unknown; isError?: unknown };
  const content = Array.isArray(record.content) ? (record.content as McpContentItem[]) : [];
  const isError = record.isError === true || record.isError === 'true';
  if (isError) {
    const texts = content.map((item) => (typeof item?.text === 'string' && item.text ? item.text : 'Unknown error'));
    const errorMessage = texts.join('; ') || 'Unknown error';
    return { requestId, text: typeof content[0]?.text === 'string' ? content[0].text : errorMessage, isError, errorMessage };
  }
  // The SDK's order: text, else blob, else data, else the whole Data as JSON. Unlike the SDK, an
  // empty text stays empty (an empty file, a command with no output), not the JSON of the answer.
  const first = content[0];
  const nonEmpty = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);
  const text =
    nonEmpty(first?.text) ?? nonEmpty(first?.blob) ?? nonEmpty(first?.data) ?? (typeof first?.text === 'string' ? first.text : JSON.stringify(data));
  return { requestId, text, isError: false, errorMessage: '' };
}

/** Runs a tool and turns an `isError` answer into an AgentBayError with the tool's own text. */
export async function callToolOrThrow(
  client: AgentBayClient,
  sessionId: string,
  tool: string,
  args: Record<string, unknown>,
  options: CallOptions = {},
): Promise<ToolAnswer> {
  const answer = await callMcpTool(client, sessionId, tool, args, options);
  if (answer.isError) {
    throw new AgentBayError(answer.errorMessage, { code: 'ToolError', requestId: answer.requestId });
  }
  return answer;
}
