import { callMcpTool } from '../operations/call-mcp-tool';
import { listMcpTools } from '../operations/list-mcp-tools';
import type { OperationDefinition } from '../types';

export const toolOperations: readonly OperationDefinition[] = [listMcpTools, callMcpTool];
