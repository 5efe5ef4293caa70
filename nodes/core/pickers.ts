/**
 * What the editors' pickers offer (n8n resource locators and load options, Node-RED's admin endpoint):
 * sessions (ListSession), images, and the MCP tools of a session (its tool list, GetSession) or of an
 * image (ListMcpTools). Bounded: at most MAX_SESSION_CHOICES sessions, MAX_TOOL_CHOICES tools.
 */
import type { AgentBayClient } from './client/client';
import { AgentBayError } from './client/errors';
import { parseToolList, DEFAULT_IMAGE_ID } from './catalogue/operations/list-mcp-tools';
import { asRecord, getSessionDetails, str } from './catalogue/session-api';

export interface Choice {
  name: string;
  value: string;
  description?: string;
}

export const MAX_SESSION_CHOICES = 500;
export const MAX_TOOL_CHOICES = 500;
const PAGE_SIZE = 100;
/** Longest search text looked for (it is matched as plain text, case-insensitively). */
const MAX_FILTER_LENGTH = 256;

/**
 * The system images AgentBay documents. The API has no action that lists images (custom images are
 * given by ID), so the list is this one; every picker also takes any ID.
 */
export const KNOWN_IMAGES: readonly Choice[] = [
  { name: 'linux_latest', value: 'linux_latest', description: 'Linux with a shell and file tools' },
  { name: 'code_latest', value: 'code_latest', description: 'Linux with Python, JavaScript, Java and R for Run Code' },
  { name: 'browser_latest', value: 'browser_latest', description: 'Linux with a browser for browser automation' },
  { name: 'windows_latest', value: 'windows_latest', description: 'Windows desktop' },
  { name: 'mobile_latest', value: 'mobile_latest', description: 'Android' },
];

const matches = (filter: string | undefined) => {
  const needle = (filter ?? '').slice(0, MAX_FILTER_LENGTH).trim().toLowerCase();
  return (choice: Choice): boolean => needle === '' || choice.value.toLowerCase().includes(needle) || choice.name.toLowerCase().includes(needle);
};

/** The account's sessions, newest pages first as the service lists them; `filter` narrows by ID. */
export async function sessionChoices(client: AgentBayClient, filter?: string, signal?: AbortSignal): Promise<Choice[]> {
  const choices: Choice[] = [];
  let nextToken: string | undefined;
  do {
    const envelope = await client.call('ListSession', { Labels: '{}', MaxResults: PAGE_SIZE, NextToken: nextToken }, { signal });
    if (envelope.Success !== true) {
      throw new AgentBayError(`[${str(envelope.Code) || 'Unknown'}] ${str(envelope.Message) || 'Unknown error'}`, {
        code: str(envelope.Code) || 'Unknown',
        requestId: str(envelope.RequestId),
      });
    }
    const items = Array.isArray(envelope.Data) ? envelope.Data : [];
    for (const item of items) {
      const record = asRecord(item);
      const sessionId = str(record.SessionId);
      if (sessionId === '' || choices.length >= MAX_SESSION_CHOICES) continue;
      const status = str(record.SessionStatus) || 'UNKNOWN';
      choices.push({ name: `${sessionId} (${status})`, value: sessionId });
    }
    const next = str(envelope.NextToken);
    nextToken = next !== '' && next !== nextToken && items.length > 0 ? next : undefined;
  } while (nextToken && choices.length < MAX_SESSION_CHOICES);
  return choices.filter(matches(filter));
}

export function imageChoices(filter?: string): Choice[] {
  return KNOWN_IMAGES.filter(matches(filter));
}

/**
 * The MCP tools a call can name: the session's own tool list when a session ID is given, else the
 * tools of `imageId` (default linux_latest).
 */
export async function mcpToolChoices(
  client: AgentBayClient,
  where: { sessionId?: string; imageId?: string },
  signal?: AbortSignal,
): Promise<Choice[]> {
  const sessionId = (where.sessionId ?? '').trim();
  if (sessionId !== '') {
    const details = await getSessionDetails(client, sessionId, { signal });
    const tools = parseToolList(details.toolList).filter((tool) => tool.name !== '');
    return tools.slice(0, MAX_TOOL_CHOICES).map((tool) => ({ name: tool.name, value: tool.name, ...(tool.description ? { description: tool.description } : {}) }));
  }
  const envelope = await client.call('ListMcpTools', { ImageId: (where.imageId ?? '').trim() || DEFAULT_IMAGE_ID }, { signal });
  return parseToolList(envelope.Data)
    .filter((tool) => tool.name !== '')
    .slice(0, MAX_TOOL_CHOICES)
    .map((tool) => ({ name: tool.name, value: tool.name, ...(tool.description ? { description: tool.description } : {}) }));
}
