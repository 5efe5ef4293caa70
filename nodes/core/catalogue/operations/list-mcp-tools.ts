import { defineOperation } from '../define';
import { requestIdOutput } from '../common-parameters';
import { asRecord, str } from '../session-api';
import { tryParseJson } from './session-helpers';

export const DEFAULT_IMAGE_ID = 'linux_latest';

export interface McpToolInfo {
  name: string;
  description: string;
  inputSchema: Record<string, unknown>;
  server: string;
  tool: string;
}

/** ListMcpTools `Data` (a JSON string array) as the SDK reads it; unreadable data gives no tools. */
export function parseToolList(data: unknown): McpToolInfo[] {
  const list = typeof data === 'string' ? tryParseJson(data)?.value : data;
  if (!Array.isArray(list)) return [];
  return list.map((item) => {
    const tool = asRecord(item);
    return {
      name: str(tool.name),
      description: str(tool.description),
      inputSchema: asRecord(tool.inputSchema),
      server: str(tool.server),
      tool: str(tool.tool),
    };
  });
}

export const listMcpTools = defineOperation({
  id: 'listMcpTools',
  displayName: 'List MCP Tools',
  summary: 'Lists the MCP tools a session’s image offers, with their input schemas.',
  details: [
    'Calls ListMcpTools, as the SDK’s `session.listMcpTools()` does. Tools belong to an image, not to one session: the node asks for the image given in **Image ID**, else the image the session was created from (as Create Session records it on the session), else linux_latest.',
    'Each tool comes with its input schema, which tells what **Call MCP Tool** expects as arguments. An unreadable list gives no tools, as in the SDK.',
  ].join('\n\n'),
  session: 'required',
  parameters: [
    {
      name: 'imageId',
      displayName: 'Image ID',
      description: 'List the tools of this image instead of the session’s own image.',
      kind: 'string',
      default: '',
      placeholder: DEFAULT_IMAGE_ID,
      advanced: true,
      schema: { type: 'string', maxLength: 256 },
      expected: 'an image id such as linux_latest, or empty',
    },
  ],
  outputs: [
    { name: 'tools', type: 'object[]', description: 'One {name, description, inputSchema, server, tool} per tool.' },
    { name: 'count', type: 'number', description: 'Number of tools.' },
    { name: 'imageId', type: 'string', description: 'The image whose tools were listed.' },
    requestIdOutput,
  ],
  async execute(context, input) {
    const imageId = str(input.imageId).trim() || str(context.session?.imageId).trim() || DEFAULT_IMAGE_ID;
    const envelope = await context.client.call('ListMcpTools', { ImageId: imageId }, { signal: context.signal });
    const tools = parseToolList(envelope.Data);
    return { json: { tools, count: tools.length, imageId, requestId: str(envelope.RequestId) } };
  },
});
