/** Builders for the MCP tool result shape (`{content:[{type:'text',text}], isError}`). */
import type { McpToolResult } from '../sandbox/contract';

export function ok(text: string): McpToolResult {
  return { content: [{ type: 'text', text }], isError: false };
}

export function fail(text: string): McpToolResult {
  return { content: [{ type: 'text', text }], isError: true };
}
