/**
 * What the browser operations share: the browser agent's `page_use_*` tools called as the SDK's BrowserAgent calls
 * them (context 0, the first page; docs/protocol.md §9.3), with one error form for every operation.
 */
import type { AgentBayClient } from '../../client/client';
import { AgentBayError } from '../../client/errors';
import type { ParameterDefinition } from '../types';
import { callMcpTool, type ToolAnswer } from '../mcp';
import { sessionCallError } from './session-helpers';

/** Calls a browser tool; a tool error fails with `<failure>: <the tool's message>`. */
export async function callBrowserTool(
  client: AgentBayClient,
  sessionId: string,
  tool: string,
  args: Record<string, unknown>,
  failure: string,
  signal: AbortSignal | undefined,
): Promise<ToolAnswer> {
  let answer: ToolAnswer;
  try {
    answer = await callMcpTool(client, sessionId, tool, args, { signal });
  } catch (error) {
    throw sessionCallError(error, sessionId, `${failure}: `);
  }
  if (answer.isError) throw new AgentBayError(`${failure}: ${answer.errorMessage}`, { code: 'ToolError', requestId: answer.requestId });
  return answer;
}

/** The SDK sends `context_id` 0 and no `page_id` when no Playwright page is given: the browser's first page. */
export const FIRST_PAGE = { context_id: 0 } as const;

export const BROWSER_DETAILS_NOTE =
  'The session must come from a browser image (browser_latest; linux_latest also has one) and its browser must be started with **Initialize Browser** first.';

export const LLM_NOTE =
  'This is a cloud feature: the cloud’s browser agent uses a language model for it. The local AgentBay server has no model and answers with the tool error “… is not available on the local server”, which fails the node (or goes to the error output with Continue On Fail).';

/** Act on Page and Observe Page: let the model see a screenshot too (`use_vision`). */
export const useVisionParameter = {
  name: 'useVision',
  displayName: 'Use Vision',
  description: 'Whether the model also looks at a screenshot of the page.',
  kind: 'boolean',
  default: false,
  advanced: true,
  schema: { type: 'boolean' },
  expected: 'true or false',
} as const satisfies ParameterDefinition;
