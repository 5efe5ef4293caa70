import { defineOperation } from '../define';
import { requestIdOutput } from '../common-parameters';
import { AgentBayError } from '../../client/errors';
import { callMcpTool as callTool } from '../mcp';
import { sessionCallError, tryParseJson } from './session-helpers';

export const callMcpTool = defineOperation({
  id: 'callMcpTool',
  displayName: 'Call MCP Tool',
  summary: 'Calls any MCP tool of the session by name with JSON arguments.',
  details: [
    'The escape hatch for tools that have no node of their own: give the tool name (see **List MCP Tools** for the names and their input schemas) and its arguments as a JSON object. The call goes through CallMcpTool exactly as the SDK’s `session.callMcpTool()` sends it.',
    'The result is the tool’s text; when that text is JSON it is also given parsed, in `parsed`.',
    'A tool that reports an error fails the node with the tool’s own message, unless **Fail on Tool Error** is off: then the result carries `isError: true` and `errorMessage`, for flows that handle it themselves.',
    'Example: tool `shell` with arguments `{"command":"echo hi","timeout_ms":5000}`.',
  ].join('\n\n'),
  session: 'required',
  parameters: [
    {
      name: 'toolName',
      displayName: 'Tool Name',
      description: 'Name of the MCP tool, e.g. shell, run_code, read_file.',
      kind: 'string',
      default: '',
      required: true,
      placeholder: 'shell',
      picker: 'mcpTool',
      schema: { type: 'string', minLength: 1, maxLength: 128, pattern: '\\S' },
      expected: 'a tool name such as shell (see List MCP Tools)',
    },
    {
      name: 'arguments',
      displayName: 'Arguments',
      description: 'Arguments of the tool as a JSON object, e.g. {"command":"echo hi","timeout_ms":5000}.',
      kind: 'json',
      default: {},
      schema: { type: 'object' },
      expected: 'a JSON object of the tool’s arguments, e.g. {"command":"echo hi"}',
    },
    {
      name: 'failOnToolError',
      displayName: 'Fail on Tool Error',
      description: 'Whether a tool that reports an error fails the node; off, the error is returned in the result.',
      kind: 'boolean',
      default: true,
      schema: { type: 'boolean' },
      expected: 'true or false',
    },
  ],
  outputs: [
    { name: 'toolName', type: 'string', description: 'The tool that was called.' },
    { name: 'text', type: 'string', description: 'The text the tool returned.' },
    { name: 'parsed', type: 'any', description: 'The text parsed as JSON, when it is JSON; absent otherwise.', optional: true },
    { name: 'isError', type: 'boolean', description: 'Whether the tool reported an error.' },
    { name: 'errorMessage', type: 'string', description: 'The tool’s error texts joined with "; ", when isError.' },
    requestIdOutput,
  ],
  async execute(context, input) {
    const sessionId = context.session.sessionId;
    const toolName = input.toolName.trim();
    const args = input.arguments ?? {};
    let answer;
    try {
      answer = await callTool(context.client, sessionId, toolName, args, { signal: context.signal });
    } catch (error) {
      throw sessionCallError(error, sessionId, '', `Failed to call tool ${toolName}: `);
    }
    if (answer.isError && input.failOnToolError !== false) {
      throw new AgentBayError(answer.errorMessage, { code: 'ToolError', requestId: answer.requestId });
    }
    const parsed = tryParseJson(answer.text);
    const json = {
      toolName,
      text: answer.text,
      isError: answer.isError,
      errorMessage: answer.errorMessage,
      requestId: answer.requestId,
      ...(parsed !== undefined ? { parsed: parsed.value } : {}),
    };
    return { json };
  },
});
