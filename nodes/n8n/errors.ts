/** Maps core errors to n8n's: API failures to NodeApiError, bad input and the rest to NodeOperationError. */
import { NodeApiError, NodeOperationError, type INode, type JsonObject } from 'n8n-workflow';
import { AgentBayError, InputValidationError } from '../core/client/errors';

export function toN8nError(node: INode, error: unknown, itemIndex: number): NodeApiError | NodeOperationError {
  if (error instanceof NodeApiError || error instanceof NodeOperationError) {
    error.context.itemIndex = itemIndex;
    return error;
  }
  if (error instanceof AgentBayError) {
    const apiError = new NodeApiError(node, error.toJSON() as JsonObject, {
      itemIndex,
      message: error.message,
      description: [
        `Code: ${error.code}`,
        error.requestId ? `Request ID: ${error.requestId}` : '',
        error.throttled ? 'The service is throttling requests; try again later or slow the flow down.' : '',
      ]
        .filter(Boolean)
        .join('\n'),
      httpCode: error.httpStatus ? String(error.httpStatus) : undefined,
    });
    // n8n swaps messages holding ECONNREFUSED & co. for a generic text; keep ours (it may name the proxy).
    if (apiError.message !== error.message) apiError.description = [error.message, apiError.description].filter(Boolean).join('\n');
    // Also as data, for an Error Trigger workflow or a support ticket.
    apiError.context.code = error.code;
    if (error.requestId) apiError.context.requestId = error.requestId;
    return apiError;
  }
  if (error instanceof InputValidationError) {
    return new NodeOperationError(node, error.message, { itemIndex, description: `Expected ${error.expected}` });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new NodeOperationError(node, message, { itemIndex });
}

/** The service's code and request id of an API error, for a Continue On Fail item (empty otherwise). */
export function errorData(error: NodeApiError | NodeOperationError): { code?: string; requestId?: string } {
  const data: { code?: string; requestId?: string } = {};
  if (typeof error.context.code === 'string') data.code = error.context.code;
  if (typeof error.context.requestId === 'string') data.requestId = error.context.requestId;
  return data;
}
